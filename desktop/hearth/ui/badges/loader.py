"""Works out badges in the background and hands them to the GUI thread as they are ready.

One :class:`BadgeLoader` per page. :meth:`BadgeLoader.request` may be called as
often as entries change: while a run is going, only the newest request waits,
and the :class:`~hearth.ui.badges.compute.BadgeCache` makes a repeat run cost a
``stat`` per file. Runs on a private one-thread pool, so it never waits behind
(or holds up) a page's scans and imports.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QThreadPool, Signal

from hearth.core.badges import Badge
from hearth.core.hardware import HardwareProfile, probe
from hearth.core.model_entry import ModelEntry
from hearth.ui.badges.compute import BadgeCache, BadgeResults, badges_job
from hearth.ui.worker import Worker

log = logging.getLogger(__name__)


class BadgeLoader(QObject):
    """Computes badges for entries off the UI thread; ``updated`` carries ``{entry id: [Badge]}``."""

    updated = Signal(object)
    idle = Signal()

    def __init__(self, parent: QObject | None = None, *,
                 profile: Callable[[], HardwareProfile | None] = probe) -> None:
        super().__init__(parent)
        self.cache = BadgeCache()
        self._profile = profile
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._worker: Worker | None = None
        self._pending: list[ModelEntry] | None = None
        self._closed = False

    @property
    def busy(self) -> bool:
        return self._worker is not None or self._pending is not None

    def badges(self, entry_id: str) -> list[Badge] | None:
        """The latest badges known for an entry (None until its first run finishes)."""
        return self.cache.get(entry_id)

    def request(self, entries: Sequence[ModelEntry]) -> None:
        """Compute (or confirm from the cache) the badges of ``entries``; forget other entries."""
        if self._closed:
            return
        self._pending = list(entries)
        if self._worker is None:
            self._start()

    def _start(self) -> None:
        entries, self._pending = self._pending or [], None
        worker = Worker(badges_job(entries, self.cache.snapshot(), self._profile), parent=self)
        ids = {e.id for e in entries}
        worker.finished.connect(lambda results: self._finished(results, ids))
        worker.failed.connect(lambda message: log.warning("badges could not be computed: %s", message))
        worker.done.connect(self._done)
        self._worker = worker
        worker.start(self._pool)

    def _finished(self, results: BadgeResults, ids: set[str]) -> None:
        if self._closed:
            return
        self.cache.merge(results)
        if self._pending is None:  # a newer request decides what is kept
            self.cache.keep_only(ids)
        self.updated.emit(dict(results.badges))

    def _done(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.deleteLater()
        if self._pending is not None and not self._closed:
            self._start()
        elif not self._closed:
            self.idle.emit()

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Stop and wait for the running job; True when its thread ended."""
        self._closed = True
        self._pending = None
        if self._worker is not None:
            self._worker.cancel()
        return self._pool.waitForDone(timeout_ms)
