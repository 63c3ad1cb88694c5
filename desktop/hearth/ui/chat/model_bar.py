"""The strip above a chat: which model, its badges, Load / Unload / Cancel, load settings, and engine trouble."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hearth.core.badges import Badge
from hearth.core.model_entry import ModelEntry
from hearth.ui.badges.row import BadgeRow


def chat_models(entries: Sequence[ModelEntry]) -> list[ModelEntry]:
    """The library's models a chat can load: readable, complete, and not embedding-only."""
    return [e for e in entries if e.usable and not (e.facts is not None and e.facts.is_embedding)]


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


class ModelBar(QWidget):
    """``load_requested(entry)``, ``unload_requested``, ``cancel_requested``, ``settings_requested(entry)``."""

    load_requested = Signal(object)
    unload_requested = Signal()
    cancel_requested = Signal()
    settings_requested = Signal(object)
    entry_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox(self)
        self.combo.setMinimumContentsLength(10)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setAccessibleName("Model")
        self.load_button = QPushButton("Load", self)
        self.load_button.setProperty("primary", True)
        self.unload_button = QPushButton("Unload", self)
        self.cancel_button = QPushButton("Cancel", self)
        self.settings_button = QPushButton("Settings…", self)
        self.settings_button.setToolTip("Load settings for this model: context length, GPU layers, threads…")
        self.status = QLabel("No model loaded", self)
        self.status.setProperty("role", "muted")
        self.badges = BadgeRow(self, max_pills=4)
        self.problem = ProblemPanel(self)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.combo, 1)
        top.addWidget(self.load_button)
        top.addWidget(self.cancel_button)
        status_row = QHBoxLayout()
        status_row.setContentsMargins(0, 0, 0, 0)
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.unload_button)
        status_row.addWidget(self.settings_button)
        self.status.setWordWrap(True)
        self.status.setMinimumWidth(80)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.badges)
        layout.addLayout(status_row)
        layout.addWidget(self.problem)
        self.load_button.clicked.connect(lambda: self._emit_for_entry(self.load_requested))
        self.settings_button.clicked.connect(lambda: self._emit_for_entry(self.settings_requested))
        self.unload_button.clicked.connect(self.unload_requested.emit)
        self.cancel_button.clicked.connect(self.cancel_requested.emit)
        self.combo.currentIndexChanged.connect(lambda _i: self.entry_changed.emit(self.current_entry()))
        self.set_state("stopped")

    def set_entries(self, entries: Sequence[ModelEntry]) -> None:
        current = self.current_entry()
        self.combo.blockSignals(True)
        self.combo.clear()
        for entry in chat_models(entries):
            self.combo.addItem(entry.name, entry)
        self.combo.blockSignals(False)
        if current is not None:
            self.select(current.id)
        if self.combo.count() == 0:
            self.combo.setPlaceholderText("No chat models in the library yet")
        self.set_state(self._state)
        self.entry_changed.emit(self.current_entry())

    def select(self, entry_id: str) -> bool:
        for row in range(self.combo.count()):
            if self.combo.itemData(row).id == entry_id:
                self.combo.setCurrentIndex(row)
                return True
        return False

    def current_entry(self) -> ModelEntry | None:
        entry = self.combo.currentData()
        return entry if isinstance(entry, ModelEntry) else None

    def set_badges(self, badges: Sequence[Badge] | None) -> None:
        self.badges.set_badges(badges)

    def set_state(self, state: str, text: str | None = None) -> None:
        """``state`` is "stopped", "loading" or "ready"; ``text`` replaces the status line."""
        self._state = state
        loading = state == "loading"
        self.load_button.setVisible(not loading)
        self.cancel_button.setVisible(loading)
        self.unload_button.setEnabled(state == "ready")
        self.combo.setEnabled(not loading)
        self.settings_button.setEnabled(not loading)
        self.load_button.setEnabled(not loading and self.combo.count() > 0)
        if text is not None:
            self.status.setText(text)

    def _emit_for_entry(self, signal: Signal) -> None:
        entry = self.current_entry()
        if entry is not None:
            signal.emit(entry)  # type: ignore[attr-defined]
