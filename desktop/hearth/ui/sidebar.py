"""The navigation sidebar: the app's name on top and one keyboard-navigable row per page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from hearth import APP_NAME, __version__
from hearth.ui import icons
from hearth.ui.common_widgets import label


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    icon: str


class Sidebar(QFrame):
    """Emits :attr:`page_selected` with the page key when the user picks a row."""

    page_selected = Signal(str)

    def __init__(self, pages: Sequence[PageSpec], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Sidebar")
        self.setFixedWidth(176)
        self._pages = list(pages)
        self._logo = QLabel(self)
        brand = label(APP_NAME, parent=self)
        brand.setObjectName("Brand")
        top = QHBoxLayout()
        top.setContentsMargins(8, 4, 8, 12)
        top.setSpacing(8)
        top.addWidget(self._logo)
        top.addWidget(brand, 1)
        self.list = QListWidget(self)
        self.list.setObjectName("SidebarList")
        self.list.setAccessibleName("Pages")
        self.list.setIconSize(QSize(20, 20))
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        for number, page in enumerate(self._pages, start=1):
            item = QListWidgetItem(page.title, self.list)
            item.setData(Qt.ItemDataRole.UserRole, page.key)
            item.setToolTip(f"{page.title} (Ctrl+{number})")
            item.setSizeHint(QSize(0, 38))
        self.list.currentRowChanged.connect(self._row_changed)
        footer = label(f"Version {__version__}", "muted", parent=self)
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 18, 12, 14)
        column.setSpacing(4)
        column.addLayout(top)
        column.addWidget(self.list, 1)
        column.addWidget(footer)
        self._update_icons()

    def keys(self) -> list[str]:
        return [page.key for page in self._pages]

    def current_key(self) -> str | None:
        row = self.list.currentRow()
        return self._pages[row].key if 0 <= row < len(self._pages) else None

    def select(self, key: str) -> None:
        self.list.setCurrentRow(self.keys().index(key))

    def _row_changed(self, row: int) -> None:
        if 0 <= row < len(self._pages):
            self.page_selected.emit(self._pages[row].key)

    def _update_icons(self) -> None:
        self._logo.setPixmap(icons.app_icon().pixmap(28, 28))
        for row, page in enumerate(self._pages):
            self.list.item(row).setIcon(icons.icon(page.icon))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._update_icons()
        super().changeEvent(event)
