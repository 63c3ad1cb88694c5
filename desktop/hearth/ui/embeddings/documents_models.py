"""Table models of the Documents tab: the collections, a collection's skipped files, search hits."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from hearth.core.documents import Collection, FileRecord, SearchHit

ModelIndex = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")
Column = tuple[str, Callable[[Any], str]]


def _when(stamp: str | None) -> str:
    """``2025-01-02T10:11:12+00:00`` → ``2025-01-02 10:11``; "never" when not indexed yet."""
    return stamp[:16].replace("T", " ") if stamp else "never"


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def snippet(text: str, limit: int = 240) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


class RowsModel(QAbstractTableModel, Generic[Row]):
    """A read-only table over a list of rows; each column is a header and a row → text function."""

    COLUMNS: Sequence[Column] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.COLUMNS[index.column()][1](row)
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.COLUMNS):
            return self.COLUMNS[section][0]
        return super().headerData(section, orientation, role)


class CollectionsModel(RowsModel[Collection]):
    """The collections; ``model_name`` turns a stored model id into a name people know."""

    COLUMNS = (
        ("Name", lambda c: c.name),
        ("Files", lambda c: f"{c.files_indexed}" + (f" (+{c.files_skipped} skipped)" if c.files_skipped else "")),
        ("Chunks", lambda c: str(c.chunk_count)),
        ("Model", lambda c: c.model or "not chosen yet"),  # per instance: a name lookup
        ("Last indexed", lambda c: _when(c.indexed_at)),
    )

    def __init__(self, parent: Any = None, model_name: Callable[[str], str] = os.path.basename) -> None:
        super().__init__(parent)
        self.COLUMNS = tuple(  # type: ignore[misc]
            (title, (lambda c: model_name(c.model) if c.model else "not chosen yet") if title == "Model" else fn)
            for title, fn in CollectionsModel.COLUMNS)

    def row_of(self, name: str) -> int:
        return next((i for i, c in enumerate(self.rows) if c.name == name), -1)


class ReportModel(RowsModel[tuple[str, FileRecord]]):
    """Skipped files as ``(display path, record)``."""

    COLUMNS = (
        ("File", lambda r: r[0]),
        ("Kind", lambda r: r[1].kind),
        ("Why it was skipped", lambda r: r[1].reason or ""),
    )


class HitsModel(RowsModel[SearchHit]):
    COLUMNS = (
        ("File", lambda h: h.display_path),
        ("Where", lambda h: h.chunk.where()),
        ("Score", lambda h: f"{h.score:.4f}"),
        ("Keyword", lambda h: _score(h.keyword_score)),
        ("Vector", lambda h: _score(h.vector_score)),
        ("Snippet", lambda h: snippet(h.chunk.text)),
    )
