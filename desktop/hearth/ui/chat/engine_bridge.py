"""The chat engine seen from the GUI thread: loading in a worker (with cancel), state changes as signals.

The supervisor calls its listeners from whichever thread noticed a change (a
log reader thread when the engine dies); :class:`EngineBridge` re-emits them
through a queued signal so widgets only ever hear about them on the GUI thread.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from hearth.core.errors import HearthError
from hearth.core.model_entry import ModelEntry
from hearth.engine.load_settings import LoadSettingsStore, resolve_load_settings
from hearth.engine.supervisor import EngineHandle, EngineRole, EngineSupervisor
from hearth.ui.worker import ProgressFn, StopFn, Worker

log = logging.getLogger(__name__)


class EngineBridge(QObject):
    """Loads and unloads the chat model; ``event(EngineEvent)`` reports every change on the GUI thread."""

    event = Signal(object)
    progress = Signal(str)
    loaded = Signal(object)  # EngineHandle
    load_failed = Signal(str)
    load_cancelled = Signal()
    _posted = Signal(object)

    def __init__(self, supervisor: EngineSupervisor, load_settings: LoadSettingsStore,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.supervisor = supervisor
        self.load_settings = load_settings
        self._worker: Worker | None = None
        self._posted.connect(self.event.emit, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = supervisor.add_listener(self._posted.emit)

    @property
    def loading(self) -> bool:
        return self._worker is not None

    def handle(self) -> EngineHandle | None:
        return self.supervisor.handle(EngineRole.CHAT)

    def load(self, entry: ModelEntry) -> None:
        """Start ``entry``'s engine with its saved load settings (replacing a loaded model)."""
        if self._worker is not None:
            return
        chosen = self.load_settings.get(entry.id)

        def run(progress: ProgressFn, should_stop: StopFn) -> Any:
            settings = resolve_load_settings(entry, chosen)
            handle = self.supervisor.start(entry, settings, role=EngineRole.CHAT, progress=progress,
                                           should_stop=should_stop)
            try:
                with handle.client(timeout=10.0) as client:
                    client.warm_up()
            except HearthError as exc:  # the model is loaded; a failing warm-up only costs the first reply time
                log.warning("warming up the chat client failed: %s", exc)
            return handle

        worker = Worker(run, parent=self)
        worker.progress.connect(lambda _done, _total, text: self.progress.emit(text))
        worker.finished.connect(self.loaded.emit)
        worker.failed.connect(self.load_failed.emit)
        worker.cancelled.connect(self.load_cancelled.emit)
        worker.done.connect(self._done)
        self._worker = worker
        worker.start()

    def cancel_load(self) -> None:
        if self._worker is not None:
            self._worker.cancel()

    def unload(self) -> None:
        self.supervisor.stop(EngineRole.CHAT)

    def _done(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.deleteLater()

    def shutdown(self) -> None:
        """Stop listening and cancel a load in progress (the window closes the supervisor itself)."""
        self._unsubscribe()
        if self._worker is not None:
            self._worker.cancel()
