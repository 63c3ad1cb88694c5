"""How full the model's context is, and the choice to make when the conversation no longer fits."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from hearth.ui.chat.stats_text import context_text


class ContextBar(QWidget):
    """``drop_oldest`` / ``give_up`` answer the overflow question shown by :meth:`show_overflow`."""

    drop_oldest = Signal()
    give_up = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setProperty("role", "caption")
        self.meter = QProgressBar(self)
        self.meter.setTextVisible(False)
        self.meter.setFixedHeight(6)
        self.meter.setMaximumWidth(180)
        self.dropped = QLabel(self)
        self.dropped.setProperty("role", "caption")
        self.overflow = QFrame(self)
        self.overflow.setObjectName("ProblemBox")
        self.overflow.setProperty("severity", "warning")
        self.overflow_text = QLabel(self.overflow)
        self.overflow_text.setWordWrap(True)
        self.overflow_text.setMinimumWidth(120)
        self.drop_button = QPushButton("Leave out the oldest turns and retry", self.overflow)
        self.stop_button = QPushButton("Stop here", self.overflow)
        box = QHBoxLayout(self.overflow)
        box.addWidget(self.overflow_text, 1)
        box.addWidget(self.drop_button)
        box.addWidget(self.stop_button)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.meter)
        row.addWidget(self.dropped, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.overflow)
        self.overflow.hide()
        self.drop_button.clicked.connect(self._drop)
        self.stop_button.clicked.connect(self._stop)
        self.show_usage(None, None)
        self.show_dropped(0)

    def show_usage(self, used: int | None, n_ctx: int | None, *, connected: bool = False) -> None:
        """``connected`` with no ``n_ctx``: a remote engine, whose context size is not known (no meter)."""
        self.label.setText(context_text(used, n_ctx, connected=connected))
        self.meter.setVisible(bool(n_ctx))
        if n_ctx:
            self.meter.setRange(0, n_ctx)
            self.meter.setValue(min(used or 0, n_ctx))

    def show_dropped(self, count: int) -> None:
        self.dropped.setText(f"· the oldest {count} messages are left out of what the model sees" if count else "")

    def show_overflow(self, text: str) -> None:
        self.overflow_text.setText(text)
        self.overflow.show()

    def _drop(self) -> None:
        self.overflow.hide()
        self.drop_oldest.emit()

    def _stop(self) -> None:
        self.overflow.hide()
        self.give_up.emit()
