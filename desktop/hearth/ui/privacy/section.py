"""The Privacy part of Settings: the offline switch, the network log and the data locations.

Built as cards that :class:`~hearth.ui.settings_page.SettingsPage` places in its column.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QCheckBox, QFrame, QWidget

from hearth.core import privacy
from hearth.core.errors import HearthError
from hearth.core.services import Services
from hearth.ui.common_widgets import card, label
from hearth.ui.dialogs import Dialogs
from hearth.ui.message_bar import ERROR
from hearth.ui.privacy.locations import DataLocationsBox
from hearth.ui.privacy.log_box import NetworkLogBox
from hearth.ui.privacy.prompts import PrivacyPrompts

log = logging.getLogger(__name__)

OFFLINE_TEXT = (
    "When on, Hearth sends no request at all: searching the Hugging Face Hub and downloading are refused, "
    "and every connection that would leave this computer, from Hearth or from its engines, is blocked and "
    "listed below. Models already on this computer keep working. Hearth never sends telemetry, online or not.")
LOG_TEXT = ("Every request Hearth made since it started: what left this computer, and the loopback "
            "requests to Hearth's own engines. Tokens and keys are never recorded.")



class PrivacySection(QObject):
    """Owns the three privacy cards; ``message(level, text)`` goes to the window's message bar."""

    message = Signal(str, str)

    def __init__(self, services: Services, dialogs: Dialogs, parent: QWidget,
                 prompts: PrivacyPrompts | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.prompts = prompts or PrivacyPrompts()

        self.offline_card, layout = card("Privacy", parent)
        self.offline = QCheckBox("Offline mode: never use the network", self.offline_card)
        self.offline.setChecked(services.settings.settings.offline or privacy.env_offline())
        self.offline.toggled.connect(self._offline_toggled)
        layout.addWidget(self.offline)
        layout.addWidget(label(OFFLINE_TEXT, "muted", wrap=True, parent=self.offline_card))
        if privacy.env_offline():
            self.offline.setEnabled(False)
            layout.addWidget(label("Hearth was started offline (--offline or HEARTH_OFFLINE=1).", "caption",
                                   wrap=True, parent=self.offline_card))

        self.log_card, layout = card("Network log", parent)
        layout.addWidget(label(LOG_TEXT, "muted", wrap=True, parent=self.log_card))
        self.log_box = NetworkLogBox(self.prompts, parent=self.log_card)
        layout.addWidget(self.log_box)

        self.data_card, layout = card("Your data on this computer", parent)
        self.locations = DataLocationsBox(services, dialogs, self.prompts, self.data_card)
        self.locations.message.connect(self.message)
        layout.addWidget(self.locations)

    @property
    def cards(self) -> tuple[QFrame, ...]:
        return (self.offline_card, self.log_card, self.data_card)

    def _offline_toggled(self, on: bool) -> None:
        try:
            privacy.set_offline(on, self.services.settings)
        except HearthError as exc:
            self.message.emit(ERROR, str(exc))

    def shutdown(self) -> None:
        self.log_box.shutdown()
        self.locations.shutdown()
