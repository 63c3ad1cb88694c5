"""An inline, non-blocking message bar for results, notices and errors.

One message at a time; a newer one replaces it. Errors and warnings stay until
the user closes them; information and success messages fade after a while.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from hearth.ui import icons, theme

log = logging.getLogger(__name__)

INFO, SUCCESS, WARNING, ERROR = "info", "success", "warning", "error"
_COLORS = {INFO: theme.INFO, SUCCESS: theme.SUCCESS, WARNING: theme.WARNING, ERROR: theme.ERROR}
_AUTO_HIDE_MS = {INFO: 8000, SUCCESS: 6000}
_LOG_LEVELS = {WARNING: logging.WARNING, ERROR: logging.ERROR}


class MessageBar(QFrame):
    """A slim bar with an icon, a selectable one-paragraph text, an optional action and a close button."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MessageBar")
        self._level = INFO
        self._action: Callable[[], None] | None = None
        self._icon = QLabel(self)
        self._icon.setFixedSize(20, 20)
        self._text = QLabel(self)
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._text.setTextFormat(Qt.TextFormat.PlainText)
        self._button = QPushButton(self)
        self._button.hide()
        self._button.clicked.connect(self._run_action)
        self._close = QToolButton(self)
        self._close.setProperty("role", "flat")
        self._close.setToolTip("Dismiss")
        self._close.setAccessibleName("Dismiss message")
        self._close.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.setSpacing(10)
        layout.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self._text, 1)
        layout.addWidget(self._button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self._close, 0, Qt.AlignmentFlag.AlignTop)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self._update_icons()
        self.hide()

    @property
    def level(self) -> str:
        return self._level

    def text(self) -> str:
        """The message shown now, or an empty string when the bar is closed."""
        return self._text.text() if not self.isHidden() else ""

    def show_message(self, level: str, text: str, action_text: str | None = None,
                     action: Callable[[], None] | None = None) -> None:
        log.log(_LOG_LEVELS.get(level, logging.INFO), "message: %s", text)
        self._level = level if level in _COLORS else INFO
        self._text.setText(text)
        self._action = action
        self._button.setVisible(bool(action_text and action))
        self._button.setText(action_text or "")
        self._update_icons()
        if self.property("level") != self._level:
            self.setProperty("level", self._level)  # the stylesheet colours the edge by level
            self.style().unpolish(self)
            self.style().polish(self)
        self.setAccessibleDescription(text)
        self._timer.stop()
        if self._level in _AUTO_HIDE_MS:
            self._timer.start(_AUTO_HIDE_MS[self._level])
        self.show()

    def dismiss(self) -> None:
        self._timer.stop()
        if not self.isHidden():
            self.hide()
            self.closed.emit()

    def _run_action(self) -> None:
        action = self._action
        self.dismiss()
        if action is not None:
            action()

    def _update_icons(self) -> None:
        self._icon.setPixmap(icons.icon(self._level, _COLORS[self._level]).pixmap(20, 20))
        self._close.setIcon(icons.icon("close"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._update_icons()
        super().changeEvent(event)
