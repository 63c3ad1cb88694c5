"""Paints the quant table's cells on two lines: the quant with its tags, and the fit with its bar.

Quant cell: the label and its pills ("Recommended", "In library") on top, bits
per weight and size under them. Fit cell: a need-vs-available bar and the tier
("CPU", "GPU", "Too big") on top, the numbers under them. The bar's track is
what this computer has free for the verdict's tier; the fill is what the quant
needs, green when it runs, amber when it is tight, red when it is too big.
Two lines keep every number visible in a narrow pane.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from hearth.core.fit import FitLevel, FitVerdict
from hearth.core.hub_models import QuantGroup
from hearth.core.units import human_bytes
from hearth.ui import theme
from hearth.ui.discover.quant_model import FIT_ROLE, FIT_WORDS, GROUP_ROLE, INSTALLED_ROLE, RECOMMENDED_ROLE, Column

Index = QModelIndex | QPersistentModelIndex
ROW_HEIGHT = 46
BAR_WIDTH = 56
BAR_HEIGHT = 6
TIGHT_SHARE = 0.8  # above this share of the free memory a fit is "tight"
PAD = 8
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


def bar_color(verdict: FitVerdict) -> str:
    if verdict.level is FitLevel.WONT_FIT:
        return theme.ERROR
    if verdict.available_bytes and verdict.needed_bytes / verdict.available_bytes > TIGHT_SHARE:
        return theme.WARNING
    return theme.SUCCESS if verdict.level is not FitLevel.PARTIAL_GPU else theme.INFO


def tag_font(base: QFont) -> QFont:
    """The pills' font: a little smaller than the row's, semi-bold."""
    font = QFont(base)
    font.setPointSizeF(max(6.0, base.pointSizeF() * 0.85))
    font.setWeight(QFont.Weight.DemiBold)
    return font


def tags(index: Index) -> list[tuple[str, str]]:
    """(text, colour) of the pills after a quant's label."""
    found = []
    if index.data(RECOMMENDED_ROLE):
        found.append(("Recommended", theme.current().accent))
    if index.data(INSTALLED_ROLE):
        found.append(("In library", theme.SUCCESS))
    return found


def quant_second_line(index: Index) -> str:
    bits = index.sibling(index.row(), Column.BITS).data()
    size = index.sibling(index.row(), Column.SIZE).data()
    return f"{bits} bits/weight · {size}" if bits != "—" else str(size)


def fit_lines(verdict: FitVerdict | None, group: QuantGroup | None, text: str) -> tuple[str, str]:
    if verdict is None or group is None or group.missing_parts:
        return text, ""
    return (FIT_WORDS[verdict.level],
            f"needs {human_bytes(verdict.needed_bytes)} of {human_bytes(verdict.available_bytes)}")


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
        metrics = QFontMetrics(opt.font)
        line = metrics.height()
        top = QRect(rect.left(), rect.center().y() - line, rect.width(), line)
        bottom = QRect(rect.left(), rect.center().y() + 1, rect.width(), line)
        # The theme keeps the normal text colour on selected rows (the selection is a light tint).
        painter.setPen(opt.palette.color(QPalette.ColorRole.Text))
        painter.setFont(opt.font)
        if column == Column.QUANT:
            self._paint_quant(painter, top, text, tags(index), metrics)
            second = quant_second_line(index)
        else:
            first, second = fit_lines(index.data(FIT_ROLE), index.data(GROUP_ROLE), text)
            self._paint_fit(painter, top, first, index.data(FIT_ROLE), metrics)
        painter.setFont(QFont(option.font))
        painter.setPen(QColor(theme.current().muted))
        painter.drawText(bottom, _LEFT, QFontMetrics(option.font).elidedText(second, Qt.TextElideMode.ElideRight,
                                                                            bottom.width()))
        painter.restore()

    @staticmethod
    def _paint_quant(painter: QPainter, rect: QRect, text: str, pills: list[tuple[str, str]],
                     metrics: QFontMetrics) -> None:
        small_font = tag_font(painter.font())
        small = QFontMetrics(small_font)
        room = rect.width() - sum(small.horizontalAdvance(t) + 18 for t, _c in pills)
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(20, room))
        painter.drawText(rect, _LEFT, shown)
        x = rect.left() + metrics.horizontalAdvance(shown) + 8
        painter.setFont(small_font)
        for tag, color in pills:
            width = small.horizontalAdvance(tag) + 12
            if x + width > rect.right() + 1:
                break
            pill = QRectF(x, rect.center().y() - small.height() / 2, width, small.height() + 2)
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
        if verdict is None:
            painter.drawText(rect, _LEFT, metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width()))
            return
        pen = painter.pen()
        track = QRectF(rect.left(), rect.center().y() - BAR_HEIGHT / 2 + 1, BAR_WIDTH, BAR_HEIGHT)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(theme.current().hover))
        painter.drawRoundedRect(track, 3, 3)
        share = 1.0 if not verdict.available_bytes else min(1.0, verdict.needed_bytes / verdict.available_bytes)
        fill = QRectF(track.left(), track.top(), max(BAR_HEIGHT, track.width() * share), BAR_HEIGHT)
        painter.setBrush(QColor(bar_color(verdict)))
        painter.drawRoundedRect(fill, 3, 3)
        painter.setPen(pen)
        text_rect = rect.adjusted(BAR_WIDTH + 10, 0, 0, 0)
        painter.drawText(text_rect, _LEFT, metrics.elidedText(text, Qt.TextElideMode.ElideRight, text_rect.width()))

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        hint = super().sizeHint(option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)  # picks up the row's font (bold when recommended)
        metrics, plain = QFontMetrics(opt.font), QFontMetrics(option.font)
        height = max(hint.height(), ROW_HEIGHT)
        if index.column() == Column.FIT:
            first, second = fit_lines(index.data(FIT_ROLE), index.data(GROUP_ROLE), str(index.data() or ""))
            width = max(BAR_WIDTH + 10 + metrics.horizontalAdvance(first), plain.horizontalAdvance(second))
            return QSize(width + 2 * PAD + 4, height)
        if index.column() == Column.QUANT:
            small = QFontMetrics(tag_font(opt.font))
            top = metrics.horizontalAdvance(opt.text) + sum(small.horizontalAdvance(t) + 18 for t, _c in tags(index))
            return QSize(max(top, plain.horizontalAdvance(quant_second_line(index))) + 2 * PAD + 12, height)
        return QSize(hint.width(), height)
