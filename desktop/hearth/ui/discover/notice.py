"""An inline notice inside a page: an icon, one paragraph, an optional link and an optional action.

Used where a problem belongs to one part of a page (the search results, one
repository) rather than to the whole window: a Hub error with Retry, the
"offline, saved results" note, a gated repository's terms.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QDate, QDateTime, QEvent, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from hearth.ui import icons, theme
from hearth.ui.discover import links

#: severity -> (icon, colour); "info" and "warning" use the ProblemBox look's warning edge.
_LOOKS = {"info": ("info", theme.INFO), "warning": ("warning", theme.WARNING), "error": ("error", theme.ERROR)}


class InlineNotice(QFrame):
    """Hidden until :meth:`show_notice`; the action button calls back and the link opens in the browser."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ProblemBox")
        self._severity = "error"
        self._action: Callable[[], None] | None = None
        self._icon = QLabel(self)
        self._icon.setFixedSize(18, 18)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.link = QLabel(self)
        self.link.setTextFormat(Qt.TextFormat.RichText)
        self.link.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                          | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.link.linkActivated.connect(links.open_url)
        self.link.hide()
        self.button = QPushButton(self)
        self.button.clicked.connect(self._run_action)
        self.button.hide()
        words = QVBoxLayout()
        words.setContentsMargins(0, 0, 0, 0)
        words.setSpacing(2)
        words.addWidget(self.text)
        words.addWidget(self.link)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 10, 8)
        row.setSpacing(10)
        row.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(words, 1)
        row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    @property
    def severity(self) -> str:
        return self._severity

    def show_notice(self, severity: str, text: str, *, link: str | None = None, link_text: str | None = None,
                    action_text: str | None = None, action: Callable[[], None] | None = None) -> None:
        self._severity = severity if severity in _LOOKS else "error"
        self.setProperty("severity", "error" if self._severity == "error" else "warning")
        self.style().unpolish(self)
        self.style().polish(self)
        self.text.setText(text)
        if link:
            self.link.setText(f'<a href="{html.escape(link)}">{html.escape(link_text or link)}</a>')
            self.link.setToolTip(link)
        self.link.setVisible(bool(link))
        self._action = action
        self.button.setText(action_text or "")
        self.button.setVisible(bool(action_text and action))
        self._update_icon()
        self.setAccessibleDescription(text)
        self.show()

    def _run_action(self) -> None:
        if self._action is not None:
            self._action()

    def _update_icon(self) -> None:
        name, color = _LOOKS[self._severity]
        self._icon.setPixmap(icons.icon(name, color).pixmap(18, 18))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_icon"):
            self._update_icon()
        super().changeEvent(event)


def saved_at_text(iso: str | None) -> str:
    """When a cached answer was stored, in local time: "14:02 today" or "3 May 2025, 14:02"."""
    if not iso:
        return "earlier"
    when = QDateTime.fromString(iso.replace("Z", "+00:00"), Qt.DateFormat.ISODate)
    if not when.isValid():
        return "earlier"
    local = when.toLocalTime()
    time_text = local.time().toString("HH:mm")
    if local.date() == QDate.currentDate():
        return f"{time_text} today"
    return f"{local.date().toString('d MMM yyyy')}, {time_text}"
