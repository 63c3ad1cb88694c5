"""The widgets of the Serve tab's first three cards: the server, its API key and network access.

Each card only builds and shows; :class:`~hearth.ui.serve.section.ServeSection`
wires them to the settings and the server.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QPushButton, QSpinBox, QWidget

from hearth.core.settings import MAX_PORT, MIN_PORT
from hearth.ui import theme
from hearth.ui.common_widgets import card, label

SERVER_TEXT = ("Other programs can use the models loaded in Hearth through the OpenAI API. It serves "
               "whatever is loaded on the Chat and Embeddings pages, and follows when you switch.")
KEY_TEXT = ("Programs send it as “Authorization: Bearer KEY” (api_key in OpenAI clients). "
            "It is kept in the system keyring, never in a file.")
NO_KEY_WARNING = "Without a key, any program on this computer can use the loaded models."
LAN_TEXT = ("Off, only programs on this computer can reach the server. On, every device on your network "
            "can, so use it only on a network you trust (never on public Wi-Fi) and keep the API key on.")
OFFLINE_NOTE = "Hearth is in offline mode, so the server only listens on this computer (offline means offline)."


def _row(*widgets: QWidget, stretch_at: int | None = None) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(8)
    for index, widget in enumerate(widgets):
        row.addWidget(widget, 1 if index == stretch_at else 0)
    if stretch_at is None:
        row.addStretch(1)
    return row


class ServerCard:
    """Status, what is served, the port and the Start/Stop button."""

    def __init__(self, parent: QWidget, port: int) -> None:
        self.frame, layout = card("Local API server", parent)
        layout.addWidget(label(SERVER_TEXT, "muted", wrap=True, parent=self.frame))
        self.status = label("Stopped", selectable=True, parent=self.frame)
        self.status.setStyleSheet("font-weight: 600;")
        self.chat = label("", parent=self.frame)
        self.embedding = label("", parent=self.frame)
        self.port = QSpinBox(self.frame)
        self.port.setRange(MIN_PORT, MAX_PORT)
        self.port.setValue(port)
        self.port.setKeyboardTracking(False)  # one change (and one save) per finished edit
        self.port.setAccessibleName("Port")
        self.toggle = QPushButton("Start", self.frame)
        self.toggle.setAccessibleName("Start or stop the local API server")
        layout.addLayout(_row(self.status, label("Port", parent=self.frame), self.port, self.toggle, stretch_at=0))
        layout.addWidget(self.chat)
        layout.addWidget(self.embedding)

    def show_state(self, status: str, serving: bool, busy: bool) -> None:
        self.status.setText(status)
        self.status.setStyleSheet(f"font-weight: 600; color: {theme.SUCCESS};" if serving else "font-weight: 600;")
        self.toggle.setText("Stop" if serving else "Start")
        self.toggle.setProperty("primary", "false" if serving else "true")
        self.toggle.style().unpolish(self.toggle)
        self.toggle.style().polish(self.toggle)
        self.toggle.setEnabled(not busy)
        self.port.setEnabled(not serving and not busy)


class KeyCard:
    """Require a key; the key itself, masked, with Show, Copy and New key."""

    def __init__(self, parent: QWidget, require: bool) -> None:
        self.frame, layout = card("API key", parent)
        self.require = QCheckBox("Require an API key", self.frame)
        self.require.setChecked(require)
        self.field = QLineEdit(self.frame)
        self.field.setReadOnly(True)
        self.field.setAccessibleName("API key")
        self.field.setPlaceholderText("Reading the key from the keyring…")
        self.show = QPushButton("Show", self.frame)
        self.show.setCheckable(True)
        self.show.setToolTip("Show the key here and in the examples below")
        self.copy = QPushButton("Copy", self.frame)
        self.copy.setToolTip("Copy the key to the clipboard")
        self.renew = QPushButton("New key", self.frame)
        self.renew.setToolTip("Make a new key; programs using the old one are refused from then on")
        self.warning = label(NO_KEY_WARNING, "caption", wrap=True, parent=self.frame)
        self.warning.setStyleSheet(f"color: {theme.WARNING};")
        layout.addWidget(self.require)
        layout.addLayout(_row(self.field, self.show, self.copy, self.renew, stretch_at=0))
        layout.addWidget(label(KEY_TEXT, "muted", wrap=True, parent=self.frame))
        layout.addWidget(self.warning)

    def show_key(self, shown: str, have_key: bool, require: bool) -> None:
        self.field.setText(shown)
        self.copy.setEnabled(have_key)
        self.show.setEnabled(have_key)
        self.warning.setVisible(not require)


class NetworkCard:
    """The LAN switch, its warning, the offline note and this computer's addresses."""

    def __init__(self, parent: QWidget, lan: bool) -> None:
        self.frame, layout = card("Network access", parent)
        self.lan = QCheckBox("Let other devices on my network use it", self.frame)
        self.lan.setChecked(lan)
        self.offline_note = label(OFFLINE_NOTE, "caption", wrap=True, parent=self.frame)
        self.addresses = label("", selectable=True, wrap=True, parent=self.frame)
        layout.addWidget(self.lan)
        layout.addWidget(label(LAN_TEXT, "muted", wrap=True, parent=self.frame))
        layout.addWidget(self.offline_note)
        layout.addWidget(self.addresses)

    def show_state(self, offline: bool, urls: list[str]) -> None:
        self.lan.setEnabled(not offline)
        self.offline_note.setVisible(offline)
        self.addresses.setText("Other devices use: " + ", ".join(urls) if urls else "")
        self.addresses.setVisible(bool(urls))
