"""Settings → Hugging Face token: paste, save, test and remove it; say where it is kept.

The token goes only to the system keyring (:mod:`hearth.core.secrets`); without
one it is kept in memory for this run, and the box says so. Testing asks the
Hub whom the token belongs to, in the background. The token is never shown,
logged or put in a message. Whether one is stored is read from the keyring in
the background the first time the box is shown, not when the window opens: a
locked keyring would otherwise ask for its password at every start.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from hearth.core import privacy, secrets
from hearth.core.errors import HearthError
from hearth.core.services import Services
from hearth.ui import theme
from hearth.ui.background import Background
from hearth.ui.common_widgets import label
from hearth.ui.message_bar import ERROR, SUCCESS, WARNING
from hearth.ui.worker import ProgressFn, StopFn

log = logging.getLogger(__name__)

MEMORY_ONLY = "No system keyring is available, so the token is kept in memory for this run only."


class TokenBox(QFrame):
    """A settings card; :attr:`message` carries results for the window's message bar."""

    message = Signal(str, str)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.services = services
        self.background = Background(self, max_threads=1)
        self.field = QLineEdit(self)
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setPlaceholderText("Paste a token (hf_…) to store it")
        self.field.setAccessibleName("Hugging Face token")
        self.field.setClearButtonEnabled(True)
        self.save_button = QPushButton("Save", self)
        self.test_button = QPushButton("Test", self)
        self.remove_button = QPushButton("Remove", self)
        self.save_button.setToolTip("Store the pasted token")
        self.test_button.setToolTip("Ask the Hub whom the token belongs to (the pasted one, or the stored one)")
        self.remove_button.setToolTip("Forget the stored token")
        self.state = label("", wrap=True, parent=self)
        self.backend = label("", "muted", wrap=True, parent=self)
        self.result = label("", "muted", wrap=True, selectable=True, parent=self)
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.field, 1)
        for button in (self.save_button, self.test_button, self.remove_button):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 16)
        layout.setSpacing(8)
        layout.addWidget(label("Hugging Face token", "heading", parent=self))
        layout.addWidget(label("Only needed for gated models (after you accept their terms on the Hub) and "
                               "private ones. A read-only token is enough.", "muted", wrap=True, parent=self))
        layout.addLayout(row)
        layout.addWidget(self.state)
        layout.addWidget(self.backend)
        layout.addWidget(self.result)
        self.result.hide()
        self.field.textChanged.connect(lambda _text: self._update())
        self.field.returnPressed.connect(self.save)
        self.save_button.clicked.connect(self.save)
        self.test_button.clicked.connect(self.test)
        self.remove_button.clicked.connect(self.remove)
        self._stored: bool | None = None  # None until the keyring has been read
        self._update()

    @property
    def checked(self) -> bool:
        """Whether the keyring has been read (the box shows whether a token is stored)."""
        return self._stored is not None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stored is None and not self.background.busy:
            self.refresh()

    def refresh(self) -> None:
        """Re-read, in the background, whether a token is stored and where tokens are kept."""

        def run(_progress: ProgressFn, _stop: StopFn) -> tuple[bool, str]:
            stored = secrets.get_token() is not None
            where = MEMORY_ONLY if not secrets.keyring_available() else f"Kept in: {secrets.backend_description()}."
            return stored, where

        worker = self.background.run(run, on_finished=self._refreshed,
                                     on_failed=lambda text: self._show_result(text, theme.ERROR))
        if worker is not None:
            worker.done.connect(self._update)

    def _refreshed(self, result: tuple[bool, str]) -> None:
        self._stored, where = result
        self.backend.setText(where)

    def _update(self) -> None:
        if self._stored is None:
            self.state.setText("Checking the system keyring…")
        else:
            self.state.setText("A token is stored." if self._stored else "No token is stored.")
        typed = bool(self.field.text().strip())
        self.save_button.setEnabled(typed)
        self.test_button.setEnabled(bool(typed or self._stored) and not self.background.busy)
        self.remove_button.setEnabled(bool(self._stored))

    def _show_result(self, text: str, color: str | None = None) -> None:
        self.result.setText(text)
        self.result.setVisible(bool(text))
        self.result.setStyleSheet(f"color: {color};" if color else "")

    def save(self) -> None:
        token = self.field.text().strip()
        if not token:
            return
        try:
            in_keyring = secrets.set_token(token)
        except HearthError as exc:
            self._show_result(str(exc), theme.ERROR)
            return
        self.field.clear()
        self._stored = True
        self._update()
        if in_keyring:
            self._show_result("Token saved.", theme.SUCCESS)
            self.message.emit(SUCCESS, "Hugging Face token saved in the system keyring.")
        else:
            self._show_result(MEMORY_ONLY, theme.WARNING)
            self.message.emit(WARNING, MEMORY_ONLY)

    def test(self) -> None:
        token = self.field.text().strip() or None
        offline = privacy.is_offline(self.services.settings.settings)

        def run(_progress: ProgressFn, _stop: StopFn) -> secrets.TokenCheck:
            return secrets.test_token(token, offline=offline)

        self._show_result("Asking the Hub…")
        worker = self.background.run(run, on_finished=self._tested, on_failed=self._test_failed)
        if worker is not None:
            worker.done.connect(self._update)
        self._update()

    def _tested(self, check: secrets.TokenCheck) -> None:
        self._show_result(check.message, theme.SUCCESS if check.valid else theme.ERROR)

    def _test_failed(self, message: str) -> None:
        self._show_result(message, theme.ERROR)

    def remove(self) -> None:
        try:
            had = secrets.delete_token()
        except HearthError as exc:
            self._show_result(str(exc), theme.ERROR)
            self.message.emit(ERROR, str(exc))
            return
        self._stored = False
        self._update()
        self._show_result("Token removed." if had else "No token was stored.")

    def shutdown(self) -> None:
        self.background.shutdown()
