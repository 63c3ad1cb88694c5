"""A table/list cell that shows a model's badges as a row of pills, worst first.

The model hands the badges over in :data:`BADGES_ROLE` (a list of
:class:`~hearth.core.badges.Badge`, or None while they are still being worked
out). Hovering a pill shows its evidence; hovering the "+N" pill or the empty
part of the cell lists the evidence of the badges it stands for.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QHelpEvent, QIcon, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)

from hearth.core.badges import Badge
from hearth.ui.badges.pill import PillSlot, layout_pills, paint_pill, paint_tally, pill_font, pill_height, row_width
from hearth.ui.badges.texts import badge_tooltip, badges_tooltip, worst_first

#: The role that holds a cell's badges: ``list[Badge]``, or None while they are being computed.
BADGES_ROLE = Qt.ItemDataRole.UserRole + 64
_MARGIN = 4  # inside the cell, left and right

Index = QModelIndex | QPersistentModelIndex


class BadgeDelegate(QStyledItemDelegate):
    """Paints :data:`BADGES_ROLE` as pills; ``max_pills`` whole pills at most, then "+N"."""

    def __init__(self, parent: QObject | None = None, *, max_pills: int = 4, role: int = BADGES_ROLE,
                 pending_text: str = "Checking…") -> None:
        super().__init__(parent)
        self.max_pills = max_pills
        self.role = role
        self.pending_text = pending_text

    def badges(self, index: Index) -> list[Badge] | None:
        value = index.data(self.role)
        return worst_first(value) if isinstance(value, (list, tuple)) else None

    def slots(self, option: QStyleOptionViewItem, index: Index) -> list[PillSlot]:
        """Where each pill of ``index`` is drawn for ``option`` (for painting and hit tests)."""
        badges = self.badges(index)
        if not badges:
            return []
        area = QRect(option.rect).adjusted(_MARGIN, 0, -_MARGIN, 0)
        return layout_pills(badges, area, QFontMetrics(pill_font(option.font)), self.max_pills)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # the pills replace the display text (which stays for screen readers)
        opt.icon = QIcon()
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        badges = self.badges(index)
        painter.save()
        if badges is None or not badges:
            painter.setPen(opt.palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
            text = self.pending_text if badges is None else "—"
            painter.drawText(QRect(opt.rect).adjusted(_MARGIN + 2, 0, -_MARGIN, 0),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        else:
            painter.setFont(pill_font(opt.font))
            for slot in self.slots(opt, index):
                if slot.badge is not None:
                    paint_pill(painter, slot.rect, slot.text, opt.palette, slot.badge.level)
                else:
                    paint_tally(painter, slot.rect, slot.hidden, opt.palette)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        metrics = QFontMetrics(pill_font(option.font))
        badges = self.badges(index) or []
        width = row_width(badges, metrics, self.max_pills) if badges else metrics.horizontalAdvance(self.pending_text)
        return QSize(width + 2 * _MARGIN, pill_height(metrics) + 8)

    def tooltip_at(self, option: QStyleOptionViewItem, index: Index, x: int, y: int) -> str | None:
        """The tooltip for a point in view coordinates: one pill's evidence, or every badge's."""
        badges = self.badges(index)
        if not badges:
            return None
        for slot in self.slots(option, index):
            if slot.rect.adjusted(-2, -4, 2, 4).contains(x, y):
                if slot.badge is not None:
                    return badge_tooltip(slot.badge)
                return badges_tooltip(slot.hidden, f"{len(slot.hidden)} more")
        return badges_tooltip(badges, "Checks")

    def helpEvent(self, event: QHelpEvent, view: QAbstractItemView, option: QStyleOptionViewItem,
                  index: Index) -> bool:
        if event is None or event.type() != QEvent.Type.ToolTip or not index.isValid():
            return super().helpEvent(event, view, option, index)
        text = self.tooltip_at(option, index, event.pos().x(), event.pos().y())
        if text is None:
            return super().helpEvent(event, view, option, index)
        QToolTip.showText(event.globalPos(), text, view, option.rect)
        return True

