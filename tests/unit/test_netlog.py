"""The network log keeps host and path, masks secret-looking query values, and exports."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from hearth.core.netlog import NetworkLog, http_event_hooks, is_loopback_host, sanitize_path


def test_sanitize_keeps_search_words_and_masks_everything_else() -> None:
    host, port, path = sanitize_path("https://hub.example:8443/api/models?search=llama+1b&token=hf_secret&limit=20")
    assert (host, port) == ("hub.example", 8443)
    assert "hf_secret" not in path
    assert "search=llama+1b" in path and "limit=20" in path and "token=***" in path


def test_loopback_hosts() -> None:
    assert all(is_loopback_host(h) for h in ("127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost"))
    assert not any(is_loopback_host(h) for h in ("0.0.0.0", "huggingface.co", "192.0.2.1"))


def test_events_are_mirrored_to_a_file_and_exported(tmp_path: Path) -> None:
    netlog = NetworkLog(tmp_path / "network.jsonl")
    netlog.http("GET", "https://hub.example/api/models?search=gemma", "hub", 200, 1234)
    netlog.http("POST", "http://127.0.0.1:5555/v1/chat/completions", "engine", 200, None)
    lines = (tmp_path / "network.jsonl").read_text().splitlines()
    assert [json.loads(line)["host"] for line in lines] == ["hub.example", "127.0.0.1"]
    assert [e.source for e in netlog.events(loopback=False)] == ["hub"]
    assert netlog.export(tmp_path / "out.json") == 2
    assert json.loads((tmp_path / "out.json").read_text())[1]["loopback"] is True
    netlog.export(tmp_path / "out.csv")
    with open(tmp_path / "out.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["path"] == "/api/models?search=gemma" and rows[0]["bytes_in"] == "1234"


def test_http_hooks_record_real_responses(tmp_path: Path) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import httpx2

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = b"hello"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    netlog = NetworkLog()
    try:
        with httpx2.Client(event_hooks=http_event_hooks("test", netlog)) as client:
            client.get(f"http://127.0.0.1:{server.server_port}/v1/models?api_key=sk-123")
    finally:
        server.shutdown()
        server.server_close()
    (event,) = netlog.events()
    assert (event.method, event.status, event.bytes_in, event.loopback) == ("GET", 200, 5, True)
    assert "sk-123" not in event.path
