"""Small widgets every page shares: page header, empty state, action buttons, labels."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QAction, QGuiApplication, QIcon, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hearth.ui import icons

PAGE_MARGINS = (24, 18, 24, 18)
SPACING = 12


def label(text: str = "", role: str | None = None, *, selectable: bool = False, wrap: bool = False,
          parent: QWidget | None = None) -> QLabel:
    """A QLabel with a stylesheet role ("title", "heading", "muted", ...)."""
    widget = QLabel(text, parent)
    if role:
        widget.setProperty("role", role)
    if selectable:
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    widget.setWordWrap(wrap)
    return widget


def value_field(text: str, parent: QWidget | None = None) -> QLineEdit:
    """A frameless read-only line for long unbreakable values (paths): selectable and scrollable."""
    field = QLineEdit(text, parent)
    field.setReadOnly(True)
    field.setFrame(False)
    field.setProperty("role", "value")
    field.setToolTip(text)
    field.setCursorPosition(0)
    field.setAcceptDrops(False)
    field.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    field.setMinimumWidth(60)
    return field



def card(title: str, parent: QWidget) -> tuple[QFrame, QVBoxLayout]:
    """A titled settings card (styled as ``#Card``) and the column to fill."""
    frame = QFrame(parent)
    frame.setObjectName("Card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(18, 14, 18, 16)
    layout.setSpacing(8)
    layout.addWidget(label(title, "heading", parent=frame))
    return frame, layout


class ElidedLabel(QLabel):
    """One line that shortens itself in the middle to fit ("/home/…/model.gguf").

    :meth:`text` stays the full value; the tooltip shows it and the context menu copies it,
    so a long path or hash never widens its panel and is never lost.
    """

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setToolTip(text)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        copy = QAction("Copy", self)
        copy.triggered.connect(self.copy)
        self.addAction(copy)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())

    def minimumSizeHint(self) -> QSize:
        return QSize(40, super().minimumSizeHint().height())

    def shown_text(self, width: int) -> str:
        """The text as drawn in ``width`` pixels; a path keeps its file name whole as long as it can."""
        text, metrics = self.text(), self.fontMetrics()
        if metrics.horizontalAdvance(text) <= width:
            return text
        cut = max(text.rfind("/"), text.rfind("\\"))
        if cut > 0:
            name = text[cut:]
            room = width - metrics.horizontalAdvance(name)
            if room >= metrics.horizontalAdvance("/…/"):
                return metrics.elidedText(text[:cut], Qt.TextElideMode.ElideMiddle, room) + name
            return metrics.elidedText(name, Qt.TextElideMode.ElideLeft, width)
        return metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, width)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        shown = self.shown_text(rect.width())
        self.style().drawItemText(painter, rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                                  self.palette(), self.isEnabled(), shown, self.foregroundRole())
        painter.end()


def elided_lines(value: str, parent: QWidget) -> QWidget:
    """Paths and hashes: one middle-elided line per value line, so they never widen a panel (tooltip has all)."""
    lines = value.split("\n")
    if len(lines) == 1:
        return ElidedLabel(value, parent)
    holder = QWidget(parent)
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    for line in lines:
        column.addWidget(ElidedLabel(line, holder))
    return holder


class ActionButton(QToolButton):
    """A toolbar button with icon and text that drops its text when the toolbar gets narrow.

    Its minimum size is the icon-only size, so a layout may shrink it; the owner
    calls :meth:`set_compact` when the row no longer fits.
    """

    def __init__(self, action: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDefaultAction(action)
        self.setProperty("role", "action")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_compact(self, compact: bool) -> None:
        style = Qt.ToolButtonStyle.ToolButtonIconOnly if compact else Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        if self.toolButtonStyle() != style:
            self.setToolButtonStyle(style)

    def full_width(self) -> int:
        """The width with the text shown."""
        if self.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon:
            return self.sizeHint().width()
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        width = self.sizeHint().width()
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        return width

    def minimumSizeHint(self) -> QSize:
        side = self.iconSize().height() + 14
        return QSize(side, super().minimumSizeHint().height())


class PageHeader(QWidget):
    """A page's title and a one-line muted subtitle."""

    def __init__(self, title: str, subtitle: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = label(title, "title", parent=self)
        self.subtitle = label(subtitle, "muted", wrap=True, parent=self)
        self.subtitle.setVisible(bool(subtitle))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)

    def set_subtitle(self, text: str) -> None:
        self.subtitle.setText(text)
        self.subtitle.setVisible(bool(text))


class EmptyState(QWidget):
    """A centred icon, title, explanation and optional buttons for a page with nothing to show."""

    def __init__(self, icon_name: str, title: str, text: str,
                 buttons: Sequence[QPushButton] = (), note: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._icon_name = icon_name
        self.icon = QLabel(self)
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = label(title, "empty-title", parent=self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = label(text, "muted", wrap=True, parent=self)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setMaximumWidth(540)
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        text_row = QHBoxLayout()
        text_row.addStretch(1)
        text_row.addWidget(self.text, 100)
        text_row.addStretch(1)
        self.note = label(note, "badge", parent=self)
        self.note.setVisible(bool(note))
        column = QVBoxLayout(self)
        column.setSpacing(SPACING)
        column.addStretch(3)
        column.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.title, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addLayout(text_row)
        if note:
            column.addWidget(self.note, 0, Qt.AlignmentFlag.AlignHCenter)
        if buttons:
            row = QHBoxLayout()
            row.setSpacing(8)
            row.addStretch(1)
            for button in buttons:
                row.addWidget(button)
            row.addStretch(1)
            column.addSpacing(4)
            column.addLayout(row)
        column.addStretch(4)
        self._update_icon()

    def _update_icon(self) -> None:
        self.icon.setPixmap(icons.icon(self._icon_name).pixmap(56, 56, QIcon.Mode.Disabled))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._update_icon()
        super().changeEvent(event)
