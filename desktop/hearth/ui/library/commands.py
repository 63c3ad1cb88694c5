"""What the Library page's buttons do: import, add and manage folders, reveal, remove, refresh.

Every slow step runs as a :class:`~hearth.ui.task_runner.Task`; results and
errors come back as messages for the window's message bar, never as crashes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from hearth.core.errors import HearthError
from hearth.core.model_entry import ModelEntry
from hearth.core.units import human_bytes
from hearth.ui import icons
from hearth.ui.library.folders_dialog import FoldersDialog
from hearth.ui.library.jobs import BatchOutcome, import_job, remove_job, scan_job, split_droppable
from hearth.ui.task_runner import Task

if TYPE_CHECKING:
    from hearth.ui.library.page import LibraryPage

log = logging.getLogger(__name__)


def _names(paths: list[Path], limit: int = 3) -> str:
    shown = ", ".join(p.name for p in paths[:limit])
    return shown + (f" and {len(paths) - limit} more" if len(paths) > limit else "")


class LibraryCommands(QObject):
    """The page's QActions and their handlers."""

    def __init__(self, page: LibraryPage) -> None:
        super().__init__(page)
        self.page = page
        self.import_models = self._action("import", "Import…", "Copy .gguf files into your library (Ctrl+O)",
                                          self.prompt_import)
        self.add_folder = self._action("folder-add", "Add folder…",
                                       "Also list the models in a folder you choose", self.prompt_add_folder)
        self.manage_folders = self._action("folders", "Folders…", "See and change the folders Hearth scans",
                                           self.show_folders)
        self.reveal = self._action("reveal", "Reveal", "Show the selected model's folder in your file manager",
                                   self.reveal_selected)
        self.remove = self._action("remove", "Remove", "Delete the selected models' files from disk (Delete)",
                                   self.remove_selected)
        self.refresh = self._action("refresh", "Refresh", "Scan the model folders again (F5)",
                                    self.refresh_library)
        self.folders_dialog: FoldersDialog | None = None

    def _action(self, icon: str, text: str, tip: str, slot: Callable[[], object]) -> QAction:
        action = QAction(icons.icon(icon), text, self)
        action.setIconText(text)  # keep the "…" that Qt would strip from button labels
        action.setToolTip(tip)
        action.setProperty("icon_name", icon)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def update_icons(self) -> None:
        for action in (self.import_models, self.add_folder, self.manage_folders, self.reveal, self.remove,
                       self.refresh):
            action.setIcon(icons.icon(str(action.property("icon_name"))))

    def update_enabled(self) -> None:
        selected = bool(self.page.selected_entries())
        self.reveal.setEnabled(selected)
        self.remove.setEnabled(selected)

    # ---- scanning ------------------------------------------------------------------------
    def refresh_library(self) -> bool:
        """Rescan every folder in the background; False if a scan is already waiting."""
        return self.page.runner.submit(Task(
            "Scanning model folders", scan_job(self.page.library), key="scan",
            on_finished=lambda entries: self.page.set_entries(entries),
            on_failed=self.page.error,
            on_cancelled=lambda: self.page.info("Scan cancelled; the list shows what was known before."),
        ))

    # ---- importing -----------------------------------------------------------------------
    def prompt_import(self) -> None:
        paths = self.page.dialogs.choose_model_files(self.page.window())
        if paths:
            self.import_paths(paths)

    def import_paths(self, paths: list[Path]) -> None:
        models, folders, rejected = split_droppable(paths)
        if rejected:
            self.page.error(f"Only .gguf model files can be imported; {_names(rejected)} "
                            f"{'was' if len(rejected) == 1 else 'were'} not.")
        for folder in folders:
            self.add_folder_path(folder)
        if not models:
            return
        title = f"Importing {models[0].name}" if len(models) == 1 else f"Importing {len(models)} models"
        self.page.runner.submit(Task(
            title, import_job(self.page.library, models), unit="bytes",
            on_finished=self._imported, on_failed=self.page.error,
            on_cancelled=self._import_cancelled,
        ))

    def _imported(self, outcome: BatchOutcome) -> None:
        last = outcome.done[-1].id if outcome.done else None
        self.page.set_entries(self.page.library.entries(), select_id=last)
        done = f"Imported {_entry_names(outcome.done)}." if outcome.done else ""
        if outcome.errors:
            self.page.error(" ".join([done, *outcome.errors]).strip())
        elif done:
            self.page.success(done)

    def _import_cancelled(self) -> None:
        self.page.set_entries(self.page.library.entries())
        self.page.info("Import cancelled; the partial copy was removed.")

    # ---- folders -------------------------------------------------------------------------
    def prompt_add_folder(self) -> None:
        folder = self.page.dialogs.choose_folder(self.page.window())
        if folder is not None:
            self.add_folder_path(folder)

    def add_folder_path(self, folder: Path) -> bool:
        try:
            added = self.page.library.add_folder(folder)
        except HearthError as exc:
            self.page.error(exc)
            return False
        self.page.info(f"Hearth now scans {added} for models.")
        self.refresh_library()
        return True

    def remove_folder_path(self, folder: Path) -> bool:
        try:
            removed = self.page.library.remove_folder(folder)
        except HearthError as exc:
            self.page.error(exc)
            return False
        self.page.set_entries(self.page.library.entries())
        self.page.info(f"Hearth no longer scans {removed}. No file was deleted.")
        return True

    def show_folders(self) -> None:
        if self.folders_dialog is None:
            self.folders_dialog = FoldersDialog(self, self.page.window())
        self.folders_dialog.reload()
        self.folders_dialog.open()

    # ---- per-model actions ---------------------------------------------------------------
    def reveal_selected(self) -> None:
        entry = self.page.current_entry()
        if entry is None:
            return
        if not self.page.dialogs.open_folder(entry.path.parent):
            self.page.error(f"Could not open a file manager for {entry.path.parent}.")

    def remove_selected(self) -> None:
        entries = self.page.selected_entries()
        if not entries or not self.page.dialogs.confirm_remove(self.page.window(), entries):
            return
        title = f"Deleting {entries[0].name}" if len(entries) == 1 else f"Deleting {len(entries)} models"
        self.page.runner.submit(Task(
            title, remove_job(self.page.library, [e.id for e in entries]),
            on_finished=self._removed, on_failed=self.page.error,
            on_cancelled=lambda: self.page.set_entries(self.page.library.entries()),
        ))

    def _removed(self, outcome: BatchOutcome) -> None:
        self.page.set_entries(self.page.library.entries())
        freed = human_bytes(sum(e.size_bytes for e in outcome.done))
        done = f"Deleted {_entry_names(outcome.done)} ({freed} freed)." if outcome.done else ""
        if outcome.errors:
            self.page.error(" ".join([done, *outcome.errors]).strip())
        elif done:
            self.page.success(done)


def _entry_names(entries: list[ModelEntry]) -> str:
    return ", ".join(e.name for e in entries[:3]) + (f" and {len(entries) - 3} more" if len(entries) > 3 else "")
