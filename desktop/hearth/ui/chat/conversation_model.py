"""The chats store's conversations as a Qt list model, newest first, optionally narrowed by a text search."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from hearth.core.chats import ChatStore, Conversation

ID_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


class ConversationModel(QAbstractListModel):
    """Call :meth:`reload` after the store changes; :meth:`set_search` filters by message text."""

    def __init__(self, store: ChatStore, parent: Any = None) -> None:
        super().__init__(parent)
        self.store = store
        self._rows: list[Conversation] = []
        self._search = ""
        #: Conversation id -> the first matching snippet, while a search is active.
        self._snippets: dict[str, str] = {}
        self.reload()

    @property
    def search_text(self) -> str:
        return self._search

    def set_search(self, text: str) -> None:
        self._search = text.strip()
        self.reload()

    def reload(self) -> None:
        conversations = self.store.conversations()
        self._snippets = {}
        if self._search:
            for hit in reversed(self.store.search(self._search, limit=500)):  # newest hit wins
                self._snippets[hit.conversation_id] = hit.snippet
            words = self._search.lower()
            conversations = [c for c in conversations if c.id in self._snippets or words in c.title.lower()]
        self.beginResetModel()
        self._rows = conversations
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        conv = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return conv.title
        if role == Qt.ItemDataRole.ToolTipRole:
            snippet = self._snippets.get(conv.id)
            count = f"{conv.message_count} message{'s' if conv.message_count != 1 else ''}"
            return f"{conv.title}\n{count}" + (f"\n…{snippet}" if snippet else "")
        if role == ID_ROLE:
            return conv.id
        return None

    def conversation(self, row: int) -> Conversation:
        return self._rows[row]

    def row_of(self, conversation_id: str) -> int:
        return next((i for i, c in enumerate(self._rows) if c.id == conversation_id), -1)
