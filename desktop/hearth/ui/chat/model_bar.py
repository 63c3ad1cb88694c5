"""The strip above a chat: which model, its badges, Load / Unload / Cancel, load settings, and engine trouble.

The picker lists the library's chat models, then the models last seen on each
remote engine ("Ollama · llama3.2 (remote)"); for those, Load reads Connect,
Unload reads Disconnect, and a neutral "Remote · host" note replaces the badges.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from hearth.core.badges import Badge
from hearth.core.model_entry import ModelEntry
from hearth.engine.remote import remote_model_id
from hearth.ui.badges.row import BadgeRow
from hearth.ui.chat.problem_panel import ProblemPanel


def chat_models(entries: Sequence[ModelEntry]) -> list[ModelEntry]:
    """The library's models a chat can load: readable, complete, and not embedding-only."""
    return [e for e in entries if e.usable and not (e.facts is not None and e.facts.is_embedding)]


@dataclass(frozen=True)
class RemoteChoice:
    """A model on a remote engine, as the picker offers it."""

    remote: str
    model: str
    host: str

    @property
    def id(self) -> str:
        return remote_model_id(self.remote, self.model)

    @property
    def label(self) -> str:
        return f"{self.remote} · {self.model} (remote)"


class ModelBar(QWidget):
    """``load_requested(entry)``, ``connect_requested(RemoteChoice)``, ``unload_requested``, ``cancel_requested``,
    ``settings_requested(entry)``; ``entry_changed`` carries a ModelEntry, a RemoteChoice or None."""

    load_requested = Signal(object)
    connect_requested = Signal(object)
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
        self.remote_note = QLabel(self)
        self.remote_note.setProperty("role", "caption")
        self.remote_note.hide()
        #: The id of the connected remote model (None: none), for the Connect / Disconnect wording.
        self.remote_connected: str | None = None
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
        layout.addWidget(self.remote_note)
        layout.addLayout(status_row)
        layout.addWidget(self.problem)
        self.load_button.clicked.connect(self._load_clicked)
        self.settings_button.clicked.connect(lambda: self._emit_for_entry(self.settings_requested))
        self.unload_button.clicked.connect(self.unload_requested.emit)
        self.cancel_button.clicked.connect(self.cancel_requested.emit)
        self.combo.currentIndexChanged.connect(self._choice_changed)
        self.set_state("stopped")

    def set_entries(self, entries: Sequence[ModelEntry], remotes: Sequence[RemoteChoice] = ()) -> None:
        current = self.combo.currentData()
        self.combo.blockSignals(True)
        self.combo.clear()
        for entry in chat_models(entries):
            self.combo.addItem(entry.name, entry)
        if remotes and self.combo.count():
            self.combo.insertSeparator(self.combo.count())
        for choice in remotes:
            self.combo.addItem(choice.label, choice)
        self.combo.blockSignals(False)
        if current is not None:
            self.select(current.id)
        if self.combo.count() == 0:
            self.combo.setPlaceholderText("No chat models in the library yet")
        self._choice_changed()

    def select(self, entry_id: str) -> bool:
        for row in range(self.combo.count()):
            if getattr(self.combo.itemData(row), "id", None) == entry_id:
                self.combo.setCurrentIndex(row)
                return True
        return False

    def current_entry(self) -> ModelEntry | None:
        entry = self.combo.currentData()
        return entry if isinstance(entry, ModelEntry) else None

    def current_remote(self) -> RemoteChoice | None:
        choice = self.combo.currentData()
        return choice if isinstance(choice, RemoteChoice) else None

    def _choice_changed(self, _index: int = -1) -> None:
        remote = self.current_remote()
        self.remote_note.setText(f"Remote · {remote.host} · runs on that server, not on this computer"
                                 if remote else "")
        self.remote_note.setVisible(remote is not None)
        self.badges.setVisible(remote is None)
        self.set_state(self._state)
        self.entry_changed.emit(self.combo.currentData())

    def _load_clicked(self) -> None:
        remote = self.current_remote()
        if remote is not None:
            self.connect_requested.emit(remote)
        else:
            self._emit_for_entry(self.load_requested)

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
        self.settings_button.setEnabled(not loading and self.current_entry() is not None)
        self.load_button.setEnabled(not loading and self.combo.currentData() is not None)
        remote = self.current_remote()
        connected = self.remote_connected is not None and state == "ready"
        self.load_button.setText("Load" if remote is None else
                                 "Reconnect" if connected and remote.id == self.remote_connected else "Connect")
        self.unload_button.setText("Disconnect" if connected else "Unload")
        if text is not None:
            self.status.setText(text)

    def _emit_for_entry(self, signal: Signal) -> None:
        entry = self.current_entry()
        if entry is not None:
            signal.emit(entry)  # type: ignore[attr-defined]
