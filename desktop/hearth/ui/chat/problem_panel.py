"""The box under the model bar for a failed load, a crashed engine or a failed connect, with "Details"."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QToolButton, QVBoxLayout, QWidget


class ProblemPanel(QFrame):
    """A failed load or a crashed engine: one line, and the engine's last log lines behind "Details"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ProblemBox")
        self.setProperty("severity", "error")
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.toggle = QToolButton(self)
        self.toggle.setText("Details")
        self.toggle.setCheckable(True)
        self.toggle.setProperty("role", "disclosure")
        self.close_button = QToolButton(self)
        self.close_button.setText("Dismiss")
        self.close_button.setProperty("role", "flat")
        self.close_button.clicked.connect(self.hide)
        row.addWidget(self.label, 1)
        row.addWidget(self.toggle)
        row.addWidget(self.close_button)
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(160)
        self.details.hide()
        self.toggle.toggled.connect(self.details.setVisible)
        layout.addLayout(row)
        layout.addWidget(self.details)
        self.hide()

    def show_problem(self, text: str, log_tail: Sequence[str] = ()) -> None:
        self.label.setText(text)
        self.details.setPlainText("\n".join(log_tail) or "The engine wrote nothing to its log.")
        self.toggle.setVisible(bool(log_tail))
        self.toggle.setChecked(False)
        self.show()
