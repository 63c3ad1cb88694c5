"""The main window: sidebar, message bar, the pages, shortcuts, drops and remembered state."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QMimeData, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from hearth import APP_NAME
from hearth.core.downloads import DownloadManager, JobSnapshot
from hearth.core.errors import HearthError
from hearth.core.hub import HubClient
from hearth.core.model_entry import ModelEntry
from hearth.core.services import Services
from hearth.engine.supervisor import EngineSupervisor
from hearth.ui import data_events, icons, ui_state
from hearth.ui.chat.page import ChatPage
from hearth.ui.dialogs import Dialogs
from hearth.ui.discover.page import DiscoverPage
from hearth.ui.downloads.page import DownloadsPage
from hearth.ui.embeddings.page import EmbeddingsPage
from hearth.ui.library.page import LibraryPage
from hearth.ui.message_bar import WARNING, MessageBar
from hearth.ui.settings_page import SettingsPage
from hearth.ui.sidebar import PageSpec, Sidebar
from hearth.ui.theme import ThemeController

log = logging.getLogger(__name__)

PAGES = (
    PageSpec("discover", "Discover", "discover"),
    PageSpec("library", "Library", "library"),
    PageSpec("chat", "Chat", "chat"),
    PageSpec("embeddings", "Embeddings", "embeddings"),
    PageSpec("downloads", "Downloads", "downloads"),
    PageSpec("settings", "Settings", "settings"),
)
DEFAULT_PAGE = "library"
DEFAULT_SIZE = (1240, 780)


def local_paths(mime: QMimeData) -> list[Path]:
    """The local files and folders a drag carries (remote URLs are ignored)."""
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()] if mime.hasUrls() else []


class MainWindow(QMainWindow):
    """Build with :func:`hearth.app.create_main_window`, which also applies the theme and starts a scan."""

    def __init__(self, services: Services, dialogs: Dialogs | None = None,
                 theme: ThemeController | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.dialogs = dialogs or Dialogs()
        self.theme = theme or ThemeController(services.settings.settings.theme, self)
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(icons.app_icon())
        self.setAcceptDrops(True)
        self._resize_to_fit_screen()

        self.sidebar = Sidebar(PAGES, self)
        self.message_bar = MessageBar(self)
        self.library = LibraryPage(services, self.dialogs, self)
        self.supervisor = EngineSupervisor(services.paths)  # one per app: engine processes end on close
        self.settings_page = SettingsPage(services, self.dialogs, self, supervisor=self.supervisor)
        self.download_manager = DownloadManager.from_services(services)  # one per app; shut down on close
        self.discover = DiscoverPage(services, HubClient.from_services(services), self.download_manager, self)
        self.downloads = DownloadsPage(services, self.download_manager, self)
        self.embeddings = EmbeddingsPage(services, self.supervisor, self.dialogs, self)
        self.chat = ChatPage(services, self.supervisor, self.dialogs, self)
        self.pages: dict[str, QWidget] = {
            "discover": self.discover,
            "library": self.library,
            "chat": self.chat,
            "embeddings": self.embeddings,
            "downloads": self.downloads,
            "settings": self.settings_page,
        }
        self.stack = QStackedWidget(self)
        for spec in PAGES:
            self.stack.addWidget(self.pages[spec.key])
        bar_holder = QVBoxLayout()
        bar_holder.setContentsMargins(24, 12, 24, 0)
        bar_holder.addWidget(self.message_bar)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        right.addLayout(bar_holder)
        right.addWidget(self.stack, 1)
        central = QWidget(self)
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.sidebar)
        row.addLayout(right, 1)
        self.setCentralWidget(central)

        self.sidebar.page_selected.connect(self._page_selected)
        self.library.message.connect(self.show_message)
        self.settings_page.message.connect(self.show_message)
        self.settings_page.remote.changed.connect(self.chat.models.refresh)  # the picker lists remote models
        self.chat.models.connector.models_seen.connect(self.settings_page.remote.reload)
        self.settings_page.theme_changed.connect(self.theme.set_preference)
        self.discover.message.connect(self.show_message)
        self.downloads.message.connect(self.show_message)
        self.embeddings.message.connect(self.show_message)
        self.chat.message.connect(self.show_message)
        self.downloads.installed.connect(self._download_installed)
        self.downloads.show_in_library.connect(self._show_in_library)
        self.downloads.discover_requested.connect(lambda: self.show_page("discover"))
        data_events.connect(self)
        self._add_shortcuts()
        self.restore_state()
        if services.settings.notice:
            self.show_message(WARNING, services.settings.notice)
            services.settings.notice = None  # shown once

    def _resize_to_fit_screen(self) -> None:
        width, height = DEFAULT_SIZE
        screen = self.screen()
        if screen is not None:
            room = screen.availableGeometry()
            width, height = min(width, int(room.width() * 0.9)), min(height, int(room.height() * 0.9))
        self.resize(max(width, self.minimumSizeHint().width()), height)

    # ---- pages ---------------------------------------------------------------------------
    def show_page(self, key: str) -> None:
        self.sidebar.select(key)

    def current_page(self) -> str:
        return self.sidebar.current_key() or DEFAULT_PAGE

    def _page_selected(self, key: str) -> None:
        self.stack.setCurrentWidget(self.pages[key])

    def show_message(self, level: str, text: str) -> None:
        self.message_bar.show_message(level, text)

    def _installed_entry(self, path: str) -> ModelEntry | None:
        try:
            return self.services.library.get(path)
        except HearthError:
            return None

    def _download_installed(self, job: JobSnapshot) -> None:
        """A finished download is listed by the downloader; show it, or rescan if it was not."""
        self.discover.detail.mark_installed(job.repo_id, job.label)
        if job.installed and self._installed_entry(job.installed[0]) is not None:
            self.library.set_entries(self.services.library.entries())
        else:
            self.library.refresh()

    def _show_in_library(self, path: str) -> None:
        self.show_page("library")
        entry = self._installed_entry(path)
        if entry is None or not self.library.select_entry(entry.id):
            self.library.refresh()  # not listed yet: a rescan brings it

    # ---- keyboard ------------------------------------------------------------------------
    def _add_shortcuts(self) -> None:
        self.shortcuts: list[QShortcut] = []
        for number, spec in enumerate(PAGES, start=1):
            self._shortcut(f"Ctrl+{number}", lambda key=spec.key: self.show_page(key))
        self._shortcut(QKeySequence.StandardKey.Open, self._import)
        self._shortcut("F5", self._refresh)
        self._shortcut(QKeySequence.StandardKey.Find, self._find)

    def _shortcut(self, keys: str | QKeySequence.StandardKey, slot: object) -> None:
        shortcut = QShortcut(QKeySequence(keys), self)
        shortcut.activated.connect(slot)  # type: ignore[arg-type]
        self.shortcuts.append(shortcut)

    def _import(self) -> None:
        self.show_page("library")
        self.library.commands.prompt_import()

    def _refresh(self) -> None:
        self.show_page("library")
        self.library.refresh()

    def _find(self) -> None:
        self.show_page("library")
        self.library.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.library.filter.selectAll()

    # ---- drag and drop -------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_paths(event.mimeData())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.show_page("library")
        self.library.import_paths(paths)

    # ---- remembered state ----------------------------------------------------------------
    def restore_state(self) -> None:
        state = self.services.settings.settings.ui_state
        geometry = ui_state.decode(state.get(ui_state.GEOMETRY))
        if geometry is not None:
            self.restoreGeometry(QByteArray(geometry))
        library_state = {key: value for key, name in (("splitter", ui_state.LIBRARY_SPLITTER),
                                                      ("header", ui_state.LIBRARY_HEADER))
                         if (value := ui_state.decode(state.get(name))) is not None}
        self.library.restore_state(library_state)
        page = state.get(ui_state.PAGE, DEFAULT_PAGE)
        self.show_page(page if page in self.pages else DEFAULT_PAGE)

    def save_state(self) -> bool:
        library_state = self.library.remembered_state()
        return ui_state.save(self.services.settings, {
            ui_state.GEOMETRY: ui_state.encode(bytes(self.saveGeometry().data())),
            ui_state.PAGE: self.current_page(),
            ui_state.LIBRARY_SPLITTER: ui_state.encode(library_state["splitter"]),
            ui_state.LIBRARY_HEADER: ui_state.encode(library_state["header"]),
        })

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        self.library.shutdown()
        self.discover.shutdown()
        self.downloads.shutdown()
        self.settings_page.token_box.shutdown()
        self.settings_page.privacy.shutdown()
        self.settings_page.serve.shutdown()  # before the engines: no request is left half-forwarded
        self.settings_page.remote.shutdown()
        self.download_manager.shutdown()  # pauses running downloads; their partial files stay
        self.embeddings.shutdown()
        self.chat.shutdown()
        self.supervisor.close()
        super().closeEvent(event)
