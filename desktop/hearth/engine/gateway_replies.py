"""How the local API server reads request bodies and answers: JSON, OpenAI-style errors, careful logs."""

from __future__ import annotations

import json
import logging
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

log = logging.getLogger("hearth.engine.gateway_proxy")  # one logger for the server's request lines


class JsonReplies(BaseHTTPRequestHandler):
    """A request handler that speaks JSON; ``max_body`` bounds what :meth:`_read_json` accepts."""

    max_body: int  # the gateway's limit (see GatewayHandler)

    def _read_json(self) -> dict[str, Any] | None:
        """The request's JSON object, or None after answering with the reason it is unusable."""
        if self.headers.get("Transfer-Encoding"):
            return self._error(411, "Send the request body with a Content-Length header.")
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if length < 0:
            return self._error(400, "The Content-Length header is not a number.")
        if length > self.max_body:
            return self._error(413, f"The request body is too large (over {self.max_body // 2**20} MiB).")
        try:
            body = json.loads(self.rfile.read(length) or b"null")
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            return self._error(400, "The request body must be a JSON object.")
        return body

    # ---- answering -------------------------------------------------------------------------
    def _error(self, status: int, message: str, kind: str = "invalid_request_error",
               code: str | None = None) -> None:
        self.close_connection = True  # the body may be unread: never parse it as the next request
        self._send_json(status, {"error": {"message": message, "type": kind, "param": None, "code": code}})

    def _send_json(self, status: int, payload: dict[str, Any]) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json")

    def _send(self, status: int, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        try:
            self.wfile.write(data)
        except OSError:
            log.info("client left before the reply was sent")

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # Method, path and status only: headers (where keys travel) and queries are never logged.
        log.info("%s %s %s", self.command, urlsplit(self.path).path, code)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("gateway: " + format, *args)
