"""The remote engines as a table: name, address, whether a key is stored, and the models last seen there.

Whether a key is stored is read from the keyring once per :meth:`refresh`
(never per paint), like the Hub token box does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from hearth.engine.remote import RemoteEngine, RemoteEngines

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Name", "Address", "Key", "Models")
NAME, ADDRESS, KEY, MODELS = range(4)
MAX_SHOWN_MODELS = 3


@dataclass(frozen=True)
class RemoteRow:
    engine: RemoteEngine
    has_key: bool


def models_text(models: tuple[str, ...]) -> str:
    if not models:
        return "Not listed yet: press Test"
    shown = ", ".join(models[:MAX_SHOWN_MODELS])
    more = len(models) - MAX_SHOWN_MODELS
    return shown + (f" and {more} more" if more > 0 else "")


class RemoteEnginesModel(QAbstractTableModel):
    """Rows follow :meth:`RemoteEngines.list`; call :meth:`refresh` after a change."""

    def __init__(self, remotes: RemoteEngines, parent: Any = None) -> None:
        super().__init__(parent)
        self.remotes = remotes
        self.rows: list[RemoteRow] = []
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self.rows = [RemoteRow(engine, self.remotes.has_key(engine.name)) for engine in self.remotes.list()]
        self.endResetModel()

    def engine(self, row: int) -> RemoteEngine | None:
        return self.rows[row].engine if 0 <= row < len(self.rows) else None

    def row_of(self, name: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.engine.name == name), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == MODELS and row.engine.models:
                return "\n".join(row.engine.models)
            return self._text(row, column)
        if role == Qt.ItemDataRole.UserRole:
            return row.engine.name
        return None

    @staticmethod
    def _text(row: RemoteRow, column: int) -> str | None:
        if column == NAME:
            return row.engine.name
        if column == ADDRESS:
            return row.engine.base_url
        if column == KEY:
            return "Stored" if row.has_key else "None"
        if column == MODELS:
            return models_text(row.engine.models)
        return None
