"""The data locations card: each place Hearth keeps data, its size, Open folder and Delete…, and Delete all."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from hearth.core import data_wipe
from hearth.core.data_wipe import DataLocation, WipeReport
from hearth.core.downloads.job import ACTIVE_STATES
from hearth.core.services import Services
from hearth.core.settings import Settings
from hearth.core.units import human_bytes
from hearth.ui import icons
from hearth.ui.background import Background
from hearth.ui.common_widgets import label
from hearth.ui.dialogs import Dialogs
from hearth.ui.message_bar import ERROR, INFO, WARNING
from hearth.ui.privacy.prompts import PrivacyPrompts
from hearth.ui.worker import ProgressFn, StopFn

log = logging.getLogger(__name__)

MEASURING = "measuring…"


class DataLocationsBox(QWidget):
    """``message(level, text)`` reports what a deletion did; ``wiped`` follows Delete all my data."""

    message = Signal(str, str)
    wiped = Signal(object)
    #: ``releasing(keys)`` just before those locations are deleted (pages close what they hold open there);
    #: ``deleted(keys)`` right after (pages reload, starting empty).
    releasing = Signal(object)
    deleted = Signal(object)

    def __init__(self, services: Services, dialogs: Dialogs, prompts: PrivacyPrompts,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.dialogs = dialogs
        self.prompts = prompts
        self.background = Background(self, max_threads=1)
        self.locations = data_wipe.data_locations(services.paths)
        self.sizes: dict[str, int | None] = {loc.key: None for loc in self.locations}
        self.size_labels: dict[str, QLabel] = {}
        self.delete_buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        for row, loc in enumerate(self.locations):
            name = label(loc.label, parent=self)
            name.setToolTip("\n".join(str(t) for t in loc.targets))
            size = label(MEASURING, "muted", parent=self)
            size.setMinimumWidth(80)
            opener = QPushButton(icons.icon("folder-open"), "Open folder", self)
            opener.setAccessibleName(f"Open the folder of {loc.label.lower()}")
            opener.clicked.connect(lambda _c=False, where=loc: self._open(where))
            delete = QPushButton("Delete…", self)
            delete.setAccessibleName(f"Delete {loc.label.lower()}")
            delete.clicked.connect(lambda _c=False, where=loc: self.delete(where))
            grid.addWidget(name, row, 0)
            grid.addWidget(label(loc.description, "caption", wrap=True, parent=self), row, 1)
            grid.addWidget(size, row, 2)
            grid.addWidget(opener, row, 3)
            grid.addWidget(delete, row, 4)
            self.size_labels[loc.key] = size
            self.delete_buttons[loc.key] = delete
        grid.setColumnStretch(1, 1)
        self.delete_all_button = QPushButton("Delete all my data…", self)
        self.delete_all_button.clicked.connect(self.delete_all)
        self.refresh_button = QPushButton("Measure again", self)
        self.refresh_button.clicked.connect(self.refresh)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_all_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(grid)
        column.addWidget(label("Delete all my data also removes the Hugging Face token, the API server's key and "
                               "remote engines' keys from the system keyring. Model folders you added from "
                               "elsewhere are not touched.",
                               "muted", wrap=True, parent=self))
        column.addLayout(buttons)
        self.refresh()

    # ---- sizes ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Measure every location in the background (a models folder can hold many GB)."""
        for key, size_label in self.size_labels.items():
            size_label.setText(MEASURING)
            self.sizes[key] = None
        locations = list(self.locations)

        def measure(_progress: ProgressFn, should_stop: StopFn) -> dict[str, int]:
            return {loc.key: data_wipe.size_of(loc.targets, should_stop) for loc in locations}

        self.background.run(measure, on_finished=self._measured,
                            on_failed=lambda text: log.warning("could not measure data: %s", text))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.background.busy:  # sizes change while the app runs (downloads, chats, caches)
            self.refresh()

    @property
    def measuring(self) -> bool:
        return self.background.busy

    def _measured(self, sizes: Any) -> None:
        for key, size in dict(sizes).items():
            self.sizes[key] = size
            self.size_labels[key].setText(human_bytes(size))

    # ---- actions -------------------------------------------------------------------------
    def _open(self, loc: DataLocation) -> None:
        folder = loc.folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.message.emit(ERROR, f"Could not create {folder}: {exc.strerror or exc}")
            return
        if not self.dialogs.open_folder(folder):
            self.message.emit(ERROR, f"Could not open a file manager for {folder}.")

    def _busy_reason(self, keys: set[str]) -> str | None:
        """Why deleting now would break something running, or None."""
        window = self.window()
        manager = getattr(window, "download_manager", None)
        if manager is not None and keys & {"downloads", "models", "cache"}:
            if any(job.state in ACTIVE_STATES for job in manager.jobs()):
                return "Pause or cancel the running downloads first."
        embeddings = getattr(window, "embeddings", None)
        runner = getattr(embeddings, "runner", None)
        if runner is not None and runner.busy and keys & {"documents", "models"}:
            return "Wait for the Embeddings page's task to finish, or cancel it, first."
        return None

    def _stop_engines(self) -> None:
        """Engines hold model files open: ask the window's supervisor (when it has one) to stop them."""
        supervisor = getattr(self.window(), "supervisor", None)
        stop_all: Callable[[], None] | None = getattr(supervisor, "stop_all", None)
        if stop_all is not None:
            stop_all()

    def delete(self, loc: DataLocation) -> WipeReport | None:
        targets = data_wipe.existing(loc.targets)
        if not targets:
            self.message.emit(INFO, f"There is nothing to delete in {loc.label.lower()}.")
            return None
        if reason := self._busy_reason({loc.key}):
            self.message.emit(WARNING, reason)
            return None
        if not self.prompts.confirm_delete(self, loc.label, targets, self.sizes.get(loc.key)):
            return None
        if loc.key == "models":
            self._stop_engines()
        self.releasing.emit({loc.key})
        report = data_wipe.delete_location(loc)
        if loc.key in ("models", "settings"):
            self.services.paths.ensure()
        if loc.key == "settings":
            self.services.settings.settings = Settings()  # what is on screen must not be saved back
        self.deleted.emit({loc.key})
        self._report(f"{loc.label}: {report.summary()}", report)
        self.refresh()
        return report

    def delete_all(self) -> WipeReport | None:
        if reason := self._busy_reason({loc.key for loc in self.locations}):
            self.message.emit(WARNING, reason)
            return None
        listed = "\n".join(f"• {loc.label}" for loc in self.locations)
        detail = (f"This deletes everything Hearth keeps on this computer:\n{listed}\n"
                  "• the Hugging Face token, the API server's key and remote engines' keys in the system keyring\n\n"
                  "It cannot be undone.")
        if not self.prompts.confirm_delete_all(self, detail):
            return None
        self._stop_engines()
        keys = {loc.key for loc in self.locations}
        self.releasing.emit(keys)
        report = data_wipe.delete_all_data(self.services.paths, self.services.settings)
        self.deleted.emit(keys)
        self._report(f"All Hearth data deleted: {report.summary()}", report)
        self.wiped.emit(report)
        self.refresh()
        return report

    def _report(self, text: str, report: WipeReport) -> None:
        if report.failed:
            first, why = report.failed[0]
            self.message.emit(ERROR, f"{text} First failure: {first}: {why}")
        else:
            self.message.emit(INFO, text)

    def shutdown(self) -> None:
        self.background.shutdown()
