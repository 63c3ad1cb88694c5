"""Paints the quant table's two special cells: the "Recommended" tag and the need-vs-available bar.

The bar's track is what this computer has free for the verdict's tier; the fill
is what the quant needs, coloured by how well it fits (green when it runs, amber
when it is tight, red when it is too big).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from hearth.core.fit import FitLevel, FitVerdict
from hearth.ui import theme
from hearth.ui.discover.quant_model import FIT_ROLE, INSTALLED_ROLE, RECOMMENDED_ROLE, Column

Index = QModelIndex | QPersistentModelIndex
BAR_WIDTH = 64
BAR_HEIGHT = 6
TIGHT_SHARE = 0.8  # above this share of the free memory a fit is "tight"
PAD = 8


def bar_color(verdict: FitVerdict) -> str:
    if verdict.level is FitLevel.WONT_FIT:
        return theme.ERROR
    if verdict.available_bytes and verdict.needed_bytes / verdict.available_bytes > TIGHT_SHARE:
        return theme.WARNING
    return theme.SUCCESS if verdict.level is not FitLevel.PARTIAL_GPU else theme.INFO


def _tags(index: Index) -> list[tuple[str, str]]:
    """(text, colour) of the pills after a quant's label."""
    tags = []
    if index.data(RECOMMENDED_ROLE):
        tags.append(("Recommended", theme.current().accent))
    if index.data(INSTALLED_ROLE):
        tags.append(("In library", theme.SUCCESS))
    return tags


class QuantDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        column = index.column()
        if column not in (Column.QUANT, Column.FIT):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = opt.rect.adjusted(PAD, 0, -PAD, 0)
        # The theme keeps the normal text colour on selected rows (the selection is a light tint).
        painter.setPen(opt.palette.color(QPalette.ColorRole.Text))
        painter.setFont(opt.font)
        if column == Column.QUANT:
            self._paint_quant(painter, rect, text, _tags(index), QFontMetrics(opt.font))
        else:
            self._paint_fit(painter, rect, text, index.data(FIT_ROLE), QFontMetrics(opt.font))
        painter.restore()

    @staticmethod
    def _paint_quant(painter: QPainter, rect: QRect, text: str, tags: list[tuple[str, str]],
                     metrics: QFontMetrics) -> None:
        room = rect.width() - sum(metrics.horizontalAdvance(t) + 22 for t, _c in tags)
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(20, room))
        align = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        painter.drawText(rect, align, shown)
        x = rect.left() + metrics.horizontalAdvance(shown) + 8
        small = QFontMetrics(painter.font())
        for tag, color in tags:
            width = small.horizontalAdvance(tag) + 14
            if x + width > rect.right():
                break
            pill = QRectF(x, rect.center().y() - small.height() / 2 - 1, width, small.height() + 2)
            fill = QColor(color)
            fill.setAlpha(40)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
            painter.setPen(QColor(color) if not theme.current().dark else QColor(color).lighter(135))
            painter.drawText(pill, int(Qt.AlignmentFlag.AlignCenter), tag)
            x += width + 6

    @staticmethod
    def _paint_fit(painter: QPainter, rect: QRect, text: str, verdict: FitVerdict | None,
                   metrics: QFontMetrics) -> None:
        align = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if verdict is None:
            painter.drawText(rect, align, text)
            return
        track = QRectF(rect.left(), rect.center().y() - BAR_HEIGHT / 2 + 1, BAR_WIDTH, BAR_HEIGHT)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(theme.current().hover))
        painter.drawRoundedRect(track, 3, 3)
        share = 1.0 if not verdict.available_bytes else min(1.0, verdict.needed_bytes / verdict.available_bytes)
        fill = QRectF(track.left(), track.top(), max(BAR_HEIGHT, track.width() * share), BAR_HEIGHT)
        painter.setBrush(QColor(bar_color(verdict)))
        painter.drawRoundedRect(fill, 3, 3)
        painter.setPen(QApplication.palette().color(QPalette.ColorRole.Text))
        text_rect = rect.adjusted(BAR_WIDTH + 10, 0, 0, 0)
        painter.drawText(text_rect, align, metrics.elidedText(text, Qt.TextElideMode.ElideRight, text_rect.width()))

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        hint = super().sizeHint(option, index)
        metrics = QFontMetrics(option.font)
        text = str(index.data() or "")
        if index.column() == Column.FIT:
            return QSize(BAR_WIDTH + 10 + metrics.horizontalAdvance(text) + 2 * PAD, hint.height())
        if index.column() == Column.QUANT:
            extra = sum(metrics.horizontalAdvance(t) + 20 for t, _c in _tags(index))
            return QSize(metrics.horizontalAdvance(text) + extra + 2 * PAD + 8, hint.height())
        return hint
