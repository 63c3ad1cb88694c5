"""The local API server's routes: check the key, pick the engine, forward, pass streams through.

``GET /v1/models`` lists the loaded models; ``POST /v1/chat/completions`` and
``/v1/completions`` go to the chat engine, ``/v1/embeddings`` to the embedding
engine. The body's ``model`` is replaced by the loaded model's id (clients may
send any name) and the engine's private key is added. Every error answers in
OpenAI's ``{"error": {...}}`` shape (see :mod:`~hearth.engine.gateway_replies`)
so client libraries show its message.
"""

from __future__ import annotations

import hmac
import http.client
import json
import logging
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from hearth.core.netguard import GUARD
from hearth.core.netlog import NETWORK_LOG, NetEvent, is_loopback_host
from hearth.engine.gateway_replies import JsonReplies
from hearth.engine.supervisor import EngineHandle, EngineRole, EngineState

if TYPE_CHECKING:
    from hearth.engine.gateway import ApiGateway

log = logging.getLogger(__name__)

ROUTES = {"/v1/chat/completions": EngineRole.CHAT, "/v1/completions": EngineRole.CHAT,
          "/v1/embeddings": EngineRole.EMBEDDING}
NOT_LOADED = {
    EngineRole.CHAT: "No chat model is loaded in Hearth: load one on the Chat page.",
    EngineRole.EMBEDDING: "No embedding model is loaded in Hearth: load one on the Embeddings page.",
}
UPSTREAM_TIMEOUT = 600.0  # a long reply on a slow computer; a dead engine fails at once
CHUNK = 64 * 1024
#: The network log's source for requests other devices sent to the local API server.
INCOMING = "api server (from the network)"


class GatewayHandler(JsonReplies):
    protocol_version = "HTTP/1.1"  # keep-alive for plain replies; streams end by closing
    server_version = "Hearth"
    sys_version = ""
    timeout = 300  # an idle keep-alive connection gives its thread back after this
    disable_nagle_algorithm = True  # headers and body go out as separate writes: no 40 ms delayed-ACK stall

    @property
    def gateway(self) -> ApiGateway:
        return self.server.gateway  # type: ignore[attr-defined, no-any-return]

    @property  # type: ignore[override]
    def max_body(self) -> int:
        return self.gateway.max_body

    def setup(self) -> None:
        super().setup()
        self.gateway.opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.gateway.closed(self.connection)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        super().log_request(code, size)
        host, port = self.client_address[0], self.client_address[1]
        if not is_loopback_host(host):  # another device used this computer's models: the user should see it
            NETWORK_LOG.add(NetEvent(time.time(), "http", self.command, host, port, urlsplit(self.path).path,
                                     int(code) if str(code).isdigit() else None, source=INCOMING))

    def do_GET(self) -> None:
        self._route()

    def do_POST(self) -> None:
        self._route()

    do_PUT = do_DELETE = do_PATCH = do_GET

    # ---- routing ---------------------------------------------------------------------------
    def _route(self) -> None:
        self.gateway.counted()
        path = urlsplit(self.path).path.rstrip("/")
        if GUARD.offline and not is_loopback_host(self.client_address[0]):
            return self._error(403, "Hearth is offline: only programs on this computer may use it.",
                               "permission_error")
        if not self._authorised():
            return self._error(401, "Missing or wrong API key: send the key shown in Hearth's Settings → "
                               "Serve as 'Authorization: Bearer KEY'.", "authentication_error", "invalid_api_key")
        if path == "/v1/models" and self.command == "GET":
            return self._send_json(200, {"object": "list", "data": self._models()})
        role = ROUTES.get(path)
        if role is not None and self.command == "POST":
            return self._forward(role, path)
        if role is not None or path == "/v1/models":
            return self._error(405, f"{self.command} is not allowed on {path}.")
        return self._error(404, f"Unknown address {path or '/'}: Hearth serves /v1/models, "
                           "/v1/chat/completions, /v1/completions and /v1/embeddings.", code="unknown_url")

    def _authorised(self) -> bool:
        key = self.gateway.api_key
        if key is None:
            return True
        scheme, _, given = self.headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), key.encode())

    def _ready(self, role: EngineRole) -> EngineHandle | None:
        supervisor = self.gateway.supervisor
        return supervisor.handle(role) if supervisor.state(role) is EngineState.READY else None

    def _models(self) -> list[dict[str, Any]]:
        models: dict[str, dict[str, Any]] = {}
        for role in EngineRole:
            handle = self._ready(role)
            if handle is not None and handle.api_name not in models:
                models[handle.api_name] = {"id": handle.api_name, "object": "model", "created": 0,
                                           "owned_by": "hearth", "name": handle.model_name}
        return list(models.values())

    # ---- forwarding ------------------------------------------------------------------------
    def _forward(self, role: EngineRole, path: str) -> None:
        body = self._read_json()
        if body is None:
            return
        handle = self._ready(role)
        if handle is None:
            return self._error(503, NOT_LOADED[role], "model_not_loaded", "model_not_loaded")
        body["model"] = handle.api_name
        target = urlsplit(handle.endpoint.base_url)
        headers = {"Content-Type": "application/json", "Accept": self.headers.get("Accept", "*/*")}
        if handle.endpoint.api_key:
            headers["Authorization"] = f"Bearer {handle.endpoint.api_key}"
        upstream = http.client.HTTPConnection(target.hostname or "127.0.0.1", target.port, timeout=UPSTREAM_TIMEOUT)
        try:
            try:
                upstream.request("POST", target.path + path.removeprefix("/v1"), json.dumps(body).encode(), headers)
                response = upstream.getresponse()
            except OSError as exc:
                log.warning("the %s engine did not answer: %s", role.value, exc.__class__.__name__)
                return self._error(502, f"{handle.model_name} did not answer; it may have stopped. "
                                   "Look at the Chat page in Hearth.", "server_error", "engine_unavailable")
            content_type = response.getheader("Content-Type", "application/json")
            if response.chunked or response.length is None:
                self._pass_stream(response, content_type)
            else:
                self._send(response.status, response.read(), content_type)
        finally:
            upstream.close()  # for a client that left mid-stream, this is what stops the engine

    def _pass_stream(self, response: http.client.HTTPResponse, content_type: str) -> None:
        """Copy a streamed reply (server-sent events) chunk by chunk as the engine writes it."""
        self.close_connection = True  # the stream's end is the connection's end
        self.send_response(response.status)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        while chunk := response.read1(CHUNK):
            try:
                self.wfile.write(chunk)
                self.wfile.flush()
            except OSError:
                log.info("client left in the middle of a stream; cutting the engine's reply")
                return
