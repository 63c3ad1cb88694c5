"""The main window: pages and shortcuts, remembered state, the settings notice, Settings page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel

from hearth import __version__
from hearth.core.services import Services
from hearth.ui.main_window import PAGES, MainWindow
from hearth.ui.message_bar import WARNING
from hearth.ui.placeholder_page import PlaceholderPage
from hearth.ui.theme import DARK, LIGHT
from tests.gui.conftest import FakeDialogs

PAGE_KEYS = ["discover", "library", "chat", "embeddings", "downloads", "settings"]


def label_texts(widget: Any) -> str:
    return "\n".join(label.text() for label in widget.findChildren(QLabel))


def test_window_opens_on_the_library_with_every_page_in_the_sidebar(window: MainWindow) -> None:
    assert window.windowTitle() == "Hearth"
    assert window.sidebar.keys() == PAGE_KEYS
    assert [window.sidebar.list.item(i).text() for i in range(window.sidebar.list.count())] == [
        "Discover", "Library", "Chat", "Embeddings", "Downloads", "Settings"]
    assert all(not window.sidebar.list.item(i).icon().isNull() for i in range(len(PAGES)))
    assert window.current_page() == "library"
    assert window.stack.currentWidget() is window.library


def test_ctrl_number_switches_pages(make_window: Callable[..., MainWindow], qtbot: Any) -> None:
    window = make_window(show=True)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    for number, key in enumerate(PAGE_KEYS, start=1):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
        assert window.current_page() == key
        assert window.stack.currentWidget() is window.pages[key]


def test_sidebar_is_keyboard_navigable(make_window: Callable[..., MainWindow], qtbot: Any) -> None:
    window = make_window(show=True)
    window.sidebar.list.setFocus()
    qtbot.keyClick(window.sidebar.list, Qt.Key.Key_Down)
    assert window.current_page() == "chat"
    qtbot.keyClick(window.sidebar.list, Qt.Key.Key_Home)
    assert window.current_page() == "discover"


def test_every_page_is_built(window: MainWindow) -> None:
    assert not [key for key, page in window.pages.items() if isinstance(page, PlaceholderPage)]


def test_geometry_and_page_are_restored_in_a_second_window(make_window: Callable[..., MainWindow],
                                                           qtbot: Any) -> None:
    first = make_window(show=True)
    first.resize(780, 560)
    first.show_page("settings")
    qtbot.waitUntil(lambda: first.size().width() == 780, timeout=5000)
    first.close()
    saved = Services.open().settings.settings.ui_state
    assert saved["window.page"] == "settings" and saved["window.geometry"]

    second = make_window(Services.open(), show=True)
    assert second.current_page() == "settings"
    assert (second.width(), second.height()) == (780, 560)


def test_a_damaged_window_state_is_ignored(make_window: Callable[..., MainWindow]) -> None:
    services = Services.open()
    services.settings.settings.ui_state.update({"window.geometry": "%%% not base64", "window.page": "nope"})
    services.settings.save()
    window = make_window(Services.open())
    assert window.current_page() == "library"


def test_a_corrupt_settings_file_is_reported_once(make_window: Callable[..., MainWindow],
                                                  paths: Any) -> None:
    paths.settings_file.write_text("{ this is not json", encoding="utf-8")
    first = make_window(Services.open())
    assert first.message_bar.level == WARNING
    assert "settings file" in first.message_bar.text() and "default settings" in first.message_bar.text()
    first.close()
    kept = [p.name for p in paths.config.iterdir() if p.name.startswith("settings.json.corrupt")]
    assert len(kept) == 1, "the broken file is kept for the user"
    second = make_window(Services.open())
    assert second.message_bar.text() == ""


def test_theme_choice_is_saved_and_applied_live(window: MainWindow) -> None:
    combo = window.settings_page.theme
    combo.setCurrentIndex(combo.findData("dark"))
    palette = QApplication.palette()
    assert palette.color(QPalette.ColorRole.Window).name() == DARK.window
    assert Services.open().settings.settings.theme == "dark"
    combo.setCurrentIndex(combo.findData("light"))
    assert QApplication.palette().color(QPalette.ColorRole.Window).name() == LIGHT.window
    assert Services.open().settings.settings.theme == "light"


def test_offline_switch_is_saved(window: MainWindow) -> None:
    window.settings_page.offline.setChecked(True)
    assert Services.open().settings.settings.offline is True
    window.settings_page.offline.setChecked(False)
    assert Services.open().settings.settings.offline is False


def test_settings_show_the_data_folders_and_open_them(window: MainWindow, services: Services,
                                                      dialogs: FakeDialogs) -> None:
    page = window.settings_page
    shown = {key: field.text() for key, field in page.path_fields.items()}
    assert shown == {key: value for key, value in services.paths.as_dict().items()}
    assert all(field.isReadOnly() for field in page.path_fields.values())
    page.open_buttons[4].click()  # Logs
    assert dialogs.opened == [services.paths.logs]
    assert __version__ in page.about.text()


def test_closing_the_window_stops_background_work(make_window: Callable[..., MainWindow]) -> None:
    window = make_window()
    window.library.refresh()
    window.close()
    assert not window.library.runner.busy
    assert window.library.runner.threads_running() == 0
    assert Services.open().settings.settings.ui_state["window.page"] == "library"
