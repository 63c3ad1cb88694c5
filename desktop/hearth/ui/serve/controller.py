"""The local API server seen from the GUI thread: start, stop and key changes in the background, news as signals.

The supervisor calls its listeners from other threads (a log reader when an
engine dies); they are re-emitted through a queued signal, like the chat page's
engine bridge does, so the Serve tab only ever hears of model changes on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from hearth.core import secrets
from hearth.engine.gateway import ApiGateway, lan_addresses
from hearth.engine.supervisor import EngineHandle, EngineRole, EngineState, EngineSupervisor
from hearth.ui.background import Background
from hearth.ui.worker import ProgressFn, StopFn, TaskFn

log = logging.getLogger(__name__)

COUNT_INTERVAL_MS = 1000  # how often the request count on the page is refreshed while serving


class ServeController(QObject):
    """Owns the app's :class:`ApiGateway`; ``changed()`` after anything the page shows changed."""

    changed = Signal()
    failed = Signal(str)
    key_changed = Signal()
    renewed = Signal()
    _posted = Signal(object)

    def __init__(self, supervisor: EngineSupervisor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.supervisor = supervisor
        self.gateway = ApiGateway(supervisor)
        self.background = Background(self, max_threads=1)  # one at a time, in the order asked
        self.key: str | None = None
        self.addresses: list[str] = []
        self._shown_count = 0
        self._posted.connect(lambda _event: self.changed.emit(), Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = supervisor.add_listener(self._posted.emit)
        self._timer = QTimer(self)
        self._timer.setInterval(COUNT_INTERVAL_MS)
        self._timer.timeout.connect(self._poll_count)
        self._key_asked = False
        self.activity = ""  # "Starting…" or "Stopping…" while that runs in the background

    # ---- what the page shows ---------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self.background.busy

    @property
    def serving(self) -> bool:
        return self.gateway.running

    def model(self, role: EngineRole) -> EngineHandle | None:
        """The model the server hands ``role`` requests to, when one is ready."""
        if self.supervisor.state(role) is not EngineState.READY:
            return None
        return self.supervisor.handle(role)

    # ---- actions -------------------------------------------------------------------------
    def load_key(self) -> None:
        """Read (or on first use make) the key, once: only when the Serve tab is first shown."""
        if not self._key_asked:
            self._key_asked = True
            self._run(lambda _p, _s: secrets.serve_api_key(), self._key_loaded)

    def start(self, port: int, *, lan: bool, require_key: bool) -> None:
        def run(_progress: ProgressFn, _stop: StopFn) -> list[str]:
            # The keyring may be slow (a desktop keyring over D-Bus): read it here, not on the GUI thread.
            self.gateway.api_key = secrets.serve_api_key() if require_key else None
            self.gateway.start(port, lan=lan)
            return lan_addresses() if self.gateway.host != "127.0.0.1" else []

        self._run(run, self._started, "Starting…")

    def stop(self) -> None:
        self._run(lambda _p, _s: self.gateway.stop(), lambda _result: self._stopped(), "Stopping…")

    def set_require_key(self, on: bool) -> None:
        """Takes effect at once on a running server (no restart)."""
        # Before the key is read from the keyring, a throwaway one refuses everyone rather than no one.
        self.gateway.api_key = (self.key or secrets.new_api_key()) if on else None

    def renew_key(self) -> None:
        require = self.gateway.api_key is not None

        def run(_progress: ProgressFn, _stop: StopFn) -> str:
            key = secrets.renew_serve_api_key()
            if require:
                self.gateway.api_key = key
            return key

        self._run(run, self._renewed)

    def _run(self, fn: TaskFn, on_finished: Callable[[Any], None], activity: str = "") -> None:
        worker = self.background.run(fn, on_finished=on_finished, on_failed=self._failed)
        if worker is not None:
            self.activity = activity or self.activity
            worker.done.connect(self._done)
        self.changed.emit()  # busy now

    # ---- results -------------------------------------------------------------------------
    def _key_loaded(self, key: str) -> None:
        self.key = key
        if self.gateway.api_key is not None:
            self.gateway.api_key = key
        self.key_changed.emit()

    def _renewed(self, key: str) -> None:
        self._key_loaded(key)
        self.renewed.emit()

    def _started(self, addresses: list[str]) -> None:
        self.addresses = addresses
        self._shown_count = 0
        self._timer.start()

    def _stopped(self) -> None:
        self._timer.stop()
        self.addresses = []

    def _done(self) -> None:
        if not self.background.busy:
            self.activity = ""
        self.changed.emit()

    def _failed(self, message: str) -> None:
        self.failed.emit(message)

    def _poll_count(self) -> None:
        count = self.gateway.requests
        if count != self._shown_count:
            self._shown_count = count
            self.changed.emit()

    def forget_key(self) -> None:
        """The key was deleted with the user's data: stop serving with it; a new one is made when next shown."""
        if self.gateway.running:
            self.stop()
        self.key = None
        self.gateway.api_key = None
        self._key_asked = False
        self.changed.emit()

    def shutdown(self) -> None:
        """Stop listening for engines and stop the server (quick: it only closes sockets)."""
        self._unsubscribe()
        self._timer.stop()
        self.background.shutdown()
        self.gateway.stop()
