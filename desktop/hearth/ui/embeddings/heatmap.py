"""A cosine-similarity heatmap: an N×N grid coloured by similarity, with values, labels and tooltips."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from hearth.ui import theme

LABEL_CHARS = 18
MIN_CELL, MAX_CELL = 28, 72
SCALE_WIDTH = 14


def truncate(text: str, limit: int = LABEL_CHARS) -> str:
    """One line of at most ``limit`` characters, with an ellipsis when cut."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def colour_for(value: float, dark: bool) -> QColor:
    """Low similarity blends into the background, high similarity into the accent colour."""
    t = float(min(1.0, max(0.0, (value + 1.0) / 2.0))) ** 2  # cosines crowd near 1; squaring spreads them
    low = QColor("#2b2a33" if dark else "#f1f3f5")
    high = QColor(theme.ACCENT)
    return QColor(round(low.red() + (high.red() - low.red()) * t),
                  round(low.green() + (high.green() - low.green()) * t),
                  round(low.blue() + (high.blue() - low.blue()) * t))


class Heatmap(QWidget):
    """Paints ``matrix[i, j]`` for ``labels``; hover a cell to see both texts and the value."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels: list[str] = []
        self.matrix = np.zeros((0, 0), np.float32)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Cosine similarity heatmap")

    def set_matrix(self, labels: list[str], matrix: np.ndarray) -> None:
        self.labels = list(labels)
        self.matrix = np.asarray(matrix, dtype=np.float32)
        self.updateGeometry()
        self.update()

    def value_text(self, row: int, column: int) -> str:
        return f"{float(self.matrix[row, column]):.2f}"

    # ---- geometry ----------------------------------------------------------------------------
    def _label_width(self) -> int:
        metrics = QFontMetrics(self.font())
        return max([metrics.horizontalAdvance(truncate(t)) for t in self.labels] or [0]) + 10

    def _cell(self) -> int:
        n = len(self.labels)
        if n == 0:
            return MIN_CELL
        room_w = self.width() - self._label_width() - SCALE_WIDTH - 60
        room_h = self.height() - self._label_width() - 10
        return max(MIN_CELL, min(MAX_CELL, min(room_w, room_h) // n))

    def _grid_origin(self) -> QPoint:
        return QPoint(self._label_width(), self._label_width())

    def cell_rect(self, row: int, column: int) -> QRect:
        cell, origin = self._cell(), self._grid_origin()
        return QRect(origin.x() + column * cell, origin.y() + row * cell, cell, cell)

    def cell_at(self, point: QPoint) -> tuple[int, int] | None:
        cell, origin = self._cell(), self._grid_origin()
        n = len(self.labels)
        column, row = (point.x() - origin.x()) // cell, (point.y() - origin.y()) // cell
        if point.x() < origin.x() or point.y() < origin.y() or not (0 <= row < n and 0 <= column < n):
            return None
        return row, column

    def sizeHint(self) -> QSize:
        n = max(1, len(self.labels))
        side = self._label_width() + n * 48
        return QSize(side + SCALE_WIDTH + 60, side)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, 160)

    # ---- painting ----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colors = theme.current()
        n = len(self.labels)
        if n == 0:
            painter.setPen(QColor(colors.muted))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Embed a few texts to compare them.")
            return
        cell, origin = self._cell(), self._grid_origin()
        text_pen, muted = QColor(colors.text), QColor(colors.muted)
        for row in range(n):
            for column in range(n):
                rect = self.cell_rect(row, column)
                fill = colour_for(float(self.matrix[row, column]), colors.dark)
                painter.fillRect(rect.adjusted(1, 1, -1, -1), fill)
                painter.setPen(QColor("#ffffff") if fill.lightness() < 140 else QColor("#1f1d1b"))
                if cell >= 34:
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.value_text(row, column))
        painter.setPen(text_pen)
        for index, text in enumerate(self.labels):
            shown = truncate(text)
            row_rect = QRect(0, origin.y() + index * cell, origin.x() - 6, cell)
            painter.drawText(row_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, shown)
            painter.save()  # column labels run upwards so long ones fit
            painter.translate(origin.x() + index * cell + cell / 2, origin.y() - 6)
            painter.rotate(-90)
            painter.drawText(QRect(0, -cell // 2, origin.y() - 6, cell),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)
            painter.restore()
        self._paint_scale(painter, QRect(origin.x() + n * cell + 16, origin.y(), SCALE_WIDTH, n * cell),
                          colors.dark, muted)

    def _paint_scale(self, painter: QPainter, rect: QRect, dark: bool, pen: QColor) -> None:
        steps = max(2, rect.height())
        for y in range(steps):
            value = 1.0 - 2.0 * y / (steps - 1)
            painter.fillRect(QRect(rect.x(), rect.y() + y, rect.width(), 1), colour_for(value, dark))
        painter.setPen(pen)
        metrics = QFontMetrics(self.font())
        painter.drawText(rect.right() + 4, rect.top() + metrics.ascent(), "1")
        painter.drawText(rect.right() + 4, rect.center().y() + metrics.ascent() // 2, "0")
        painter.drawText(rect.right() + 4, rect.bottom(), "−1")

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            hit = self.cell_at(event.pos())
            if hit is None:
                QToolTip.hideText()
                event.ignore()
            else:
                row, column = hit
                QToolTip.showText(event.globalPos(), self.tooltip_for(row, column), self)
            return True
        return super().event(event)

    def tooltip_for(self, row: int, column: int) -> str:
        return (f"cosine {float(self.matrix[row, column]):.4f}\n"
                f"{truncate(self.labels[row], 80)}\n{truncate(self.labels[column], 80)}")
