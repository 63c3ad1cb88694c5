"""The Settings page, in tabs: General (theme, Hub token, folders, version), Privacy, Serve and Remote engines.

Each tab is a scrolling column of cards; a section that owns a tab is built in
its own module and handed to :meth:`SettingsPage.add_tab`.
"""

from __future__ import annotations

import logging
import platform
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal, qVersion
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hearth import APP_NAME, __version__
from hearth.core.errors import HearthError
from hearth.core.services import Services
from hearth.engine.supervisor import EngineSupervisor
from hearth.ui import icons
from hearth.ui.common_widgets import PAGE_MARGINS, SPACING, PageHeader, label, value_field
from hearth.ui.common_widgets import card as make_card
from hearth.ui.dialogs import Dialogs
from hearth.ui.message_bar import ERROR
from hearth.ui.privacy.section import PrivacySection
from hearth.ui.remote.section import RemoteSection
from hearth.ui.serve.section import ServeSection
from hearth.ui.token_box import TokenBox

log = logging.getLogger(__name__)

THEME_CHOICES = (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark"))
PATH_LABELS = (("models", "Models"), ("data", "Data"), ("config", "Settings"), ("cache", "Cache"),
               ("logs", "Logs"))



class SettingsPage(QWidget):
    """Changes are saved at once; the theme applies live through :attr:`theme_changed`."""

    theme_changed = Signal(str)
    message = Signal(str, str)

    def __init__(self, services: Services, dialogs: Dialogs, parent: QWidget | None = None, *,
                 supervisor: EngineSupervisor | None = None) -> None:
        """``supervisor`` is the app's (the Serve tab serves its engines); a page alone gets an idle one."""
        super().__init__(parent)
        self.services = services
        self.dialogs = dialogs
        settings = services.settings.settings
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tab_keys: list[str] = []
        content, column = self._column()

        card, layout = make_card("Appearance", content)
        self.theme = QComboBox(card)
        self.theme.setAccessibleName("Theme")
        for key, text in THEME_CHOICES:
            self.theme.addItem(text, key)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        self.theme.currentIndexChanged.connect(self._theme_picked)
        row = QGridLayout()
        row.addWidget(label("Theme", parent=card), 0, 0)
        row.addWidget(self.theme, 0, 1)
        row.setColumnStretch(2, 1)
        layout.addLayout(row)
        column.addWidget(card)

        self.token_box = TokenBox(services, content)
        self.token_box.message.connect(self.message)
        column.addWidget(self.token_box)

        card, layout = make_card("Where Hearth keeps its files", content)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        self.path_fields: dict[str, QWidget] = {}
        self.open_buttons: list[QPushButton] = []
        folders = services.paths.as_dict()
        for row_number, (key, text) in enumerate(PATH_LABELS):
            field = value_field(folders[key], card)
            button = QPushButton(icons.icon("folder-open"), "Open folder", card)
            button.setAccessibleName(f"Open the {text.lower()} folder")
            button.clicked.connect(lambda _checked=False, path=folders[key]: self._open(Path(path)))
            grid.addWidget(label(text, "caption", parent=card), row_number, 0)
            grid.addWidget(field, row_number, 1)
            grid.addWidget(button, row_number, 2)
            self.path_fields[key] = field
            self.open_buttons.append(button)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        column.addWidget(card)

        card, layout = make_card("About", content)
        self.about = label(f"{APP_NAME} {__version__} · Qt {qVersion()} · Python {platform.python_version()}"
                           " · Apache-2.0 license", selectable=True, parent=card)
        layout.addWidget(self.about)
        layout.addWidget(label("Runs open GGUF models on your own computer through llama.cpp. Nothing "
                               "leaves this machine unless you ask for a download.", "muted", wrap=True,
                               parent=card))
        column.addWidget(card)
        self.add_tab("general", "General", content)

        self.privacy = PrivacySection(services, dialogs, self)
        self.privacy.message.connect(self.message)
        self.offline = self.privacy.offline
        content, column = self._column()
        column.addWidget(self.privacy.offline_card)
        column.addWidget(self.privacy.log_card)
        column.addWidget(self.privacy.data_card)
        self.add_tab("privacy", "Privacy", content)

        self.serve = ServeSection(services, supervisor or EngineSupervisor(services.paths), dialogs, self)
        self.serve.message.connect(self.message)
        self.privacy.offline.toggled.connect(self.serve.offline_changed)  # after the guard follows the switch
        content, column = self._column()
        for serve_card in self.serve.cards:
            column.addWidget(serve_card)
        self.add_tab("serve", "Serve", content)

        self.remote = RemoteSection(services, dialogs, self)
        self.remote.message.connect(self.message)
        content, column = self._column()
        column.addWidget(self.remote.card)
        self.add_tab("remote", "Remote engines", content)

        page = QVBoxLayout(self)
        page.setContentsMargins(*PAGE_MARGINS)
        page.setSpacing(SPACING)
        page.addWidget(PageHeader("Settings", "Saved as soon as you change them.", self))
        page.addWidget(self.tabs, 1)

    @staticmethod
    def _column() -> tuple[QWidget, QVBoxLayout]:
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 12, 8, 0)
        column.setSpacing(SPACING + 4)
        return content, column

    def add_tab(self, key: str, title: str, content: QWidget) -> None:
        """Show ``content`` (a column of cards) as a scrolling tab; ``key`` is what :meth:`show_tab` takes."""
        layout = content.layout()
        if isinstance(layout, QVBoxLayout):
            layout.addStretch(1)
        content.setMaximumWidth(820)
        scroll = QScrollArea(self.tabs)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        scroll.setObjectName(f"settings-{key}")
        self.tabs.addTab(scroll, title)
        self.tab_keys.append(key)

    def show_tab(self, key: str) -> QScrollArea:
        index = self.tab_keys.index(key)
        self.tabs.setCurrentIndex(index)
        scroll = self.tabs.widget(index)
        assert isinstance(scroll, QScrollArea)
        return scroll

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "open_buttons"):
            for button in self.open_buttons:
                button.setIcon(icons.icon("folder-open"))
        super().changeEvent(event)

    def _save(self) -> bool:
        try:
            self.services.settings.save()
        except HearthError as exc:
            self.message.emit(ERROR, str(exc))
            return False
        return True

    def _theme_picked(self, _index: int) -> None:
        choice = str(self.theme.currentData())
        self.services.settings.settings.theme = choice
        self._save()
        self.theme_changed.emit(choice)

    def _open(self, path: Path) -> None:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.message.emit(ERROR, f"Could not create {path}: {exc.strerror or exc}")
            return
        if not self.dialogs.open_folder(path):
            self.message.emit(ERROR, f"Could not open a file manager for {path}.")
