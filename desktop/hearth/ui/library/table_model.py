"""The library as a Qt table: one row per ModelEntry, plus the sort/filter proxy in front of it.

Display text is made for people ("268M", "1.23 GB"); :data:`SORT_ROLE` gives the
raw numbers, so sorting by size or parameters is numeric, not alphabetical. The
Checks column holds each entry's badges in :data:`~hearth.ui.badges.BADGES_ROLE`
(None until :meth:`LibraryTableModel.set_badges` brings them from the background).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt

from hearth.core.badges import Badge, Level, worst_level
from hearth.core.licenses import license_info
from hearth.core.model_entry import SOURCE_HUB, SOURCE_IMPORTED, ModelEntry
from hearth.core.units import human_bytes, human_context, human_count
from hearth.ui import icons, theme
from hearth.ui.badges.delegate import BADGES_ROLE
from hearth.ui.badges.pill import level_icon
from hearth.ui.badges.texts import summary_text
from hearth.ui.table_model_base import ColumnTableModel, Index

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
ID_ROLE = Qt.ItemDataRole.UserRole + 3


class Column(IntEnum):
    NAME = 0
    BADGES = 1
    ARCHITECTURE = 2
    PARAMETERS = 3
    QUANTIZATION = 4
    SIZE = 5
    CONTEXT = 6
    LICENSE = 7
    SOURCE = 8


HEADERS = {
    Column.NAME: ("Name", "The model's name from its file header"),
    Column.BADGES: ("Checks", "License and risk checks, worst first. Point at a badge to see what was found; "
                              "the details panel's Passport button explains them all"),
    Column.ARCHITECTURE: ("Arch", "Architecture: the model family llama.cpp runs it as"),
    Column.PARAMETERS: ("Params", "Parameters: the number of weights, counted from the tensor table"),
    Column.QUANTIZATION: ("Quant", "Quantization: how the weights are stored (fewer bits: smaller, less exact)"),
    Column.SIZE: ("Size", "Size on disk, all parts together"),
    Column.CONTEXT: ("Context", "The longest context the model was trained for, in tokens"),
    Column.LICENSE: ("License", "The license the file declares (check the model card too)"),
    Column.SOURCE: ("Source", "Where the model came from"),
}
_NUMERIC = {Column.PARAMETERS, Column.SIZE, Column.CONTEXT}


def source_text(entry: ModelEntry, own_folder: Path | None = None) -> str:
    if entry.source.kind == SOURCE_HUB and entry.source.repo_id:
        return entry.source.repo_id
    if entry.source.kind == SOURCE_IMPORTED:
        return "Imported"
    if own_folder is not None and entry.folder == own_folder:
        return "Hearth folder"
    return f"Folder: {entry.folder.name}"


def status_icon_name(entry: ModelEntry, badges: Sequence[Badge] | None = None) -> tuple[str, str | None]:
    """The icon and colour that mark a row: a cube when fine, a warning or an error otherwise.

    A danger badge (a suspicious chat template, say) marks the row as an error too.
    """
    if not entry.usable or (badges and worst_level(list(badges)) is Level.DANGER):
        return "error", theme.ERROR
    if entry.problems:
        return "warning", theme.WARNING
    return "model", None


def search_text(entry: ModelEntry) -> str:
    """Everything the filter box matches against, lower-cased."""
    f = entry.facts
    words = [entry.name, str(entry.path), *(str(p) for p in entry.parts), entry.source.describe()]
    if f is not None:
        words += [f.architecture or "", f.quantization or "", f.license or "", f.size_label or ""]
    return "\n".join(words).lower()


class LibraryTableModel(ColumnTableModel):
    """Rows are :class:`ModelEntry` objects; replace them all with :meth:`set_entries`."""

    headers = tuple(HEADERS[column] for column in Column)
    numeric_columns = _NUMERIC

    def __init__(self, own_folder: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[ModelEntry] = []
        self._badges: dict[str, list[Badge]] = {}
        self._own_folder = own_folder

    # ---- Qt model API --------------------------------------------------------------------
    def row_total(self) -> int:
        return len(self._entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        column = Column(index.column())
        if column == Column.BADGES:
            return self._badge_data(entry, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, column)
        if role == SORT_ROLE:
            return self._sort_key(entry, column)
        if role == ENTRY_ROLE:
            return entry
        if role == ID_ROLE:
            return entry.id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, column)
        if role == Qt.ItemDataRole.DecorationRole and column == Column.NAME:
            name, color = status_icon_name(entry, self._badges.get(entry.id))
            return icons.icon(name, color)
        if role == Qt.ItemDataRole.DecorationRole and column == Column.LICENSE:
            badge = self._badge(entry.id, "license")
            return level_icon(badge.level, theme.current().dark) if badge is not None else None
        return None

    def _badge_data(self, entry: ModelEntry, role: int) -> Any:
        badges = self._badges.get(entry.id)
        if role == BADGES_ROLE:
            return list(badges) if badges is not None else None
        if role == Qt.ItemDataRole.DisplayRole:  # drawn as pills; the text is for screen readers and filters
            return summary_text(badges)
        if role == SORT_ROLE:  # safest first when ascending; not yet checked last
            if badges is None:
                return 1000
            return worst_level(badges).severity * 100 + sum(1 for b in badges if b.level is not Level.OK)
        if role == ENTRY_ROLE:
            return entry
        if role == ID_ROLE:
            return entry.id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(Column.BADGES)
        if role == Qt.ItemDataRole.ToolTipRole:
            return summary_text(badges)
        return None

    # ---- Hearth API ----------------------------------------------------------------------
    def set_entries(self, entries: list[ModelEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        ids = {e.id for e in self._entries}
        self._badges = {k: v for k, v in self._badges.items() if k in ids}
        self.endResetModel()

    def set_badges(self, badges: Mapping[str, Sequence[Badge]]) -> None:
        """Show new badges for some entries (by id); rows of other ids are left as they are."""
        rows = []
        for entry_id, found in badges.items():
            row = self.row_of(entry_id)
            if row >= 0:
                self._badges[entry_id] = list(found)
                rows.append(row)
        if rows:  # the name's status icon and the license icon follow the badges
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), len(Column) - 1))

    def badges(self, entry_id: str) -> list[Badge] | None:
        """The badges shown for an entry, or None while they are not known."""
        found = self._badges.get(entry_id)
        return list(found) if found is not None else None

    def _badge(self, entry_id: str, key: str) -> Badge | None:
        return next((b for b in self._badges.get(entry_id) or [] if b.key == key), None)

    def entries(self) -> list[ModelEntry]:
        return list(self._entries)

    def entry(self, row: int) -> ModelEntry:
        return self._entries[row]

    def row_of(self, model_id: str) -> int:
        for row, entry in enumerate(self._entries):
            if entry.id == model_id:
                return row
        return -1

    # ---- cells ---------------------------------------------------------------------------
    def _display(self, entry: ModelEntry, column: Column) -> str:
        f = entry.facts
        if column == Column.NAME:
            return entry.name
        if column == Column.SIZE:
            return human_bytes(entry.size_bytes)
        if column == Column.SOURCE:
            return source_text(entry, self._own_folder)
        if f is None:
            return "—"
        if column == Column.ARCHITECTURE:
            return f.architecture or "—"
        if column == Column.PARAMETERS:
            return human_count(f.parameters)
        if column == Column.QUANTIZATION:
            return f.quantization or "—"
        if column == Column.CONTEXT:
            return human_context(f.context_length)
        return f.license or "—"

    def _sort_key(self, entry: ModelEntry, column: Column) -> int | str:
        f = entry.facts
        if column == Column.SIZE:
            return entry.size_bytes
        if column == Column.PARAMETERS:
            return f.parameters if f else -1
        if column == Column.CONTEXT:
            return (f.context_length or 0) if f else -1
        if column == Column.NAME:
            return entry.name.lower()
        text = self._display(entry, column)
        return "" if text == "—" else text.lower()

    def _tooltip(self, entry: ModelEntry, column: Column) -> str | None:
        if column == Column.NAME:
            lines = [str(entry.path)]
            lines += [f"⚠ {problem}" for problem in entry.problems]
            if not entry.usable:
                lines.append("llama.cpp cannot load this model as it is.")
            return "\n".join(lines)
        if column == Column.PARAMETERS and entry.facts and entry.facts.parameters:
            return f"{entry.facts.parameters:,} parameters"
        if column == Column.SIZE:
            return f"{entry.size_bytes:,} bytes in {len(entry.parts)} file(s)"
        if column == Column.SOURCE:
            return entry.source.describe() if entry.source.kind == SOURCE_HUB else str(entry.folder)
        if column == Column.LICENSE and entry.facts and entry.facts.license:
            info = license_info(entry.facts.license)
            return f"{info.name} · {info.class_label}\n{info.summary}"
        return None




class LibraryFilterProxy(QSortFilterProxyModel):
    """Sorts by :data:`SORT_ROLE` and keeps rows whose text holds every word of the filter."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._words: list[str] = []

    def set_filter_text(self, text: str) -> None:
        words = text.lower().split()
        if words == self._words:
            return
        if hasattr(self, "beginFilterChange") and hasattr(self, "endFilterChange"):  # Qt >= 6.10
            self.beginFilterChange()
            self._words = words
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._words = words
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._words:
            return True
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        entry = model.data(index, ENTRY_ROLE)
        if entry is None:
            return False
        checks = model.data(model.index(source_row, Column.BADGES, source_parent)) or ""
        haystack = search_text(entry) + "\n" + str(checks).lower()
        return all(word in haystack for word in self._words)
