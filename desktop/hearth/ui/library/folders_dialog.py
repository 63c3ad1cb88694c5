"""The folders Hearth scans for models: see them, open them, add one, stop scanning one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hearth.ui import icons
from hearth.ui.common_widgets import label

if TYPE_CHECKING:
    from hearth.ui.library.commands import LibraryCommands


class FoldersDialog(QDialog):
    """Lists ``library.folders()``; the first (Hearth's own) cannot be removed."""

    def __init__(self, commands: LibraryCommands, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.commands = commands
        self.setWindowTitle("Model folders")
        self.setMinimumSize(560, 340)
        intro = label("Hearth lists every .gguf file in these folders and their subfolders. "
                      "Removing a folder here only stops the scanning; no file is deleted.",
                      "muted", wrap=True, parent=self)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Model folders")
        self.list.currentRowChanged.connect(self._update_buttons)
        self.add_button = QPushButton(icons.icon("folder-add"), "Add folder…", self)
        self.open_button = QPushButton(icons.icon("folder-open"), "Open", self)
        self.remove_button = QPushButton(icons.icon("remove"), "Stop scanning", self)
        self.add_button.clicked.connect(self._add)
        self.open_button.clicked.connect(self._open)
        self.remove_button.clicked.connect(self._remove)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        for button in close.buttons():
            button.setIcon(QIcon())  # the page's buttons carry Hearth's icons or none
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 16)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.reload()

    def folders(self) -> list[Path]:
        return [Path(self.list.item(row).data(Qt.ItemDataRole.UserRole)) for row in range(self.list.count())]

    def reload(self) -> None:
        self.list.clear()
        for number, folder in enumerate(self.commands.page.library.folders()):
            text = f"{folder}    (Hearth's own folder)" if number == 0 else str(folder)
            item = QListWidgetItem(icons.icon("folders"), text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, str(folder))
            if not folder.is_dir():
                item.setToolTip("This folder does not exist right now; it is skipped when scanning.")
        self.list.setCurrentRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.list.currentRow()
        self.open_button.setEnabled(row >= 0)
        self.remove_button.setEnabled(row > 0)

    def _selected(self) -> Path | None:
        item = self.list.currentItem()
        return Path(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _add(self) -> None:
        folder = self.commands.page.dialogs.choose_folder(self)
        if folder is not None and self.commands.add_folder_path(folder):
            self.reload()

    def _open(self) -> None:
        folder = self._selected()
        if folder is not None and not self.commands.page.dialogs.open_folder(folder):
            self.commands.page.error(f"Could not open a file manager for {folder}.")

    def _remove(self) -> None:
        folder = self._selected()
        if folder is not None and self.list.currentRow() > 0 and self.commands.remove_folder_path(folder):
            self.reload()
