"""A queue of background tasks for one page: one runs at a time, the rest wait their turn.

Running library tasks one after another keeps scans, imports and removals from
racing each other, and gives the progress strip one task to show and cancel.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

from hearth.ui.worker import TaskFn, Worker

log = logging.getLogger(__name__)


@dataclass
class Task:
    """What to run and what to do with its outcome (callbacks run on the GUI thread)."""

    title: str
    fn: TaskFn
    on_finished: Callable[[Any], None] | None = None
    on_failed: Callable[[str], None] | None = None
    on_cancelled: Callable[[], None] | None = None
    cancellable: bool = True
    unit: str = "items"  # "items" or "bytes": how the progress strip words the numbers
    key: str | None = None  # a task with the key of a waiting or running one is not queued twice


class TaskRunner(QObject):
    """Runs :class:`Task` objects in order on a private one-thread pool."""

    started = Signal(object)  # Task
    progress = Signal(object, object, str)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._queue: deque[Task] = deque()
        self._current: tuple[Task, Worker] | None = None
        self._closed = False

    @property
    def busy(self) -> bool:
        return self._current is not None

    @property
    def current(self) -> Task | None:
        return self._current[0] if self._current else None

    @property
    def worker(self) -> Worker | None:
        return self._current[1] if self._current else None

    def threads_running(self) -> int:
        return self._pool.activeThreadCount()

    def pending(self) -> list[Task]:
        return list(self._queue)

    def submit(self, task: Task) -> bool:
        """Queue ``task``; False when an equal-keyed task is already waiting or running."""
        if self._closed:
            return False
        if task.key is not None:
            waiting = [t.key for t in self._queue] + ([self._current[0].key] if self._current else [])
            if task.key in waiting:
                log.debug("task %s is already queued", task.key)
                return False
        self._queue.append(task)
        if self._current is None:
            self._next()
        return True

    def cancel_current(self) -> None:
        if self._current is not None and self._current[0].cancellable:
            self._current[1].cancel()

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Drop waiting tasks, stop the running one and wait for its thread; True if it ended.

        The stopped task's callbacks are not called any more: its page may be going away.
        """
        self._closed = True
        self._queue.clear()
        if self._current is not None:
            self._current[1].cancel()
            self._current = None
        return self._pool.waitForDone(timeout_ms)

    def _next(self) -> None:
        if not self._queue or self._closed:
            return
        task = self._queue.popleft()
        was_busy = self._current is not None
        worker = Worker(task.fn, parent=self)
        self._current = (task, worker)
        # Bound slots, not lambdas: the runner asks sender() which worker spoke.
        worker.finished.connect(self._finished)
        worker.failed.connect(self._failed)
        worker.cancelled.connect(self._cancelled)
        worker.progress.connect(self._progress)
        worker.done.connect(self._done)
        log.debug("starting task: %s", task.title)
        if not was_busy:
            self.busy_changed.emit(True)
        self.started.emit(task)
        worker.start(self._pool)

    def _task_of_sender(self) -> Task | None:
        """The task whose worker sent the signal being handled, if it is still the current one."""
        if self._current is not None and self.sender() is self._current[1]:
            return self._current[0]
        return None

    @Slot(object)
    def _finished(self, result: object) -> None:
        task = self._task_of_sender()
        if task is not None and task.on_finished is not None:
            task.on_finished(result)

    @Slot(str)
    def _failed(self, message: str) -> None:
        task = self._task_of_sender()
        if task is not None and task.on_failed is not None:
            task.on_failed(message)

    @Slot()
    def _cancelled(self) -> None:
        task = self._task_of_sender()
        if task is not None and task.on_cancelled is not None:
            task.on_cancelled()

    @Slot(object, object, str)
    def _progress(self, done: int, total: int, text: str) -> None:
        if self._task_of_sender() is not None:
            self.progress.emit(done, total, text)

    @Slot()
    def _done(self) -> None:
        worker = self.sender()
        if isinstance(worker, Worker):
            worker.deleteLater()
        if self._task_of_sender() is None:
            return
        if self._queue and not self._closed:
            self._next()
            return
        self._current = None
        self.busy_changed.emit(False)
