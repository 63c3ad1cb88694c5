"""Settings → Remote engines: the list of OpenAI-compatible servers Hearth can chat through, and its buttons.

Add… asks through :class:`~hearth.ui.dialogs.Dialogs` and tests the new engine
at once; it is kept even when the test fails (the server may simply not be
running yet), and the message says so. Test lists the models in a worker and
remembers them for the Chat page's picker; ``changed`` tells the window.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QPushButton, QTableView, QWidget

from hearth.core.services import Services
from hearth.engine.errors import EngineError
from hearth.engine.remote import RemoteEngines
from hearth.ui.common_widgets import card, label
from hearth.ui.dialogs import Dialogs
from hearth.ui.message_bar import ERROR, SUCCESS, WARNING
from hearth.ui.remote.model import RemoteEnginesModel
from hearth.ui.worker import ProgressFn, StopFn, Worker

log = logging.getLogger(__name__)

INTRO = ("Chat through a model on another computer, or on a server you run yourself: any OpenAI-compatible "
         "server works (llama.cpp's llama-server, Ollama, vLLM, LM Studio). Added engines' models appear in "
         "the Chat page's model list. Keys are kept in the system keyring.")
EMPTY = "No remote engines yet: add a llama.cpp server, Ollama, vLLM or LM Studio."


class RemoteSection(QObject):
    """Owns the Remote engines card; ``message(level, text)`` for the message bar, ``changed`` after any edit."""

    message = Signal(str, str)
    changed = Signal()

    def __init__(self, services: Services, dialogs: Dialogs, parent: QWidget) -> None:
        super().__init__(parent)
        self.dialogs = dialogs
        self.remotes = RemoteEngines(services.settings)
        self.model = RemoteEnginesModel(self.remotes, self)
        self._worker: Worker | None = None
        self._testing: str | None = None

        self.card, layout = card("Remote engines", parent)
        layout.addWidget(label(INTRO, "muted", wrap=True, parent=self.card))
        self.empty = label(EMPTY, "caption", wrap=True, parent=self.card)
        self.table = QTableView(self.card)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setMinimumHeight(140)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton("Add…", self.card)
        self.add_button.setProperty("primary", True)
        self.test_button = QPushButton("Test", self.card)
        self.test_button.setToolTip("Ask the server which models it offers (and so check the address and key)")
        self.key_button = QPushButton("Change key…", self.card)
        self.remove_button = QPushButton("Remove", self.card)
        self.status = label("", "caption", wrap=True, parent=self.card)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.test_button, self.key_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addWidget(self.empty)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.status)

        self.add_button.clicked.connect(self.add)
        self.test_button.clicked.connect(lambda: self.test(self.selected()))
        self.key_button.clicked.connect(self.change_key)
        self.remove_button.clicked.connect(self.remove)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    # ---- selection -----------------------------------------------------------------------
    def selected(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        engine = self.model.engine(rows[0].row()) if rows else None
        return engine.name if engine is not None else None

    def select(self, name: str) -> None:
        row = self.model.row_of(name)
        if row >= 0:
            self.table.selectRow(row)

    def reload(self, keep: str | None = None) -> None:
        """Show the list again (after a change here, or a model list the Chat page saw)."""
        keep = keep or self.selected()
        self.model.refresh()
        if keep is not None:
            self.select(keep)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_rows = self.model.rowCount() > 0
        self.empty.setVisible(not has_rows)
        self.table.setVisible(has_rows)
        chosen = self.selected() is not None
        self.test_button.setEnabled(chosen and self._worker is None)
        self.key_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen and self._worker is None)

    # ---- actions -------------------------------------------------------------------------
    def add(self) -> None:
        form = self.dialogs.add_remote_engine(self.card, {e.name for e in self.remotes.list()})
        if form is None:
            return
        try:
            engine = self.remotes.add(form.name, form.base_url, form.api_key)
        except EngineError as exc:
            self.message.emit(ERROR, str(exc))
            return
        self.reload(engine.name)
        self.changed.emit()
        self.test(engine.name, just_added=True)

    def test(self, name: str | None, *, just_added: bool = False) -> None:
        if name is None or self._worker is not None:
            return

        def run(_progress: ProgressFn, _stop: StopFn) -> Any:
            return self.remotes.list_models(name)  # network and keyring: off the GUI thread

        worker = Worker(run, parent=self)
        worker.finished.connect(lambda models: self._tested(name, models, just_added))
        worker.failed.connect(lambda text: self._test_failed(name, text, just_added))
        worker.done.connect(self._test_done)
        self._worker, self._testing = worker, name
        self.status.setText(f"Testing {name}…")
        self._update_buttons()
        worker.start()

    def _tested(self, name: str, models: list[str], just_added: bool) -> None:
        try:
            self.remotes.set_models(name, models)
        except EngineError as exc:  # removed meanwhile, or the settings could not be saved
            self.message.emit(ERROR, str(exc))
            return
        self.reload()
        self.changed.emit()
        verb = "Added" if just_added else "Tested"
        if models:
            shown = ", ".join(models[:3]) + ("…" if len(models) > 3 else "")
            count = f"{len(models)} model{'s' if len(models) != 1 else ''}"
            self.message.emit(SUCCESS, f"{verb} {name}: it works and offers {count} ({shown}). "
                                       "Pick one on the Chat page.")
        else:
            self.message.emit(WARNING, f"{verb} {name}: it answers but offers no models yet.")

    def _test_failed(self, name: str, text: str, just_added: bool) -> None:
        if just_added:
            self.message.emit(WARNING, f"Added {name}, but the test failed: {text}. It stays in the list: press "
                                       "Test once the server runs, or use Change key… or Remove.")
        else:
            self.message.emit(ERROR, f"Testing {name} failed: {text}")

    def _test_done(self) -> None:
        worker, self._worker, self._testing = self._worker, None, None
        if worker is not None:
            worker.deleteLater()
        self.status.setText("")
        self._update_buttons()

    def change_key(self) -> None:
        name = self.selected()
        if name is None:
            return
        key = self.dialogs.ask_secret(self.card, f"API key for {name}",
                                      "New API key (leave empty to remove the stored key):")
        if key is None:
            return
        try:
            self.remotes.set_key(name, key or None)
        except EngineError as exc:
            self.message.emit(ERROR, str(exc))
            return
        self.reload(name)
        self.message.emit(SUCCESS, f"Key for {name} saved in the system keyring; press Test to check it."
                          if key else f"Key for {name} removed.")

    def remove(self) -> None:
        name = self.selected()
        if name is None or not self.dialogs.confirm_remove_remote(self.card, name):
            return
        try:
            self.remotes.remove(name)
        except EngineError as exc:
            self.message.emit(ERROR, str(exc))
            return
        self.reload()
        self.changed.emit()
        self.message.emit(SUCCESS, f"Removed {name}.")

    def shutdown(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
