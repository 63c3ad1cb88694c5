"""Draws a search hit's name cell on two lines: the model's name, and its publisher under it.

Putting the publisher under the name (as the Hub does) leaves the table's width
to the name, which is what people scan; a gated repository shows a lock.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from hearth.core.hub_models import RepoSummary
from hearth.ui import theme
from hearth.ui.discover.results_model import SUMMARY_ROLE, Column

Index = QModelIndex | QPersistentModelIndex
ROW_HEIGHT = 44
ICON = 18


class ResultsDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        summary: RepoSummary | None = index.data(SUMMARY_ROLE)
        if index.column() != Column.NAME or summary is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        icon = QIcon(opt.icon)  # a copy: the option hands out its own member
        opt.text = ""
        opt.icon = QIcon()
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = opt.rect.adjusted(8, 0, -6, 0)
        painter.save()
        icon.paint(painter, QRect(rect.left(), rect.center().y() - ICON // 2, ICON, ICON))
        left = rect.left() + ICON + 10
        width = rect.right() - left
        name_font = QFont(opt.font)
        name_font.setWeight(QFont.Weight.DemiBold)
        name_metrics, small_metrics = QFontMetrics(name_font), QFontMetrics(opt.font)
        block = name_metrics.height() + small_metrics.height()
        top = rect.top() + (rect.height() - block) // 2
        painter.setFont(name_font)
        painter.setPen(opt.palette.color(QPalette.ColorRole.Text))
        align = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        painter.drawText(QRect(left, top, width, name_metrics.height()), align,
                         name_metrics.elidedText(summary.name, Qt.TextElideMode.ElideRight, width))
        painter.setFont(opt.font)
        painter.setPen(QColor(theme.current().muted))
        author = summary.author or summary.id.split("/", 1)[0]
        painter.drawText(QRect(left, top + name_metrics.height(), width, small_metrics.height()), align,
                         small_metrics.elidedText(author, Qt.TextElideMode.ElideRight, width))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), max(hint.height(), ROW_HEIGHT))
