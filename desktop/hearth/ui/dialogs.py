"""The questions the GUI asks through modal dialogs and the desktop, in one replaceable object.

Pages call ``self.dialogs.confirm_remove(...)`` and friends instead of the Qt
dialogs directly, so tests hand in a :class:`Dialogs` with canned answers.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from hearth.core.badges import Badge
from hearth.core.model_entry import ModelEntry
from hearth.core.units import human_bytes
from hearth.ui.badges.texts import risky_load_text
from hearth.ui.remote.add_dialog import AddRemoteDialog, RemoteForm

log = logging.getLogger(__name__)

MAX_LISTED_FILES = 12


def removal_text(entries: Sequence[ModelEntry]) -> tuple[str, str]:
    """The question and the list of files a removal deletes (for the confirmation box)."""
    files = [part for entry in entries for part in entry.parts]
    total = sum(entry.size_bytes for entry in entries)
    if len(entries) == 1:
        question = f"Delete “{entries[0].name}” from disk?"
    else:
        question = f"Delete {len(entries)} models from disk?"
    listed = [f"• {path}" for path in files[:MAX_LISTED_FILES]]
    if len(files) > MAX_LISTED_FILES:
        listed.append(f"… and {len(files) - MAX_LISTED_FILES} more")
    noun = "file" if len(files) == 1 else f"{len(files)} files"
    detail = (f"This deletes the {noun} below ({human_bytes(total)}) from your disk. "
              "It cannot be undone.\n\n" + "\n".join(listed))
    return question, detail


def confirm(parent: QWidget | None, *, title: str, question: str, detail: str, action: str,
            icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
            role: QMessageBox.ButtonRole = QMessageBox.ButtonRole.DestructiveRole) -> bool:
    """Ask before doing something that matters; Cancel is the default (Enter) and the escape answer."""
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(question)
    box.setInformativeText(detail)
    chosen = box.addButton(action, role)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is chosen


class Dialogs:
    """Real dialogs; every method may be replaced by a test double."""

    def confirm_remove(self, parent: QWidget | None, entries: Sequence[ModelEntry]) -> bool:
        question, detail = removal_text(entries)
        return confirm(parent, title="Delete model files", question=question, detail=detail, action="Delete files")

    def confirm_risky_load(self, parent: QWidget | None, name: str, dangers: Sequence[Badge]) -> bool:
        """Load a model with danger badges anyway? Shows the evidence; Cancel is the default."""
        question, detail = risky_load_text(name, dangers)
        return confirm(parent, title="Load a risky model?", question=question, detail=detail, action="Load anyway",
                       icon=QMessageBox.Icon.Critical)

    def choose_model_files(self, parent: QWidget | None) -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(
            parent, "Import models", str(Path.home()), "GGUF models (*.gguf);;All files (*)"
        )
        return [Path(name) for name in names]

    def choose_folder(self, parent: QWidget | None, title: str = "Add a folder of models") -> Path | None:
        name = QFileDialog.getExistingDirectory(parent, title, str(Path.home()))
        return Path(name) if name else None

    def choose_files(self, parent: QWidget | None, title: str = "Add files") -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(parent, title, str(Path.home()), "All files (*)")
        return [Path(name) for name in names]

    def choose_save_file(self, parent: QWidget | None, title: str, suggested: str,
                         file_filter: str = "All files (*)") -> Path | None:
        name, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / suggested), file_filter)
        return Path(name) if name else None

    def choose_open_file(self, parent: QWidget | None, title: str, filters: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(parent, title, str(Path.home()), filters)
        return Path(name) if name else None

    def ask_text(self, parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
        """One line of text from the user, or None when they cancel."""
        value, ok = QInputDialog.getText(parent, title, label, text=text)
        return value if ok else None

    def confirm_delete_chat(self, parent: QWidget | None, title: str) -> bool:
        answer = QMessageBox.question(
            parent, "Delete chat", f"Delete the chat “{title}” and all its messages? This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def add_remote_engine(self, parent: QWidget | None, taken: set[str]) -> RemoteForm | None:
        """The Add dialog of Settings → Remote engines; None when cancelled."""
        dialog = AddRemoteDialog(taken, parent)
        form = dialog.form() if dialog.exec() else None
        dialog.deleteLater()
        return form

    def ask_secret(self, parent: QWidget | None, title: str, label: str) -> str | None:
        """A key typed with hidden echo; "" means "none", None means cancelled."""
        value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Password)
        return value.strip() if ok else None

    def confirm_remove_remote(self, parent: QWidget | None, name: str) -> bool:
        answer = QMessageBox.question(
            parent, "Remove remote engine", f"Remove the remote engine “{name}” and forget its key? "
            "The server itself is not touched.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def confirm_lan_access(self, parent: QWidget | None) -> bool:
        """Open the local API server to the network? Cancel is the default."""
        return confirm(
            parent, title="Let other devices use Hearth?",
            question="Let every device on your network use the models loaded in Hearth?",
            detail="Phones, computers and anything else on this network will be able to reach the API server. "
                   "With “Require an API key” on, only those that have the key can use it; with it off, anyone "
                   "can. Do this only on a network you trust, never on public Wi-Fi.",
            action="Allow network access", role=QMessageBox.ButtonRole.AcceptRole)

    def open_folder(self, path: Path) -> bool:
        """Show ``path`` in the system's file manager; False when nothing could open it."""
        ok = QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        if not ok:
            log.warning("no application opened %s", path)
        return bool(ok)
