"""Application bootstrap, the theme controller, icons and the message bar."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QPushButton

from hearth import APP_NAME, __version__
from hearth.app import create_application, known_binding_problem
from hearth.ui import icons, theme
from hearth.ui.message_bar import ERROR, INFO, MessageBar
from hearth.ui.theme import DARK, LIGHT, ThemeController

USED_ICONS = {"discover", "library", "chat", "embeddings", "downloads", "settings", "import", "folder-add",
              "folders", "folder-open", "reveal", "remove", "refresh", "search", "model", "warning", "error",
              "info", "success", "close", "expand", "collapse", "hearth"}


def window_color() -> str:
    return QApplication.palette().color(QPalette.ColorRole.Window).name()


def test_application_carries_name_version_and_icon(qapp: Any) -> None:
    app = create_application()
    assert app is qapp
    assert QApplication.applicationName() == APP_NAME
    assert QApplication.applicationVersion() == __version__
    assert not app.windowIcon().isNull()


@pytest.mark.parametrize(("version", "python", "warned"), [
    ("6.12.0", (3, 11), True),
    ("6.12.0", (3, 12), False),
    ("6.11.3", (3, 11), False),
])
def test_a_pyside_release_known_to_crash_is_named(version: str, python: tuple[int, int], warned: bool) -> None:
    problem = known_binding_problem(version, python)
    assert (problem is not None) is warned
    if problem:
        assert version in problem and "Python 3.11" in problem


def test_system_theme_follows_the_desktop_live(qapp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    controller = ThemeController("system")
    monkeypatch.setattr(theme, "system_is_dark", lambda: True)
    controller.apply()
    assert window_color() == DARK.window and theme.current() is DARK
    monkeypatch.setattr(theme, "system_is_dark", lambda: False)
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert window_color() == LIGHT.window


def test_a_pinned_theme_ignores_the_desktop(qapp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    controller = ThemeController("dark")
    controller.apply()
    assert QApplication.instance().property("hearth_style") == "Fusion"
    assert theme.ACCENT in QApplication.instance().styleSheet()
    monkeypatch.setattr(theme, "system_is_dark", lambda: False)
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert window_color() == DARK.window
    controller.set_preference("light")
    assert window_color() == LIGHT.window


def test_every_icon_the_ui_uses_ships(qapp: Any) -> None:
    assert USED_ICONS.issubset(icons.available())


def test_icons_are_recoloured(qapp: Any) -> None:
    image = icons.icon("close", "#ff0000").pixmap(24, 24).toImage()
    colors = {image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height())
              if image.pixelColor(x, y).alpha() > 250}
    assert colors == {"#ff0000"}
    themed = icons.icon("close").pixmap(24, 24).toImage()
    opaque = [themed.pixelColor(x, y) for x in range(themed.width()) for y in range(themed.height())
              if themed.pixelColor(x, y).alpha() > 250]
    text = QApplication.palette().color(QPalette.ColorRole.WindowText)
    assert opaque and all(QColor(c).name() == text.name() for c in opaque)


def test_message_bar_errors_stay_until_dismissed(qtbot: Any) -> None:
    bar = MessageBar()
    qtbot.addWidget(bar)
    bar.show_message(ERROR, "Could not copy model.gguf: disk full")
    assert not bar.isHidden() and bar.level == ERROR and bar.property("level") == "error"
    assert bar.text() == "Could not copy model.gguf: disk full"
    with qtbot.waitSignal(bar.closed, timeout=1000):
        bar.dismiss()
    assert bar.isHidden() and bar.text() == ""


def test_message_bar_action_runs_and_closes(qtbot: Any) -> None:
    bar = MessageBar()
    qtbot.addWidget(bar)
    ran: list[bool] = []
    bar.show_message(INFO, "Scan cancelled.", "Scan again", lambda: ran.append(True))
    button = next(b for b in bar.findChildren(QPushButton) if b.text() == "Scan again")
    button.click()
    assert ran == [True] and bar.isHidden()


WINDOW_PROBE = r"""
import json, sys
from hearth.app import PRELOADED, create_application, create_main_window
from hearth.core.services import Services

app = create_application()
window = create_main_window(Services.open(), scan_on_start=False)
late = sorted({name.split(".")[0] for name in PRELOADED} & {m.split(".")[0] for m in sys.modules})
print(json.dumps({"late_imported": late}))
window.close()
"""


def test_the_window_opens_without_the_modules_it_preloads_later(tmp_path: Path) -> None:
    """openai costs ~0.7 s to import: the window must not wait for it (a background thread loads it)."""
    env = dict(os.environ, HEARTH_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", WINDOW_PROBE], capture_output=True, text=True, env=env,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"late_imported": []}
