"""Renders the badge screenshots: the Library with its Checks column, and a Model passport.

Run offscreen (or under a display):

    QT_QPA_PLATFORM=offscreen python -m tests.gui.badge_screenshots OUT_DIR [--dark] [--home DIR]

It fills a throwaway data folder with tiny models that earn each kind of badge
(tests/helpers/badge_models.py) and writes library-badges.png (1280×800) and
passport.png (its top) and passport-license.png (scrolled to the license and file), or
their -dark twins with ``--dark``. With ``--home`` the demo data lives in DIR as if it
were the user's home folder (so the paths shown look like a real install); DIR is
emptied afterwards.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QElapsedTimer
from PySide6.QtWidgets import QApplication

from hearth.app import create_application, create_main_window
from hearth.core.model_entry import model_id
from hearth.core.services import Services
from tests.helpers.badge_models import stock_badge_library

SIZE = (1280, 800)
PASSPORT_SIZE = (680, 860)


def wait(app: QApplication, condition: Callable[[], bool], timeout_ms: int = 30_000, settle_ms: int = 300) -> None:
    timer = QElapsedTimer()
    timer.start()
    while not condition():
        if timer.elapsed() > timeout_ms:
            raise TimeoutError("the window did not reach the expected state")
        app.processEvents()
    timer.restart()
    while timer.elapsed() < settle_ms:
        app.processEvents()


def shoot(out: Path, dark: bool, home: Path | None = None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    suffix = "-dark" if dark else ""
    app = create_application()
    with tempfile.TemporaryDirectory() as tmp:
        if home is not None:
            root = home
            os.environ["HOME"] = str(home)
            for name in ("HEARTH_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
                os.environ.pop(name, None)
        else:
            root = Path(tmp)
            os.environ["HEARTH_HOME"] = str(root / "hearth")
        root.mkdir(parents=True, exist_ok=True)
        services = Services.open()
        models = stock_badge_library(services, root)
        services.settings.settings.theme = "dark" if dark else "light"
        window = create_main_window(services)
        window.resize(*SIZE)
        window.show()
        window.show_page("library")
        page = window.library
        wait(app, lambda: not page.runner.busy and page.badges_known())
        page.select_entry(model_id(models["malicious"]))
        wait(app, lambda: page.details.badges is not None)
        window.grab().save(str(out / f"library-badges{suffix}.png"))
        passport = page.open_passport()
        assert passport is not None
        passport.resize(*PASSPORT_SIZE)
        wait(app, passport.isVisible)
        passport.grab().save(str(out / f"passport{suffix}.png"))
        bar = passport.scroll_area().verticalScrollBar()
        bar.setValue(bar.maximum())
        wait(app, lambda: True)
        passport.grab().save(str(out / f"passport-license{suffix}.png"))
        passport.close()
        window.close()
        if home is not None:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--dark", action="store_true", help="use the dark theme")
    parser.add_argument("--home", type=Path, help="a throwaway folder to use as the home folder")
    args = parser.parse_args()
    shoot(args.out, args.dark, args.home)
