"""Starts the GUI: the QApplication, logging, theme, main window and the first library scan."""

from __future__ import annotations

import importlib
import logging
import signal
import sys
import threading
import traceback
from types import TracebackType

import PySide6
from PySide6.QtCore import QTimer, qVersion
from PySide6.QtWidgets import QApplication, QMessageBox

from hearth import APP_ID, APP_NAME, __version__
from hearth.core import privacy
from hearth.core.errors import HearthError
from hearth.core.services import Services, setup_logging
from hearth.ui import icons
from hearth.ui.dialogs import Dialogs
from hearth.ui.main_window import MainWindow
from hearth.ui.message_bar import ERROR
from hearth.ui.theme import ThemeController

log = logging.getLogger(__name__)


def create_application(argv: list[str] | None = None) -> QApplication:
    """The running QApplication (made if needed) with Hearth's name, version and icon."""
    QApplication.setApplicationName(APP_NAME)
    QApplication.setApplicationVersion(__version__)
    QApplication.setDesktopFileName(APP_ID)
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setWindowIcon(icons.app_icon())
    return app


def known_binding_problem(version: str | None = None, python: tuple[int, int] | None = None) -> str | None:
    """A sentence about a PySide6 release known to crash Hearth here, or None.

    PySide6 6.12.0 drops references to ``None`` and ``True`` (signal emits, empty
    QVariants); on Python 3.11, where those objects are not immortal, the app
    aborts after a few minutes of use.
    """
    version = version or PySide6.__version__
    python = python or (sys.version_info.major, sys.version_info.minor)
    if version.startswith("6.12.0") and python < (3, 12):
        return (f"PySide6 {version} has a known crash bug on Python {python[0]}.{python[1]}; "
                "Hearth may close unexpectedly. Install another PySide6-Essentials release "
                "(for example 6.11.3) or use Python 3.12 or newer.")
    return None


def create_main_window(services: Services, *, dialogs: Dialogs | None = None,
                       scan_on_start: bool = True) -> MainWindow:
    """Apply the saved theme, build the window and (by default) start the library scan in the background.

    Needs a QApplication; tests call this without ``exec``.
    """
    theme = ThemeController(services.settings.settings.theme)
    theme.apply()
    window = MainWindow(services, dialogs=dialogs, theme=theme)
    theme.setParent(window)
    if scan_on_start:
        window.library.refresh()
    return window


def run_gui(data_dir: str | None = None, verbose: bool = False) -> int:
    """Open the Hearth window and run until it closes; returns the exit status."""
    app = create_application()
    try:
        services = Services.open(data_dir)
    except (HearthError, OSError) as exc:
        QMessageBox.critical(None, f"{APP_NAME} cannot start", f"{APP_NAME} could not open its data folders: {exc}")
        return 1
    setup_logging(services.paths.log_file, logging.DEBUG if verbose else logging.INFO)
    log.info("starting %s %s (Qt %s, PySide6 %s) with data in %s", APP_NAME, __version__, qVersion(),
             PySide6.__version__, services.paths.data)
    privacy.start_guard(services.paths.logs, services.settings.settings)
    window = create_main_window(services)
    if problem := known_binding_problem():
        log.error(problem)
        window.show_message(ERROR, problem)
    _report_unexpected_errors(window)
    _quit_on_interrupt(app)
    window.show()
    QTimer.singleShot(0, lambda: _preload(PRELOADED))
    return app.exec()


#: Modules the first chat or embedding needs that the window does not: loaded once it shows.
PRELOADED = ("openai", "openai.types.chat")


def _preload(modules: tuple[str, ...]) -> None:
    """Import ``modules`` on a background thread, so no later click waits for them (~0.7 s for openai)."""

    def run() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except ImportError as exc:
                log.warning("could not preload %s: %s", name, exc)

    threading.Thread(target=run, name="hearth-preload", daemon=True).start()


def _report_unexpected_errors(window: MainWindow) -> None:
    """A bug in a slot is logged and shown in the message bar instead of vanishing on stderr."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, error, tb)))
        window.show_message(ERROR, f"Something went wrong: {error}. The details are in the log.")

    sys.excepthook = hook


def _quit_on_interrupt(app: QApplication) -> None:
    """Ctrl+C in the terminal closes the window normally (so its state is saved)."""
    signal.signal(signal.SIGINT, lambda *_args: app.closeAllWindows())
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)  # gives Python a moment to run signal handlers
    timer.start(300)
