"""The license and risk badges of library models for the Chat page, each computed once, off the GUI thread."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal

from hearth.core.badges import Badge
from hearth.core.hardware import probe
from hearth.core.model_entry import ModelEntry
from hearth.ui.badges.compute import compute_badges
from hearth.ui.worker import ProgressFn, StopFn, Worker

log = logging.getLogger(__name__)


class BadgeCache(QObject):
    """One computation at a time; ``settled()`` after each ends, ``failed(entry, text)`` when one could not."""

    settled = Signal()
    failed = Signal(object, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.known: dict[str, list[Badge]] = {}
        self._worker: Worker | None = None

    def get(self, entry_id: str) -> list[Badge] | None:
        return self.known.get(entry_id)

    def compute(self, entry: ModelEntry) -> None:
        """Start computing ``entry``'s badges, unless a computation runs (its owner asks again on ``settled``)."""
        if self._worker is not None:
            return

        def run(_progress: ProgressFn, _stop: StopFn) -> Any:
            return entry.id, compute_badges(entry, probe())

        worker = Worker(run, parent=self)
        worker.finished.connect(self._ready)
        worker.failed.connect(lambda text: self._failed(entry, text))
        worker.done.connect(self._done)
        self._worker = worker
        worker.start()

    def _ready(self, result: tuple[str, list[Badge]]) -> None:
        entry_id, badges = result
        self.known[entry_id] = badges

    def _failed(self, entry: ModelEntry, text: str) -> None:
        log.warning("could not check %s: %s", entry.name, text)
        self.failed.emit(entry, text)

    def _done(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.deleteLater()
        self.settled.emit()
