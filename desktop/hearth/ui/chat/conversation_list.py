"""The left column of the Chat page: search, New chat, the conversations, and their actions."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QListView, QMenu, QPushButton, QToolButton, QVBoxLayout, QWidget

from hearth.core.chats import ChatStore
from hearth.ui.chat.conversation_model import ConversationModel


class ConversationList(QWidget):
    """``selected(id or None)``; ``rename_requested``/``delete_requested``/``export_requested(id)``."""

    selected = Signal(object)
    new_requested = Signal()
    rename_requested = Signal(str)
    delete_requested = Signal(str)
    export_requested = Signal(str)
    import_requested = Signal()

    def __init__(self, store: ChatStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ConversationModel(store, self)
        self._quiet = False  # while reloading: one ``selected`` at the end, not one per step
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search chats")
        self.search.setClearButtonEnabled(True)
        self.new_button = QPushButton("New chat", self)
        self.import_button = QToolButton(self)
        self.import_button.setText("Import…")
        self.import_button.setProperty("role", "action")
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.setAccessibleName("Conversations")
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setUniformItemSizes(True)
        self.view.setSpacing(2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button, 1)
        buttons.addWidget(self.import_button)
        self.item_buttons: dict[str, QToolButton] = {}
        item_row = QHBoxLayout()
        for key, text, signal in (("rename", "Rename", self.rename_requested),
                                  ("export", "Export", self.export_requested),
                                  ("delete", "Delete", self.delete_requested)):
            button = QToolButton(self)
            button.setText(text)
            button.setProperty("role", "flat")
            button.setToolTip(f"{text} the selected chat")
            button.clicked.connect(lambda _checked=False, s=signal: self._for_current(s))
            item_row.addWidget(button)
            self.item_buttons[key] = button
        item_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 6, 12)
        layout.addLayout(buttons)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        layout.addLayout(item_row)
        self.setMinimumWidth(170)
        self.search.textChanged.connect(self._search_changed)
        self.new_button.clicked.connect(self.new_requested.emit)
        self.import_button.clicked.connect(self.import_requested.emit)
        self.view.selectionModel().currentChanged.connect(lambda current, _previous: self._current_changed())
        self.view.customContextMenuRequested.connect(self._menu)
        self.model.modelReset.connect(self._current_changed)

    def current_id(self) -> str | None:
        index = self.view.currentIndex()
        return self.model.conversation(index.row()).id if index.isValid() else None

    def select(self, conversation_id: str) -> bool:
        row = self.model.row_of(conversation_id)
        if row < 0:
            return False
        self.view.selectionModel().setCurrentIndex(
            self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        return True

    def reload(self, keep: str | None = None) -> None:
        """Re-read the store, keeping ``keep`` (or the current conversation) selected when it is listed."""
        keep = keep or self.current_id()
        self._quiet = True
        try:
            self.model.reload()
            found = keep is not None and self.select(keep)
        finally:
            self._quiet = False
        self.selected.emit(keep if found else None)

    def _search_changed(self, text: str) -> None:
        keep = self.current_id()
        self._quiet = True
        try:
            self.model.set_search(text)
            found = keep is not None and self.select(keep)
        finally:
            self._quiet = False
        self.selected.emit(keep if found else None)

    def _for_current(self, signal: Signal) -> None:
        current = self.current_id()
        if current is not None:
            signal.emit(current)  # type: ignore[attr-defined]

    def _current_changed(self) -> None:
        for button in self.item_buttons.values():
            button.setEnabled(self.current_id() is not None)
        if not self._quiet:
            self.selected.emit(self.current_id())

    def _menu(self, point: QPoint) -> None:
        index = self.view.indexAt(point)
        if not index.isValid():
            return
        conv_id = self.model.conversation(index.row()).id
        menu = QMenu(self)
        for text, signal in (("Rename…", self.rename_requested), ("Export…", self.export_requested),
                             ("Delete…", self.delete_requested)):
            action = QAction(text, menu)
            action.triggered.connect(lambda _checked=False, s=signal: s.emit(conv_id))
            menu.addAction(action)
        menu.exec(self.view.viewport().mapToGlobal(point))
