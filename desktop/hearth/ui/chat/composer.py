"""Where the user writes: a growing text box (Enter sends, Shift+Enter breaks the line), Send, Stop, Regenerate."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QToolButton, QVBoxLayout, QWidget


class ComposerEdit(QPlainTextEdit):
    """Enter emits ``submit``; Shift+Enter (or Ctrl+Enter's opposite habits) inserts a new line."""

    submit = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            self.submit.emit()
            return
        super().keyPressEvent(event)


class Composer(QWidget):
    """``send(text)``, ``stop``, ``regenerate`` and ``cancel_edit``; :meth:`set_busy` swaps Send for Stop."""

    send = Signal(str)
    stop = Signal()
    regenerate = Signal()
    cancel_edit = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = ComposerEdit(self)
        self.edit.setPlaceholderText("Write a message — Enter sends, Shift+Enter starts a new line")
        self.edit.setFixedHeight(84)
        self.edit.setAccessibleName("Message")
        self.send_button = QPushButton("Send", self)
        self.send_button.setProperty("primary", True)
        self.stop_button = QPushButton("Stop", self)
        self.regenerate_button = QPushButton("Regenerate", self)
        self.regenerate_button.setToolTip("Replace the last reply with a new one")
        self.editing_label = QLabel("Editing a message: sending replaces it and every message after it.", self)
        self.editing_label.setProperty("role", "muted")
        self.cancel_edit_button = QToolButton(self)
        self.cancel_edit_button.setText("Cancel edit")
        self.cancel_edit_button.setProperty("role", "flat")
        edit_row = QHBoxLayout()
        edit_row.setContentsMargins(0, 0, 0, 0)
        edit_row.addWidget(self.editing_label, 1)
        edit_row.addWidget(self.cancel_edit_button)
        buttons = QVBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.regenerate_button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 6, 24, 12)
        layout.addLayout(edit_row)
        layout.addLayout(row)
        self.edit.submit.connect(self._submit)
        self.send_button.clicked.connect(self._submit)
        self.stop_button.clicked.connect(self.stop.emit)
        self.regenerate_button.clicked.connect(self.regenerate.emit)
        self.cancel_edit_button.clicked.connect(self.cancel_edit.emit)
        self._busy = False
        self._ready = False
        self.set_editing(False)
        self.set_state(ready=False, busy=False, can_regenerate=False)

    def set_state(self, *, ready: bool, busy: bool, can_regenerate: bool) -> None:
        """``ready``: a model is loaded; ``busy``: a reply is streaming."""
        self._busy, self._ready = busy, ready
        self.send_button.setVisible(not busy)
        self.stop_button.setVisible(busy)
        self.send_button.setEnabled(ready)
        self.regenerate_button.setEnabled(ready and not busy and can_regenerate)

    def set_editing(self, editing: bool, text: str = "") -> None:
        self.editing_label.setVisible(editing)
        self.cancel_edit_button.setVisible(editing)
        if editing:
            self.edit.setPlainText(text)
            self.edit.setFocus()

    def _submit(self) -> None:
        text = self.edit.toPlainText().strip()
        if not text or self._busy or not self._ready:
            return
        self.edit.clear()
        self.send.emit(text)
