"""A record of every network request Hearth makes, for the user to see and export.

HTTP clients (huggingface_hub's and the OpenAI client's) report through
:func:`http_event_hooks`; :mod:`hearth.core.netguard` adds every socket
connection, so a request that skipped the hooks still shows up. URLs are kept
as host and path only: query values that could carry secrets are masked and
headers (where tokens travel) are never read. Loopback traffic to Hearth's own
engines is flagged ``loopback`` so the UI can list it apart from traffic that
leaves the machine.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

log = logging.getLogger(__name__)

#: Query parameters whose values are harmless to keep (search words the user typed, paging).
_SAFE_QUERY = {"search", "author", "filter", "sort", "direction", "limit", "full", "expand", "cursor",
               "blobs", "recursive", "p", "config"}
MAX_EVENTS = 5000


@dataclass(frozen=True)
class NetEvent:
    time: float
    kind: str  # "http" or "socket"
    method: str
    host: str
    port: int | None
    path: str
    status: int | None = None
    bytes_in: int | None = None
    loopback: bool = False
    blocked: bool = False
    source: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def is_loopback_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host in ("localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host.endswith(".localhost")


def sanitize_path(url: str) -> tuple[str, int | None, str]:
    """``(host, port, path?safe-query)`` with secret-looking query values masked."""
    parts = urlsplit(url)
    query = [(k, v if k in _SAFE_QUERY else "***") for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    path = parts.path or "/"
    if query:
        path += "?" + urlencode(query, safe="*,")
    return parts.hostname or "", parts.port, path


class NetworkLog:
    """Thread-safe ring of recent events, mirrored to a JSON-lines file when given one."""

    def __init__(self, file: Path | None = None) -> None:
        self.file = file
        self._events: deque[NetEvent] = deque(maxlen=MAX_EVENTS)
        self._lock = threading.Lock()
        self._listeners: list[Callable[[NetEvent], None]] = []

    def add(self, event: NetEvent) -> None:
        with self._lock:
            self._events.append(event)
            listeners = list(self._listeners)
        if self.file is not None:
            try:
                self.file.parent.mkdir(parents=True, exist_ok=True)
                with open(self.file, "a", encoding="utf-8") as handle:
                    handle.write(json.dumps(event.to_json()) + "\n")
            except OSError as exc:
                log.warning("could not append to the network log: %s", exc)
        for listener in listeners:
            listener(event)

    def events(self, *, loopback: bool | None = None) -> list[NetEvent]:
        with self._lock:
            found = list(self._events)
        return found if loopback is None else [e for e in found if e.loopback == loopback]

    def subscribe(self, listener: Callable[[NetEvent], None]) -> Callable[[], None]:
        """Call ``listener`` for each new event (from any thread); returns an unsubscribe function."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def clear(self) -> None:
        with self._lock:
            self._events.clear()

    def export(self, target: Path) -> int:
        """Write every event as JSON (``.json``) or CSV (any other suffix); returns the count."""
        events = self.events()
        if target.suffix.lower() == ".json":
            target.write_text(json.dumps([e.to_json() for e in events], indent=2), encoding="utf-8")
        else:
            import csv

            with open(target, "w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=list(NetEvent.__dataclass_fields__))
                writer.writeheader()
                writer.writerows(e.to_json() for e in events)
        return len(events)

    def http(self, method: str, url: str, source: str, status: int | None = None,
             bytes_in: int | None = None) -> None:
        host, port, path = sanitize_path(url)
        self.add(NetEvent(time.time(), "http", method, host, port, path, status, bytes_in,
                          loopback=is_loopback_host(host), source=source))


#: The process-wide log every client reports to. The app points ``file`` at the logs folder.
NETWORK_LOG = NetworkLog()


def http_event_hooks(source: str, netlog: NetworkLog | None = None) -> dict[str, list[Callable[..., None]]]:
    """Event hooks for an httpx-style client (``httpx.Client(event_hooks=...)``).

    The response hook logs method, host, path, status and the declared size; it
    runs before the body is read, so streams are not disturbed.
    """
    target = netlog or NETWORK_LOG

    def on_response(response: Any) -> None:
        request = response.request
        length = response.headers.get("content-length")
        target.http(request.method, str(request.url), source, response.status_code,
                    int(length) if length and length.isdigit() else None)

    return {"response": [on_response]}
