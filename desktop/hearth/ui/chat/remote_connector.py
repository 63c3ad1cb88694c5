"""The chat's connection to a model on a remote engine: checked in a worker, then held as a RemoteTarget.

Connecting lists the server's models (one request checks the address, the
key and offline mode), remembers the list for the picker, and makes sure the
chosen model is still offered. A failure is one line in the bar's problem
panel and the message bar; the app carries on and Connect works again.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal

from hearth.engine.endpoint import EngineEndpoint
from hearth.engine.errors import EngineError
from hearth.engine.remote import RemoteEngines
from hearth.engine.remote_check import list_models
from hearth.engine.target import RemoteTarget, url_host
from hearth.ui.chat.model_bar import ModelBar, RemoteChoice
from hearth.ui.message_bar import ERROR
from hearth.ui.worker import ProgressFn, StopFn, Worker

log = logging.getLogger(__name__)


def remote_choices(remotes: RemoteEngines) -> list[RemoteChoice]:
    """What the picker offers from the remotes: the models last seen on each (no network)."""
    return [RemoteChoice(e.name, model, url_host(e.base_url)) for e in remotes.list() for model in e.models]


class RemoteConnector(QObject):
    """``changed(RemoteTarget | None)`` on connect and disconnect; ``models_seen`` when a model list was saved."""

    changed = Signal(object)
    models_seen = Signal()
    message = Signal(str, str)

    def __init__(self, remotes: RemoteEngines, bar: ModelBar, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.remotes = remotes
        self.bar = bar
        self.target: RemoteTarget | None = None
        self._worker: Worker | None = None

    @property
    def busy(self) -> bool:
        return self._worker is not None

    def connect_to(self, choice: RemoteChoice) -> None:
        if self._worker is not None:
            return

        def run(_progress: ProgressFn, _stop: StopFn) -> Any:
            endpoint = self.remotes.endpoint(choice.remote)  # the keyring may be slow: here, not on the GUI thread
            return endpoint, list_models(endpoint)

        worker = Worker(run, parent=self)
        worker.finished.connect(lambda result: self._checked(worker, choice, *result))
        worker.failed.connect(lambda text: self._cancelled() if worker.cancel_requested else self._failed(text))
        worker.done.connect(self._done)
        self._worker = worker
        self.bar.problem.hide()
        self.bar.set_state("loading", f"Connecting to {choice.remote}…")
        worker.start()

    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancel()

    def disconnect_remote(self, why: str | None = None) -> None:
        target, self.target = self.target, None
        self.bar.remote_connected = None
        if target is not None:
            self.bar.set_state("stopped", why or f"Disconnected from {target.remote}")
            self.changed.emit(None)

    def forget_removed(self) -> None:
        """Disconnect when the connected engine was removed in Settings."""
        if self.target is not None and self.target.remote not in {e.name for e in self.remotes.list()}:
            self.disconnect_remote(f"{self.target.remote} was removed")

    def _checked(self, worker: Worker, choice: RemoteChoice, endpoint: EngineEndpoint, models: list[str]) -> None:
        if worker.cancel_requested:
            self._cancelled()  # the check ended before it noticed Cancel: drop its result
            return
        try:
            self.remotes.set_models(choice.remote, models)
        except EngineError as exc:
            self._failed(str(exc))
            return
        self.models_seen.emit()
        if choice.model not in models:
            self._failed(f"{choice.remote} no longer offers {choice.model}: pick one of its models again "
                         "(the list was refreshed)")
            return
        self.target = target = RemoteTarget(choice.remote, choice.model, endpoint)
        self.bar.remote_connected = target.model_id
        self.bar.set_state("ready", f"Connected to {target.model_name} at {target.host} · the server does not "
                                    "report its context size")
        self.changed.emit(target)

    def _failed(self, text: str) -> None:
        self.disconnect_remote()  # a failed reconnect leaves nothing to chat with
        self.bar.set_state("stopped", "Not connected")
        self.bar.problem.show_problem(text)
        self.message.emit(ERROR, text)

    def _cancelled(self) -> None:
        self.disconnect_remote()
        self.bar.set_state("stopped", "Connecting cancelled")

    def _done(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.deleteLater()
