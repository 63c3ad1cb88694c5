"""The Serve part of Settings: run the local OpenAI-compatible API server in front of the loaded models.

Built as cards that :class:`~hearth.ui.settings_page.SettingsPage` places in its
Serve tab. Choices are saved at once; starting and stopping run in the background.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QWidget

from hearth.core import privacy
from hearth.core.errors import HearthError
from hearth.core.netguard import GUARD
from hearth.core.services import Services
from hearth.engine.gateway import LOOPBACK
from hearth.engine.supervisor import EngineRole, EngineSupervisor
from hearth.ui.dialogs import Dialogs
from hearth.ui.message_bar import ERROR, INFO, SUCCESS
from hearth.ui.serve.cards import KeyCard, NetworkCard, ServerCard
from hearth.ui.serve.controller import ServeController
from hearth.ui.serve.snippet_card import SnippetCard
from hearth.ui.serve.snippets import mask

log = logging.getLogger(__name__)

MISSING = {EngineRole.CHAT: "No chat model loaded — load one on the Chat page",
           EngineRole.EMBEDDING: "No embedding model loaded — load one on the Embeddings page"}
LOADED = {EngineRole.CHAT: "Chat: {}", EngineRole.EMBEDDING: "Embeddings: {}"}


class ServeSection(QObject):
    """Owns the four Serve cards and the server; ``message(level, text)`` goes to the message bar."""

    message = Signal(str, str)

    def __init__(self, services: Services, supervisor: EngineSupervisor, dialogs: Dialogs,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.services = services
        self.dialogs = dialogs
        self._parent = parent
        settings = services.settings.settings
        self.controller = ServeController(supervisor, self)
        self.server = ServerCard(parent, settings.serve_port)
        self.key = KeyCard(parent, settings.serve_require_key)
        self.network = NetworkCard(parent, settings.serve_lan)  # the choice; offline overrides it while on
        self.snippets = SnippetCard(parent)

        self.controller.changed.connect(self.refresh)
        self.controller.key_changed.connect(self.refresh)
        self.controller.failed.connect(lambda text: self.message.emit(ERROR, text))
        self.controller.renewed.connect(lambda: self.message.emit(
            SUCCESS, "A new API key was made: programs using the old one must be given the new one."))
        self.server.toggle.clicked.connect(self.toggle)
        self.server.port.valueChanged.connect(self._port_changed)
        self.key.require.toggled.connect(self._require_toggled)
        self.key.show.toggled.connect(lambda _on: self.refresh())
        self.key.copy.clicked.connect(self._copy_key)
        self.key.renew.clicked.connect(self._renew)
        self.network.lan.toggled.connect(self._lan_toggled)
        self.server.frame.installEventFilter(self)
        self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and watched is self.server.frame:
            self.controller.load_key()  # not before: an unopened tab never touches the keyring
        return False

    @property
    def cards(self) -> tuple[QFrame, ...]:
        # The examples come right after the status: starting and pasting is what most people came for.
        return (self.server.frame, self.snippets.frame, self.key.frame, self.network.frame)

    @property
    def offline(self) -> bool:
        return GUARD.offline or privacy.is_offline(self.services.settings.settings)

    # ---- showing -------------------------------------------------------------------------
    def refresh(self) -> None:
        controller, gateway = self.controller, self.controller.gateway
        port = gateway.port or self.server.port.value()
        url = f"http://{LOOPBACK}:{port}/v1"
        if controller.activity:
            status = controller.activity
        elif gateway.running:
            count = gateway.requests
            status = f"Serving at {url} · {count} request{'' if count == 1 else 's'}"
            status += " · also on your network" if gateway.host != LOOPBACK else ""
        else:
            status = "Stopped"
        self.server.show_state(status, gateway.running, controller.busy)
        for role, line in ((EngineRole.CHAT, self.server.chat), (EngineRole.EMBEDDING, self.server.embedding)):
            handle = controller.model(role)
            line.setText(LOADED[role].format(handle.model_name) if handle else MISSING[role])
        key, require = controller.key, self.key.require.isChecked()
        shown = key if key and self.key.show.isChecked() else (mask(key) if key else "")
        self.key.show_key(shown, key is not None, require)
        self.network.show_state(self.offline, [f"http://{address}:{port}/v1" for address in controller.addresses])
        chat = controller.model(EngineRole.CHAT)
        real = (key or "KEY") if require else None
        self.snippets.show_snippets(url, (shown or "KEY") if require else None, real,
                                    chat.api_name if chat else None)

    # ---- actions -------------------------------------------------------------------------
    def toggle(self) -> None:
        if self.controller.serving:
            self.controller.stop()
        else:
            self._start()

    def _start(self) -> None:
        settings = self.services.settings.settings
        self.controller.start(self.server.port.value(), lan=settings.serve_lan and not self.offline,
                              require_key=self.key.require.isChecked())

    def _restart(self) -> None:
        """Apply a network change to a running server (the background runs these in order)."""
        if self.controller.serving:
            self.controller.stop()
            self._start()

    def offline_changed(self, _offline: bool) -> None:
        """Offline mode flipped (Privacy tab): network access closes, and reopens when it was chosen."""
        want_lan = self.services.settings.settings.serve_lan and not self.offline
        if self.controller.serving and (self.controller.gateway.host != LOOPBACK) != want_lan:
            self._restart()
        self.refresh()

    def _port_changed(self, port: int) -> None:
        self.services.settings.settings.serve_port = port
        self._save()
        self.refresh()

    def _require_toggled(self, on: bool) -> None:
        self.services.settings.settings.serve_require_key = on
        self.controller.set_require_key(on)
        self._save()
        self.refresh()

    def _lan_toggled(self, on: bool) -> None:
        if on and not self.dialogs.confirm_lan_access(self._parent):
            self.network.lan.blockSignals(True)
            self.network.lan.setChecked(False)
            self.network.lan.blockSignals(False)
            return
        self.services.settings.settings.serve_lan = on
        self._save()
        self._restart()
        self.refresh()

    def _copy_key(self) -> None:
        if self.controller.key:
            QGuiApplication.clipboard().setText(self.controller.key)
            self.message.emit(INFO, "API key copied to the clipboard.")

    def _renew(self) -> None:
        self.controller.renew_key()

    def _save(self) -> None:
        try:
            self.services.settings.save()
        except HearthError as exc:
            self.message.emit(ERROR, str(exc))

    def shutdown(self) -> None:
        self.controller.shutdown()
