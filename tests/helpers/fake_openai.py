"""A small loopback server that speaks just enough of the OpenAI API to stand in for a remote engine.

It streams a fixed reply word by word and, like some servers, ignores
``stream_options`` (no usage chunk), so clients must count for themselves.
It checks the bearer key when given one and records what it was asked.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

REPLY = ["Hello", " from", " a", " remote", " engine", "."]


class FakeOpenAI:
    def __init__(self, api_key: str | None = None, reply: list[str] | None = None) -> None:
        self.api_key = api_key
        self.reply = reply or REPLY
        self.requests: list[dict[str, Any]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: Any) -> None:
                pass

            def _authorised(self) -> bool:
                if fake.api_key and self.headers.get("Authorization") != f"Bearer {fake.api_key}":
                    self._json(401, {"error": {"message": "Invalid API key", "type": "auth", "code": "bad_key"}})
                    return False
                return True

            def _json(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                if self._authorised():
                    self._json(200, {"object": "list", "data": [{"id": "fake-model", "object": "model",
                                                                 "created": 0, "owned_by": "test"}]})

            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                fake.requests.append(body)
                if not self._authorised():
                    return
                if body.get("messages", [{}])[-1].get("content") == "overflow":
                    self._json(400, {"error": {"message": "This model's maximum context length is 8 tokens",
                                               "type": "invalid_request_error", "code": "context_length_exceeded"}})
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                for index, word in enumerate(fake.reply):
                    last = index == len(fake.reply) - 1
                    chunk = {"id": "c1", "object": "chat.completion.chunk", "created": int(time.time()),
                             "model": "fake-model", "choices": [{"index": 0, "delta": {"content": word},
                                                                 "finish_reason": "stop" if last else None}]}
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
                self.close_connection = True

        return Handler
