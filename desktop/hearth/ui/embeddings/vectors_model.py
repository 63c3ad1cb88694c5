"""Table models of the Compare tab: the embedded texts with their vectors, and the nearest pairs."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

ModelIndex = QModelIndex | QPersistentModelIndex
FIRST_VALUES = 4


def first_values(vector: np.ndarray, count: int = FIRST_VALUES) -> str:
    """The first numbers of a vector, for people: ``"0.0123, -0.4410, … "``."""
    shown = ", ".join(f"{value:.4f}" for value in vector[:count].tolist())
    return shown + (", …" if len(vector) > count else "")


class VectorsModel(QAbstractTableModel):
    """One row per embedded text: the text, its dimension and its first values."""

    HEADERS = ("Text", "Dimension", "First values")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.texts: list[str] = []
        self.matrix = np.zeros((0, 0), np.float32)

    def set_vectors(self, texts: list[str], matrix: np.ndarray) -> None:
        self.beginResetModel()
        self.texts = list(texts)
        self.matrix = matrix
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.texts)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.texts):
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return self.texts[row]
            if column == 1:
                return str(self.matrix.shape[1])
            if column == 2:
                return first_values(self.matrix[row])
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return super().headerData(section, orientation, role)

    def as_text(self, rows: list[int] | None = None) -> str:
        """Tab-separated text and full vector per row, for the clipboard."""
        chosen = range(len(self.texts)) if rows is None else rows
        return "\n".join(self.texts[r].replace("\t", " ") + "\t" + " ".join(f"{v:.6g}" for v in self.matrix[r])
                         for r in chosen)


class PairsModel(QAbstractTableModel):
    """The most similar pairs of texts, most similar first."""

    HEADERS = ("Cosine", "Text", "Text")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.pairs: list[tuple[str, str, float]] = []

    def set_pairs(self, pairs: list[tuple[str, str, float]]) -> None:
        self.beginResetModel()
        self.pairs = list(pairs)
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.pairs)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.pairs):
            return None
        first, second, cosine = self.pairs[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (f"{cosine:.3f}", first, second)[index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return super().headerData(section, orientation, role)
