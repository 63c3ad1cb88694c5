"""Delivering download events to listeners: in order, one at a time, never under the manager's lock.

Changes are queued while the manager holds its lock and delivered by
:meth:`EventBus.flush` after it lets go, so a listener may call back into the
manager (or block briefly) without deadlocking the downloads.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from typing import ContextManager

from hearth.core.downloads.job import DownloadEvent

log = logging.getLogger(__name__)

Listener = Callable[[DownloadEvent], None]


class EventBus:
    def __init__(self, lock: ContextManager[object]) -> None:
        self._lock = lock  # the manager's lock, guarding the queue and the listener list
        self._listeners: list[Listener] = []
        self._pending: deque[DownloadEvent] = deque()
        self._delivering = threading.Lock()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def queue(self, event: DownloadEvent) -> None:
        """Remember an event; call with the manager's lock held."""
        self._pending.append(event)

    def flush(self) -> None:
        """Deliver queued events in order; call without holding the manager's lock."""
        with self._delivering:
            while True:
                with self._lock:
                    if not self._pending:
                        return
                    event = self._pending.popleft()
                    listeners = list(self._listeners)
                for listener in listeners:
                    try:
                        listener(event)
                    except Exception:  # a broken view must not break downloads
                        log.exception("download listener failed")
