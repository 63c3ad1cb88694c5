"""A repository's downloadable quants as a Qt table: label, bits per weight, size and fit here.

One row per :class:`QuantGroup` (a single file or every part of a split model),
smallest first as the Hub client orders them. The fit verdict and the
recommendation come from :func:`hearth.core.hub_fit.assess_groups`.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFont

from hearth.core.fit import FitLevel, FitVerdict
from hearth.core.hub_fit import GroupFits
from hearth.core.hub_models import QuantGroup
from hearth.core.units import human_bytes
from hearth.ui.table_model_base import ColumnTableModel, Index

GROUP_ROLE = Qt.ItemDataRole.UserRole + 1
FIT_ROLE = Qt.ItemDataRole.UserRole + 2
RECOMMENDED_ROLE = Qt.ItemDataRole.UserRole + 3
INSTALLED_ROLE = Qt.ItemDataRole.UserRole + 4

#: Short words for a fit level, as the Fit column shows them beside the bar.
FIT_WORDS = {FitLevel.FULL_GPU: "GPU", FitLevel.PARTIAL_GPU: "GPU + CPU", FitLevel.CPU_ONLY: "CPU",
             FitLevel.WONT_FIT: "Too big"}


class Column(IntEnum):
    QUANT = 0
    BITS = 1
    SIZE = 2
    FIT = 3


HEADERS = {
    Column.QUANT: ("Quant", "The quantisation: fewer bits make a smaller, less exact model"),
    Column.BITS: ("Bits", "Bits per weight"),
    Column.SIZE: ("Size", "Download size, all parts together"),
    Column.FIT: ("Fits here", "Memory it needs to run against what this computer has free"),
}
_NUMERIC = {Column.BITS, Column.SIZE}


def fit_text(verdict: FitVerdict | None, group: QuantGroup) -> str:
    if group.missing_parts:
        return "Incomplete on the Hub"
    if verdict is None:
        return "Unknown"
    return f"{FIT_WORDS[verdict.level]} · {human_bytes(verdict.needed_bytes)}"


class QuantTableModel(ColumnTableModel):

    headers = tuple(HEADERS[column] for column in Column)
    numeric_columns = _NUMERIC
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[QuantGroup] = []
        self._fits: GroupFits | None = None
        self._installed: set[str] = set()

    def row_total(self) -> int:
        return len(self._groups)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._groups):
            return None
        group = self._groups[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(group, column)
        if role == GROUP_ROLE:
            return group
        if role == FIT_ROLE:
            return self.verdict(group.label)
        if role == RECOMMENDED_ROLE:
            return self.recommended == group.label
        if role == INSTALLED_ROLE:
            return group.label in self._installed
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(group, column)
        if role == Qt.ItemDataRole.FontRole and self.recommended == group.label:
            font = QFont()
            font.setBold(True)
            return font
        return None

    # ---- Hearth API ----------------------------------------------------------------------
    def set_groups(self, groups: list[QuantGroup], fits: GroupFits | None, installed: set[str] | None = None) -> None:
        self.beginResetModel()
        self._groups = list(groups)
        self._fits = fits
        self._installed = set(installed or ())
        self.endResetModel()

    def mark_installed(self, label: str) -> None:
        row = self.row_of(label)
        if row >= 0 and label not in self._installed:
            self._installed.add(label)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    @property
    def recommended(self) -> str | None:
        return self._fits.recommended if self._fits else None

    @property
    def recommendation_reason(self) -> str:
        return self._fits.reason if self._fits else ""

    def verdict(self, label: str) -> FitVerdict | None:
        return self._fits.verdicts.get(label) if self._fits else None

    def group(self, row: int) -> QuantGroup:
        return self._groups[row]

    def groups(self) -> list[QuantGroup]:
        return list(self._groups)

    def row_of(self, label: str) -> int:
        return next((row for row, g in enumerate(self._groups) if g.label == label), -1)

    def is_installed(self, label: str) -> bool:
        return label in self._installed

    # ---- cells ---------------------------------------------------------------------------
    def _display(self, group: QuantGroup, column: Column) -> str:
        if column == Column.QUANT:
            return group.label
        if column == Column.BITS:
            return f"{group.bits_per_weight:.2f}" if group.bits_per_weight else "—"
        if column == Column.SIZE:
            return human_bytes(group.total_size) if group.complete else "—"
        return fit_text(self.verdict(group.label), group)

    def _tooltip(self, group: QuantGroup, column: Column) -> str | None:
        if column == Column.QUANT:
            lines = [f.path for f in group.files]
            if group.missing_parts:
                lines.append("Missing on the Hub: part " + ", ".join(str(n) for n in group.missing_parts))
            if group.label in self._installed:
                lines.append("Already in your library.")
            if self.recommended == group.label and self.recommendation_reason:
                lines.append(f"Recommended — {self.recommendation_reason}")
            return "\n".join(lines)
        if column == Column.SIZE:
            return f"{group.total_size:,} bytes in {len(group.files)} file(s)"
        if column == Column.FIT:
            verdict = self.verdict(group.label)
            return verdict.summary if verdict is not None else None
        return None


