"""New, rename, delete, export and import of conversations, asking through the injectable Dialogs."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from hearth.core.chat_transfer import import_json, write_export
from hearth.core.chats import ChatStore
from hearth.core.errors import HearthError
from hearth.ui.chat.conversation_list import ConversationList
from hearth.ui.dialogs import Dialogs
from hearth.ui.message_bar import ERROR, SUCCESS

if TYPE_CHECKING:
    from hearth.ui.chat.page import ChatPage

EXPORT_FILTERS = "Markdown (*.md);;JSON (*.json)"
IMPORT_FILTERS = "Hearth chat export (*.json);;All files (*)"


def file_stem(title: str) -> str:
    """A file name from a chat title: letters, digits, dashes."""
    return re.sub(r"[^\w-]+", "-", title).strip("-")[:60] or "chat"


class ConversationActions(QObject):
    message = Signal(str, str)

    def __init__(self, page: ChatPage, store: ChatStore, conversations: ConversationList, dialogs: Dialogs) -> None:
        super().__init__(page)
        self.page = page
        self.store = store
        self.conversations = conversations
        self.dialogs = dialogs
        conversations.new_requested.connect(self.new)
        conversations.rename_requested.connect(self.rename)
        conversations.delete_requested.connect(self.delete)
        conversations.export_requested.connect(self.export)
        conversations.import_requested.connect(self.import_file)

    def new(self) -> None:
        """An empty page; the conversation is created by its first message."""
        self.conversations.view.clearSelection()
        self.conversations.view.setCurrentIndex(self.conversations.model.index(-1))
        self.page.turns.open(None)
        self.page.params.show_values("", {})
        self.page.composer.edit.setFocus()

    def rename(self, conversation_id: str) -> None:
        try:
            current = self.store.conversation(conversation_id).title
            title = self.dialogs.ask_text(self.page, "Rename chat", "Title:", current)
            if title is None or not title.strip() or title == current:
                return
            self.store.rename(conversation_id, title)
        except HearthError as exc:
            self.message.emit(ERROR, str(exc))
            return
        self.conversations.reload(keep=self.conversations.current_id())

    def delete(self, conversation_id: str) -> None:
        try:
            title = self.store.conversation(conversation_id).title
            if not self.dialogs.confirm_delete_chat(self.page, title):
                return
            if self.page.turns.conversation_id == conversation_id:
                self.page.turns.abandon()
                self.page.turns.open(None)
            self.store.delete_conversation(conversation_id)
        except HearthError as exc:
            self.message.emit(ERROR, str(exc))
            return
        self.conversations.reload()
        self.message.emit(SUCCESS, f"Deleted the chat “{title}”.")

    def export(self, conversation_id: str | None = None) -> None:
        conversation_id = conversation_id or self.page.turns.conversation_id
        if conversation_id is None:
            self.message.emit(ERROR, "Choose a chat to export first.")
            return
        try:
            title = self.store.conversation(conversation_id).title
            path = self.dialogs.choose_save_file(self.page, "Export chat", f"{file_stem(title)}.md",
                                                 EXPORT_FILTERS)
            if path is None:
                return
            if path.suffix.lower() not in (".md", ".json"):
                path = path.with_suffix(".md")
            write_export(self.store, conversation_id, path)
        except HearthError as exc:
            self.message.emit(ERROR, str(exc))
            return
        self.message.emit(SUCCESS, f"Exported “{title}” to {path}.")

    def import_file(self) -> None:
        path = self.dialogs.choose_open_file(self.page, "Import a chat", IMPORT_FILTERS)
        if path is None:
            return
        try:
            conv = import_json(self.store, path)
        except HearthError as exc:
            self.message.emit(ERROR, str(exc))
            return
        self.conversations.reload(keep=conv.id)
        self.message.emit(SUCCESS, f"Imported “{conv.title}”.")
