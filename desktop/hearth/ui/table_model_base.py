"""The shared part of Hearth's table models: a fixed set of columns, each with a title, a tooltip and an alignment.

A subclass names its columns in :attr:`ColumnTableModel.headers` (title and
tooltip per column, in order) and its right-aligned numeric columns in
:attr:`ColumnTableModel.numeric_columns`, and says how many rows it has in
:meth:`ColumnTableModel.row_total`; the rest of the Qt boilerplate lives here.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
NO_PARENT = QModelIndex()


class ColumnTableModel(QAbstractTableModel):
    headers: Sequence[tuple[str, str]] = ()
    numeric_columns: Collection[int] = ()

    def row_total(self) -> int:
        raise NotImplementedError

    def alignment(self, column: int) -> int:
        horizontal = Qt.AlignmentFlag.AlignRight if column in self.numeric_columns else Qt.AlignmentFlag.AlignLeft
        return int(horizontal | Qt.AlignmentFlag.AlignVCenter)

    def rowCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else self.row_total()

    def columnCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.headers):
            return None
        title, tip = self.headers[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return title
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(section)
        return None
