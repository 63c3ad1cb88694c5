"""A slim strip showing the running background task: title, progress, detail and Cancel."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy, QWidget

from hearth.core.units import human_bytes
from hearth.ui.common_widgets import label
from hearth.ui.task_runner import Task, TaskRunner

_SCALE = 1000  # QProgressBar holds 32-bit ints; byte counts do not fit, so show per mille
SHOW_DELAY_MS = 250  # quick tasks (a cached rescan) finish before the strip would flash


class ProgressStrip(QFrame):
    """Follows a :class:`TaskRunner`; hidden while it is idle and during a task's first moments."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ProgressStrip")
        self._runner = runner
        self._unit = "items"
        self.title = label("", parent=self)
        self.title.setStyleSheet("font-weight: 600;")
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.bar.setMinimumWidth(160)
        self.detail: QLabel = label("", "muted", parent=self)
        self.detail.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Stop this task")
        self.cancel_button.clicked.connect(self._cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 8, 6)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self.bar, 2)
        layout.addWidget(self.detail, 3)
        layout.addWidget(self.cancel_button)
        runner.started.connect(self._started)
        runner.progress.connect(self._progress)
        runner.busy_changed.connect(self._busy_changed)
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.timeout.connect(self.show)
        self.hide()

    def _started(self, task: Task) -> None:
        self._unit = task.unit
        self.title.setText(task.title)
        self.detail.setText("")
        self.bar.setRange(0, 0)  # busy until the first progress report
        self.cancel_button.setEnabled(task.cancellable)
        self.cancel_button.setText("Cancel")
        if self.isHidden() and not self._show_timer.isActive():
            self._show_timer.start(SHOW_DELAY_MS)

    def _progress(self, done: int, total: int, text: str) -> None:
        if total <= 0:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, _SCALE)
            self.bar.setValue(min(_SCALE, done * _SCALE // total))
        if self._unit == "bytes" and total > 0:
            amount = f"{human_bytes(done)} of {human_bytes(total)}"
        elif total > 0:
            amount = f"{done} of {total}"
        else:
            amount = ""
        name = text.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
        self.detail.setText(" · ".join(part for part in (amount, name) if part))
        self.detail.setToolTip(text)

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Cancelling…")
        self._runner.cancel_current()

    def _busy_changed(self, busy: bool) -> None:
        if not busy:
            self._show_timer.stop()
            self.hide()
