"""Drives the model bar: badges for the chosen model, the danger gate, loading in the background, and crashes.

Loading goes: badges (computed off the UI thread, once per model) → the load gate
(a danger badge needs an explicit "Load anyway") → the engine starts in a worker
(Cancel stops it) → ``engine_changed``. A crash or failed start shows the one-line
reason with the engine's last log lines; the app carries on and Load works again.

A remote engine's model is "connected" instead (:mod:`hearth.ui.chat.remote_connector`):
no badges or gate (nothing runs here), and the local engine is stopped, as
loading a local model disconnects the remote: the chat has one target at a time.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from hearth.core.errors import HearthError
from hearth.core.model_entry import ModelEntry
from hearth.core.services import Services
from hearth.engine.errors import EngineError
from hearth.engine.load_settings import LoadSettingsStore
from hearth.engine.remote import RemoteEngines
from hearth.engine.supervisor import EngineEvent, EngineHandle, EngineRole, EngineState, EngineSupervisor
from hearth.engine.target import ChatTarget, RemoteTarget
from hearth.ui.badges.gate import confirm_load
from hearth.ui.chat.badge_cache import BadgeCache
from hearth.ui.chat.engine_bridge import EngineBridge
from hearth.ui.chat.load_settings_dialog import LoadSettingsDialog
from hearth.ui.chat.model_bar import ModelBar, RemoteChoice
from hearth.ui.chat.remote_connector import RemoteConnector, remote_choices
from hearth.ui.dialogs import Dialogs
from hearth.ui.message_bar import ERROR, SUCCESS

log = logging.getLogger(__name__)


class ModelController(QObject):
    """``engine_changed(ChatTarget | None)`` whenever the chat's engine becomes ready or goes away."""

    engine_changed = Signal(object)
    message = Signal(str, str)

    def __init__(self, services: Services, supervisor: EngineSupervisor, dialogs: Dialogs, bar: ModelBar,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.dialogs = dialogs
        self.bar = bar
        self.load_settings = LoadSettingsStore.open(services.paths)
        self.bridge = EngineBridge(supervisor, self.load_settings, self)
        self.remotes = RemoteEngines(services.settings)
        self.connector = RemoteConnector(self.remotes, bar, self)
        self.badges = BadgeCache(self)
        self.badges.settled.connect(self._badges_settled)
        self.badges.failed.connect(self._badges_failed)
        self._load_after_badges: ModelEntry | None = None
        self._closed = False
        bar.entry_changed.connect(self._entry_changed)
        bar.load_requested.connect(self.request_load)
        bar.unload_requested.connect(self._unload)
        bar.connect_requested.connect(self.connect_remote)
        self.connector.changed.connect(self._remote_changed)
        self.connector.message.connect(self.message)
        self.connector.models_seen.connect(self.refresh)
        bar.cancel_requested.connect(self._cancel)
        bar.settings_requested.connect(self.edit_settings)
        self.bridge.progress.connect(lambda text: bar.set_state("loading", text))
        self.bridge.loaded.connect(self._loaded)
        self.bridge.load_failed.connect(self._load_failed)
        self.bridge.load_cancelled.connect(lambda: bar.set_state("stopped", "Loading cancelled"))
        self.bridge.event.connect(self._event)
        self.refresh()
        running = self.handle()
        if running is not None:  # loaded before this page existed (the supervisor outlives pages)
            bar.select(running.model_id)
            self._loaded(running)

    def handle(self) -> EngineHandle | None:
        handle = self.bridge.handle()
        return handle if handle is not None and self.bridge.supervisor.state() is EngineState.READY else None

    def target(self) -> ChatTarget | None:
        """What the chat sends to: the connected remote model, else the loaded local one."""
        return self.connector.target if self.connector.target is not None else self.handle()

    def refresh(self) -> None:
        """List the library's models and the models last seen on each remote (no network)."""
        self.bar.set_entries(self.services.library.entries(), remote_choices(self.remotes))
        self.connector.forget_removed()

    # ---- remote engines ------------------------------------------------------------------
    def connect_remote(self, choice: RemoteChoice) -> None:
        if not self.bridge.loading:
            self.connector.connect_to(choice)

    def _remote_changed(self, target: RemoteTarget | None) -> None:
        if target is not None and self.bridge.handle() is not None:
            self.bridge.unload()  # one model at a time: free this computer's memory
        self.engine_changed.emit(target if target is not None else self.handle())

    def _unload(self) -> None:
        if self.connector.target is not None:
            self.connector.disconnect_remote()
        else:
            self.bridge.unload()

    # ---- badges and the gate -------------------------------------------------------------
    def _entry_changed(self, entry: ModelEntry | RemoteChoice | None) -> None:
        if not isinstance(entry, ModelEntry):
            self.bar.set_badges([])
            return
        known = self.badges.get(entry.id)
        self.bar.set_badges(known)
        if known is None:
            self.badges.compute(entry)

    def _badges_failed(self, entry: ModelEntry, text: str) -> None:
        if self._load_after_badges is not None and self._load_after_badges.id == entry.id:
            self._load_after_badges = None
            self.bar.set_state("stopped", "")
            self.message.emit(ERROR, f"Could not check {entry.name} before loading it: {text}")

    def _badges_settled(self) -> None:
        if self._closed:
            return
        current = self.bar.current_entry()
        if current is not None:
            self.bar.set_badges(self.badges.get(current.id))
            if current.id not in self.badges.known:
                self.badges.compute(current)
        waiting = self._load_after_badges
        if waiting is not None and waiting.id in self.badges.known:
            self._load_after_badges = None
            self.request_load(waiting)

    def request_load(self, entry: ModelEntry) -> None:
        """Load ``entry`` once its badges are known and the gate allows it."""
        if self.bridge.loading or self.connector.busy:
            return
        badges = self.badges.get(entry.id)
        if badges is None:
            self._load_after_badges = entry
            self.bar.set_state("loading", f"Checking {entry.name} before loading…")
            self.badges.compute(entry)
            return
        if not confirm_load(self.bar, entry, badges, self.dialogs):
            self.bar.set_state("stopped", f"{entry.name} was not loaded")
            return
        self.bar.problem.hide()
        self.connector.disconnect_remote()  # a local model replaces the remote one
        self.bar.set_state("loading", f"Loading {entry.name}…")
        self.bridge.load(entry)

    def _cancel(self) -> None:
        if self._load_after_badges is not None:
            self._load_after_badges = None
            self.bar.set_state("stopped", "Loading cancelled")
        self.bridge.cancel_load()
        self.connector.cancel()

    # ---- engine news ---------------------------------------------------------------------
    def _loaded(self, handle: EngineHandle) -> None:
        notes = "; ".join(handle.settings.notes)
        self.bar.set_state("ready", f"{handle.model_name} loaded · {handle.settings.n_ctx:,} token context"
                           + (f" ({notes})" if notes else ""))
        self.engine_changed.emit(handle)

    def _load_failed(self, text: str) -> None:
        error = self.bridge.supervisor.last_error(EngineRole.CHAT)
        tail = getattr(error, "log_tail", []) if error is not None and str(error) == text else []
        self.bar.set_state("stopped", "No model loaded")
        self.bar.problem.show_problem(text, tail)
        self.message.emit(ERROR, text)

    def _event(self, event: EngineEvent) -> None:
        if event.role is not EngineRole.CHAT or self._closed or self.connector.target is not None:
            return  # while a remote is connected, the local engine stopping is no news for the chat
        if event.state is EngineState.FAILED and not self.bridge.loading:
            error: EngineError | None = event.error
            self.bar.set_state("stopped", "No model loaded")
            self.bar.problem.show_problem(str(error or event.detail), getattr(error, "log_tail", []))
            self.engine_changed.emit(None)
        elif event.state is EngineState.STARTING:
            self.engine_changed.emit(None)  # the old model (if any) is gone: nothing to send to until READY
        elif event.state is EngineState.STOPPED and not self.bridge.loading:
            self.bar.set_state("stopped", event.detail or "No model loaded")
            self.engine_changed.emit(None)

    # ---- settings ------------------------------------------------------------------------
    def edit_settings(self, entry: ModelEntry) -> None:
        dialog = LoadSettingsDialog(entry.name, self.load_settings.get(entry.id), self.bar)
        if dialog.exec():
            try:
                self.load_settings.set(entry.id, dialog.result_settings())
            except (ValueError, HearthError) as exc:
                self.message.emit(ERROR, f"Could not save the load settings: {exc}")
                return
            self.message.emit(SUCCESS, f"Load settings saved for {entry.name}; they apply at the next load.")
        dialog.deleteLater()

    def shutdown(self) -> None:
        self._closed = True
        self.bridge.shutdown()
        self.connector.cancel()
