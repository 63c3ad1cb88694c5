"""Search results as a Qt table: one row per RepoSummary, in the order the Hub sorted them.

Rows only ever grow while a search loads more pages (:meth:`ResultsModel.append`
inserts them), and a new search starts from :meth:`ResultsModel.clear`.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QObject, Qt

from hearth.core.hub_models import RepoSummary
from hearth.core.units import human_ago, human_count
from hearth.ui import icons
from hearth.ui.badges import BADGES_ROLE
from hearth.ui.discover.license_cell import LicenseCell, license_cell
from hearth.ui.table_model_base import NO_PARENT, ColumnTableModel, Index

SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 1
LICENSE_CLASS_ROLE = Qt.ItemDataRole.UserRole + 2
ID_ROLE = Qt.ItemDataRole.UserRole + 3


class Column(IntEnum):
    NAME = 0
    AUTHOR = 1
    PARAMETERS = 2
    DOWNLOADS = 3
    LIKES = 4
    UPDATED = 5
    LICENSE = 6  # license and repository risk badges, painted as pills (see license_cell)


HEADERS = {
    Column.NAME: ("Model", "The repository's name on the Hub"),
    Column.AUTHOR: ("Author", "Who published the repository"),
    Column.PARAMETERS: ("Params", "Parameters, from the Hub's reading of the GGUF file"),
    Column.DOWNLOADS: ("Downloads", "Downloads in the last month"),
    Column.LIKES: ("Likes", "Likes on the Hub"),
    Column.UPDATED: ("Updated", "When the repository last changed"),
    Column.LICENSE: ("License", "What the license lets you do (hover for the license's name)"),
}
_NUMERIC = {Column.PARAMETERS, Column.DOWNLOADS, Column.LIKES}


def _number(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


class ResultsModel(ColumnTableModel):

    headers = tuple(HEADERS[column] for column in Column)
    numeric_columns = _NUMERIC
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[RepoSummary, LicenseCell]] = []
        self._ids: set[str] = set()

    # ---- Qt ------------------------------------------------------------------------------
    def row_total(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        summary, cell = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(summary, cell, column)
        if role == SUMMARY_ROLE:
            return summary
        if role == ID_ROLE:
            return summary.id
        if role == LICENSE_CLASS_ROLE:
            return cell.license_class
        if role == BADGES_ROLE and column == Column.LICENSE:
            return list(cell.badges)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(summary, cell, column)
        if role == Qt.ItemDataRole.DecorationRole and column == Column.NAME:
            return icons.icon("lock") if summary.gated else icons.icon("model")
        return None

    # ---- Hearth API ----------------------------------------------------------------------
    def clear(self) -> None:
        self.beginResetModel()
        self._rows = []
        self._ids = set()
        self.endResetModel()

    def append(self, items: list[RepoSummary]) -> int:
        """Add the items not listed yet (a cached page may repeat one); returns how many were added."""
        fresh: list[RepoSummary] = []
        for item in items:
            if item.id not in self._ids:
                self._ids.add(item.id)
                fresh.append(item)
        if fresh:
            first = len(self._rows)
            self.beginInsertRows(NO_PARENT, first, first + len(fresh) - 1)
            self._rows += [(item, license_cell(item)) for item in fresh]
            self.endInsertRows()
        return len(fresh)

    def summaries(self) -> list[RepoSummary]:
        return [summary for summary, _cell in self._rows]

    def row_of(self, repo_id: str) -> int:
        for row, (summary, _cell) in enumerate(self._rows):
            if summary.id == repo_id:
                return row
        return -1

    def architectures(self) -> list[str]:
        return sorted({s.architecture for s, _cell in self._rows if s.architecture}, key=str.lower)

    # ---- cells ---------------------------------------------------------------------------
    @staticmethod
    def _display(summary: RepoSummary, cell: LicenseCell, column: Column) -> str:
        if column == Column.NAME:
            return summary.name
        if column == Column.AUTHOR:
            return summary.author or "—"
        if column == Column.PARAMETERS:
            return human_count(summary.parameters)
        if column == Column.DOWNLOADS:
            return _number(summary.downloads)
        if column == Column.LIKES:
            return _number(summary.likes)
        if column == Column.UPDATED:
            return human_ago(summary.last_modified)
        return cell.label

    @staticmethod
    def _tooltip(summary: RepoSummary, cell: LicenseCell, column: Column) -> str | None:
        if column == Column.NAME:
            lines = [summary.id]
            if summary.architecture:
                lines.append(f"Architecture: {summary.architecture}")
            if summary.gated:
                lines.append("Gated: accept its terms on the Hub before downloading.")
            return "\n".join(lines)
        if column == Column.PARAMETERS and summary.parameters:
            return f"{summary.parameters:,} parameters"
        if column == Column.UPDATED and summary.last_modified:
            return summary.last_modified
        if column == Column.LICENSE:
            return cell.tooltip
        return None


