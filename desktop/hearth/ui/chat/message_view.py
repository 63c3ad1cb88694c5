"""The scrolling column of messages. Streaming replies update one widget; the view follows the bottom."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from hearth.core.chats import ChatMessage
from hearth.engine.remote import remote_model_label
from hearth.ui import theme
from hearth.ui.chat.message_widget import MessageWidget


def _style(colors: theme.Colors) -> str:
    return (f"#ChatMessage[chatRole=\"user\"] {{ background: {colors.tint}; border-radius: 10px; }}"
            f"#ChatMessage[chatRole=\"assistant\"] {{ background: {colors.base}; border: 1px solid {colors.border};"
            " border-radius: 10px; }"
            f"#ChatMessage[chatRole=\"system\"] {{ background: {colors.alt_base}; border-radius: 10px; }}"
            f"#ChatColumn {{ background: {colors.window}; }}")


class MessageView(QScrollArea):
    """Holds one :class:`MessageWidget` per message; ``edit_requested(message id)`` bubbles up."""

    edit_requested = Signal(int)
    source_requested = Signal(str)  # a cited document's path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.column = QWidget(self)
        self.column.setObjectName("ChatColumn")
        self._layout = QVBoxLayout(self.column)
        self._layout.setContentsMargins(24, 16, 24, 16)
        self._layout.setSpacing(10)
        self.empty = QLabel("Choose a model above, then write a message below.", self.column)
        self.empty.setProperty("role", "muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addWidget(self.empty)
        self._layout.addStretch(1)
        self.setWidget(self.column)
        self.widgets: list[MessageWidget] = []
        #: Model id -> name, to say which model wrote each saved reply.
        self.model_names: dict[str, str] = {}
        self._follow = True
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.verticalScrollBar().rangeChanged.connect(lambda _lo, _hi: self._keep_at_bottom())
        self._apply_style()

    def set_messages(self, messages: Sequence[ChatMessage], empty_text: str | None = None) -> None:
        for widget in self.widgets:
            widget.hide()
            widget.deleteLater()
        self.widgets = []
        for message in messages:
            model_id = message.model_id or ""
            sender = (self.model_names.get(model_id) or remote_model_label(model_id)
                      if message.role == "assistant" else None)
            self.add(message.role, message.content, message_id=message.id, partial=message.partial,
                     stats=message.stats, sender=sender)
        if empty_text is not None:
            self.empty.setText(empty_text)
        self.empty.setVisible(not self.widgets)
        self._follow = True
        QTimer.singleShot(0, self.scroll_to_bottom)

    def add(self, role: str, text: str, **options: object) -> MessageWidget:
        widget = MessageWidget(role, text, parent=self.column, **options)  # type: ignore[arg-type]
        widget.edit_requested.connect(self.edit_requested.emit)
        widget.source_requested.connect(self.source_requested.emit)
        self._layout.insertWidget(self._layout.count() - 1, widget)
        self.widgets.append(widget)
        self.empty.hide()
        return widget

    def remove_from(self, index: int) -> None:
        """Drop the widgets from ``index`` on (after a regenerate or an edit)."""
        for widget in self.widgets[index:]:
            widget.hide()
            widget.deleteLater()
        del self.widgets[index:]
        self.empty.setVisible(not self.widgets)

    def scroll_to_bottom(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def _scrolled(self, value: int) -> None:
        # Follow new text only while the reader stays at the bottom; scrolling up to read stops it.
        self._follow = value >= self.verticalScrollBar().maximum() - 8

    def _keep_at_bottom(self) -> None:
        if self._follow:
            self.scroll_to_bottom()

    def _apply_style(self) -> None:
        self.column.setStyleSheet(_style(theme.current()))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_style()
        super().changeEvent(event)
