"""Independent background calls for a page: each runs at once on the page's own small thread pool.

:class:`~hearth.ui.task_runner.TaskRunner` queues a page's tasks one after the
other; browsing the Hub needs the opposite: a search, a repository's details
and a hardware probe may all be in flight together, and a newer search simply
makes the older one's answer stale (the caller drops it by a generation number).
Callbacks run on the GUI thread and are never called after :meth:`shutdown`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool

from hearth.ui.worker import TaskFn, Worker

log = logging.getLogger(__name__)


class Background(QObject):
    """Start calls with :meth:`run`; stop them all with :meth:`shutdown` before the page goes away."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        # Created first, so it is destroyed first and waits for running calls while their Workers live.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._workers: set[Worker] = set()
        self._closed = False

    @property
    def busy(self) -> bool:
        return bool(self._workers)

    def run(self, fn: TaskFn, *, on_finished: Callable[[Any], None] | None = None,
            on_failed: Callable[[str], None] | None = None,
            on_cancelled: Callable[[], None] | None = None) -> Worker | None:
        """Start ``fn(progress, should_stop)``; None when the page is shutting down."""
        if self._closed:
            return None
        worker = Worker(fn, parent=self)
        self._workers.add(worker)
        if on_finished is not None:
            worker.finished.connect(lambda result: self._call(on_finished, result))
        if on_failed is not None:
            worker.failed.connect(lambda message: self._call(on_failed, message))
        if on_cancelled is not None:
            worker.cancelled.connect(lambda: self._call(on_cancelled))
        worker.done.connect(lambda: self._ended(worker))
        worker.start(self._pool)
        return worker

    def _call(self, callback: Callable[..., None], *args: Any) -> None:
        if not self._closed:
            callback(*args)

    def _ended(self, worker: Worker) -> None:
        self._workers.discard(worker)
        worker.deleteLater()

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Ask every call to stop, drop their callbacks and wait for the threads; True if all ended."""
        self._closed = True
        for worker in list(self._workers):
            worker.cancel()
        return self._pool.waitForDone(timeout_ms)
