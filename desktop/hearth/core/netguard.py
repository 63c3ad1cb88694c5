"""The offline guard: while offline mode is on, no socket may leave this machine.

It is a Python audit hook (PEP 578) on ``socket.connect`` and
``socket.getaddrinfo``, so it covers every library in the process, not only
the clients Hearth configures. Connections to loopback are always allowed
(Hearth's own engines listen there); any other is refused with
:class:`OfflineBlocked` and recorded in the network log as blocked. Online, the
hook only records connections. Audit hooks cannot be removed, so the guard is
installed once per process and then switched on and off.
"""

from __future__ import annotations

import logging
import socket
import sys
import threading
import time
from typing import Any

from hearth.core.netlog import NETWORK_LOG, NetEvent, NetworkLog, is_loopback_host

log = logging.getLogger(__name__)


class OfflineBlocked(ConnectionRefusedError):
    """Raised inside the code that tried to connect while Hearth is offline."""


class NetGuard:
    def __init__(self, netlog: NetworkLog = NETWORK_LOG) -> None:
        self.netlog = netlog
        self.offline = False
        self._installed = False
        self._lock = threading.Lock()
        self._local = threading.local()

    def install(self) -> NetGuard:
        with self._lock:
            if not self._installed:
                sys.addaudithook(self._audit)
                self._installed = True
        return self

    def set_offline(self, offline: bool) -> None:
        self.offline = offline
        log.info("offline mode %s", "on: non-loopback connections are refused" if offline else "off")

    def _audit(self, event: str, args: tuple[Any, ...]) -> None:
        if event == "socket.connect":
            sock, address = args
            if getattr(sock, "family", None) not in (socket.AF_INET, socket.AF_INET6):
                return
            self._check(str(address[0]), int(address[1]), "CONNECT")
        elif event == "socket.getaddrinfo":
            host = args[0]
            if isinstance(host, bytes):
                host = host.decode("ascii", "replace")
            if host is None or not self.offline:
                return  # look-ups cost nothing to record online; connects are logged below
            self._check(str(host), args[1] if isinstance(args[1], int) else None, "RESOLVE")

    def _check(self, host: str, port: int | None, method: str) -> None:
        if getattr(self._local, "busy", False):
            return  # the log's own file writes must not recurse into the hook
        loopback = is_loopback_host(host)
        blocked = self.offline and not loopback
        if loopback and not blocked:
            return  # engines on 127.0.0.1 would flood the log; HTTP hooks list them
        self._local.busy = True
        try:
            self.netlog.add(NetEvent(time.time(), "socket", method, host, port, "", loopback=loopback,
                                     blocked=blocked, source="guard"))
        finally:
            self._local.busy = False
        if blocked:
            raise OfflineBlocked(f"Hearth is offline: a connection to {host} was blocked")


#: The process-wide guard. The app and every engine process install it at start.
GUARD = NetGuard()
