"""The local API server: one OpenAI-compatible address in front of the engines the app has loaded. Qt-free.

Other programs talk to ``http://127.0.0.1:PORT/v1``; each request goes to the
chat or embedding engine the :class:`~hearth.engine.supervisor.EngineSupervisor`
runs at that moment, so the server follows model switches while the engines keep
their private per-launch keys. The routes live in :mod:`hearth.engine.gateway_proxy`.
It listens on loopback only, unless the user allowed network access and Hearth
is online: offline mode always means this computer only.
"""

from __future__ import annotations

import errno
import ipaddress
import logging
import os
import socket
import threading
from http.server import ThreadingHTTPServer

import psutil

from hearth.core.errors import HearthError
from hearth.core.netguard import GUARD
from hearth.engine.supervisor import EngineSupervisor

log = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"
ALL_INTERFACES = "0.0.0.0"
MAX_BODY = 32 * 1024 * 1024  # a long prompt or a big embedding batch, not an upload
_IN_USE = {errno.EADDRINUSE, 10048}  # 10048: Windows' WSAEADDRINUSE


class GatewayError(HearthError):
    """The local API server could not start (one line for the user)."""


def serve_host(lan: bool, offline: bool | None = None) -> str:
    """Where to listen: every interface only when the user asked for it and Hearth is online."""
    offline = GUARD.offline if offline is None else offline
    return ALL_INTERFACES if lan and not offline else LOOPBACK


def lan_addresses() -> list[str]:
    """This computer's IPv4 addresses that other devices on the network can reach."""
    found: set[str] = set()
    try:
        interfaces = psutil.net_if_addrs()
    except OSError as exc:
        log.warning("could not list network interfaces: %s", exc)
        return []
    for addresses in interfaces.values():
        for address in addresses:
            if address.family != socket.AF_INET:
                continue
            ip = ipaddress.ip_address(address.address)
            if not (ip.is_loopback or ip.is_link_local or ip.is_unspecified):
                found.add(str(ip))
    return sorted(found, key=ipaddress.ip_address)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stop() must not wait for a long reply to finish
    # On Windows SO_REUSEADDR would let two servers share a port; elsewhere it only skips TIME_WAIT.
    allow_reuse_address = os.name != "nt"

    def __init__(self, address: tuple[str, int], gateway: ApiGateway) -> None:
        from hearth.engine.gateway_proxy import GatewayHandler

        self.gateway = gateway
        super().__init__(address, GatewayHandler)


class ApiGateway:
    """Start, stop and count the local API server. Thread-safe.

    ``api_key`` is what clients must send as ``Authorization: Bearer``; None
    serves without a key. Both may be changed while serving.
    """

    def __init__(self, supervisor: EngineSupervisor, *, api_key: str | None = None,
                 max_body: int = MAX_BODY) -> None:
        self.supervisor = supervisor
        self.api_key = api_key
        self.max_body = max_body
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._requests = 0
        self._connections: set[socket.socket] = set()

    @property
    def running(self) -> bool:
        with self._lock:
            return self._server is not None

    @property
    def host(self) -> str | None:
        with self._lock:
            return self._server.server_address[0] if self._server else None  # type: ignore[return-value]

    @property
    def port(self) -> int | None:
        with self._lock:
            return self._server.server_address[1] if self._server else None

    @property
    def url(self) -> str | None:
        """The address programs on this computer use (also when serving the network)."""
        port = self.port
        return f"http://{LOOPBACK}:{port}/v1" if port is not None else None

    @property
    def requests(self) -> int:
        with self._lock:
            return self._requests

    def start(self, port: int, *, lan: bool = False) -> str:
        """Listen on ``port`` (0 picks a free one); returns :attr:`url`. Raises GatewayError."""
        host = serve_host(lan)
        with self._lock:
            if self._server is not None:
                raise GatewayError("The local API server is already running.")
            try:
                server = _Server((host, port), self)
            except OSError as exc:
                if exc.errno in _IN_USE or getattr(exc, "winerror", None) in _IN_USE:
                    raise GatewayError(f"Port {port} is already in use by another program: "
                                       "choose another port") from None
                raise GatewayError(f"Could not listen on port {port}: {exc.strerror or exc}") from None
            self._server = server
            self._requests = 0
            self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                            name="hearth-gateway", daemon=True)
            self._thread.start()
        log.info("local API server listening on %s:%s%s", host, server.server_address[1],
                 " (network access on)" if host != LOOPBACK else "")
        return str(self.url)

    def stop(self) -> None:
        """Stop listening and cut open connections (an engine stops generating for a cut stream)."""
        with self._lock:
            server, self._server = self._server, None
            thread, self._thread = self._thread, None
            connections = list(self._connections)
        if server is None:
            return
        server.shutdown()
        server.server_close()
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already gone
        if thread is not None:
            thread.join(timeout=2)
        log.info("local API server stopped")

    # ---- called by the request handler ---------------------------------------------------
    def counted(self) -> None:
        with self._lock:
            self._requests += 1

    def opened(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.add(connection)

    def closed(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.discard(connection)
