"""Runs a Qt-free callable on a thread pool and reports back on the GUI thread with signals.

The callable has the core's shape ``fn(progress, should_stop) -> result``.
Progress is coalesced: the task thread only stores its latest report and posts
at most one wake-up to the GUI thread at a time, and the GUI thread passes the
latest value on at most once per ``interval_s``. A tight copy loop therefore
cannot flood the event loop, a task that stalls still shows where it stalled,
and the last report always arrives before the end.

Exactly one of ``finished(result)``, ``failed(message)`` or ``cancelled()`` ends
a run, then ``done()``. :meth:`Worker.cancel` sets the stop flag; a task that
notices it raises :class:`~hearth.core.errors.Cancelled` and the run ends in
``cancelled`` (a task that had already completed still reports ``finished``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer, Signal, Slot

from hearth.core.errors import Cancelled, HearthError

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int, str], None]
StopFn = Callable[[], bool]
TaskFn = Callable[[ProgressFn, StopFn], Any]

FINISHED, FAILED, CANCELLED = "finished", "failed", "cancelled"


class _Relay(QObject):
    """Carries news from the pool thread to the Worker, always as queued signals."""

    progressed = Signal()  # "there is a newer progress report"
    ended = Signal(str, object)


class _Job:
    """The part that runs on the pool thread; it only touches the relay, its report and the stop flag."""

    def __init__(self, fn: TaskFn, relay: _Relay, stop: threading.Event) -> None:
        self._fn = fn
        self._relay = relay
        self._stop = stop
        self._lock = threading.Lock()
        self._latest: tuple[int, int, str] | None = None
        self._posted = False

    def _progress(self, done: int, total: int, text: str = "") -> None:
        with self._lock:
            self._latest = (done, total, text)
            post, self._posted = not self._posted, True
        if post:
            self._relay.progressed.emit()

    def take_latest(self) -> tuple[int, int, str] | None:
        """The newest report not yet taken (GUI thread); the next report posts a new wake-up."""
        with self._lock:
            latest, self._latest, self._posted = self._latest, None, False
        return latest

    def run(self) -> None:
        try:
            if self._stop.is_set():
                raise Cancelled()
            result = self._fn(self._progress, self._stop.is_set)
        except Cancelled:
            self._relay.ended.emit(CANCELLED, None)
        except HearthError as exc:
            self._relay.ended.emit(FAILED, str(exc))
        except Exception as exc:  # a bug in a task must not take the app down
            log.exception("background task failed")
            self._relay.ended.emit(FAILED, f"Unexpected error: {exc} (details are in the log)")
        else:
            self._relay.ended.emit(FINISHED, result)


class Worker(QObject):
    """One background run of ``fn``; signals are emitted on the thread that owns the Worker."""

    progress = Signal(object, object, str)  # done, total, text (Python ints: sizes may pass 2**31)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    done = Signal()

    def __init__(self, fn: TaskFn, *, interval_s: float = 0.05, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stop = threading.Event()
        # A child of the Worker, so Qt (not the pool thread dropping the last reference) frees it.
        self._relay = _Relay(self)
        self._relay.progressed.connect(self._on_progress_posted, Qt.ConnectionType.QueuedConnection)
        self._relay.ended.connect(self._on_ended, Qt.ConnectionType.QueuedConnection)
        self._job = _Job(fn, self._relay, self._stop)
        self._interval_ms = max(0, round(interval_s * 1000))
        self._last_emit = float("-inf")
        self._trailing = QTimer(self)
        self._trailing.setSingleShot(True)
        self._trailing.timeout.connect(self._emit_latest)
        self._state = "new"
        self.outcome: str | None = None

    @property
    def running(self) -> bool:
        return self._state == "running"

    @property
    def cancel_requested(self) -> bool:
        return self._stop.is_set()

    def start(self, pool: QThreadPool | None = None) -> None:
        if self._state != "new":
            raise RuntimeError("a Worker runs once")
        self._state = "running"
        (pool or QThreadPool.globalInstance()).start(self._job.run)

    def cancel(self) -> None:
        """Ask the task to stop; it ends with ``cancelled`` once it notices."""
        self._stop.set()

    @Slot()
    def _on_progress_posted(self) -> None:
        if self._state != "running" or self._trailing.isActive():
            return
        wait_ms = self._interval_ms - (time.monotonic() - self._last_emit) * 1000
        if wait_ms <= 0:
            self._emit_latest()
        else:
            self._trailing.start(int(wait_ms) + 1)

    @Slot()
    def _emit_latest(self) -> None:
        latest = self._job.take_latest()
        if latest is not None and self._state == "running":
            self._last_emit = time.monotonic()
            self.progress.emit(*latest)

    @Slot(str, object)
    def _on_ended(self, outcome: str, payload: object) -> None:
        self._trailing.stop()
        if outcome == FINISHED:
            self._emit_latest()  # the final report comes before the result
        self._state = "ended"
        self.outcome = outcome
        if outcome == FINISHED:
            self.finished.emit(payload)
        elif outcome == FAILED:
            self.failed.emit(str(payload))
        else:
            self.cancelled.emit()
        self.done.emit()
