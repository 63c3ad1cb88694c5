"""Download jobs as a Qt list: one row per JobSnapshot, updated in place as the manager reports.

The manager calls its listeners on its own threads; :class:`DownloadBridge`
re-emits each event as a Qt signal, and a queued connection brings it to the
GUI thread, where :meth:`DownloadsModel.apply` inserts, changes or removes the
job's row (``dataChanged`` for one row, never a reset).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from hearth.core.downloads import DownloadEvent, DownloadManager, JobSnapshot
from hearth.ui.downloads import texts

JOB_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()


class DownloadBridge(QObject):
    """Carries the manager's events from its threads to the GUI thread."""

    arrived = Signal(object)  # DownloadEvent

    def __init__(self, manager: DownloadManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe: Callable[[], None] | None = manager.subscribe(self.arrived.emit)

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None


class DownloadsModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: list[JobSnapshot] = []

    def rowCount(self, parent: Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._jobs)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._jobs):
            return None
        job = self._jobs[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return texts.title(job)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            parts = [texts.title(job), texts.STATE_WORDS[job.state], texts.amounts(job), texts.message(job)]
            return ", ".join(p for p in parts if p)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join([*job.files, texts.message(job)]).strip()
        if role == JOB_ROLE:
            return job
        if role == ID_ROLE:
            return job.id
        return None

    # ---- Hearth API ----------------------------------------------------------------------
    def set_jobs(self, jobs: list[JobSnapshot]) -> None:
        self.beginResetModel()
        self._jobs = list(jobs)
        self.endResetModel()

    def jobs(self) -> list[JobSnapshot]:
        return list(self._jobs)

    def row_of(self, job_id: str) -> int:
        return next((row for row, job in enumerate(self._jobs) if job.id == job_id), -1)

    def job(self, job_id: str) -> JobSnapshot | None:
        row = self.row_of(job_id)
        return self._jobs[row] if row >= 0 else None

    def apply(self, event: DownloadEvent) -> None:
        """Bring the list up to date with one manager event."""
        row = self.row_of(event.job.id)
        if event.kind == "removed":
            if row >= 0:
                self.beginRemoveRows(_NO_PARENT, row, row)
                del self._jobs[row]
                self.endRemoveRows()
            return
        if row < 0:  # "added", or news of a job this list has not seen yet
            self.beginInsertRows(_NO_PARENT, len(self._jobs), len(self._jobs))
            self._jobs.append(event.job)
            self.endInsertRows()
            return
        self._jobs[row] = event.job
        index = self.index(row, 0)
        self.dataChanged.emit(index, index)
