"""The back-and-forth of one conversation: send, stream a reply, stop, regenerate, edit-and-resend.

The reply being generated belongs to the conversation it started in: switching
conversations meanwhile stops it, and it is still saved where it began.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from hearth.core.chats import ChatMessage
from hearth.core.errors import HearthError
from hearth.engine.errors import ContextOverflowError, EngineCrashed
from hearth.ui.chat.documents_picker import retrieve
from hearth.ui.chat.generation import Generation, Reply
from hearth.ui.chat.message_widget import MessageWidget
from hearth.ui.chat.params_panel import sampling_params
from hearth.ui.chat.stats_text import context_used

if TYPE_CHECKING:
    from hearth.ui.chat.page import ChatPage

log = logging.getLogger(__name__)

TITLE_LENGTH = 48


def title_for(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= TITLE_LENGTH else line[: TITLE_LENGTH - 1].rstrip() + "…"


class Turns(QObject):
    """Owned by the page; ``message(level, text)`` reports problems."""

    message = Signal(str, str)
    reply_saved = Signal(object)  # ChatMessage

    def __init__(self, page: ChatPage) -> None:
        super().__init__(page)
        self.page = page
        self.store = page.store
        self.conversation_id: str | None = None
        self.history: list[ChatMessage] = []
        self.dropped = 0  # the oldest messages left out of requests after the context overflowed
        self.editing: int | None = None
        self.generation: Generation | None = None
        self._gen_conversation: str | None = None
        self._gen_widget: MessageWidget | None = None
        self._abandoned = False
        self._model_id: str | None = None
        #: Request settings the panel does not show (e.g. ``logit_bias``), added to every request.
        self.extra_params: dict[str, Any] = {}
        composer = page.composer
        composer.send.connect(self.send)
        composer.stop.connect(self.stop)
        composer.regenerate.connect(self.regenerate)
        composer.cancel_edit.connect(self.cancel_edit)
        page.messages.edit_requested.connect(self.edit)
        page.context_bar.drop_oldest.connect(self.drop_oldest)

    @property
    def busy(self) -> bool:
        return self.generation is not None

    def can_regenerate(self) -> bool:
        return bool(self.history) and self.history[-1].role in ("assistant", "user")

    def context_used(self) -> int | None:
        for message in reversed(self.history):
            if message.role == "assistant":
                return context_used(message.stats)
        return None

    # ---- conversations -------------------------------------------------------------------
    def open(self, conversation_id: str | None) -> None:
        self.stop()
        self.cancel_edit()
        self.conversation_id = conversation_id
        self.dropped = 0
        self.page.context_bar.show_dropped(0)
        self.page.context_bar.overflow.hide()
        try:
            self.history = self.store.messages(conversation_id) if conversation_id else []
        except HearthError as exc:
            self.history = []
            self.message.emit("error", str(exc))
        self.page.messages.model_names = {e.id: e.name for e in self.page.services.library.entries()}
        self.page.messages.set_messages(self.history)
        self.page.update_controls()

    # ---- user actions --------------------------------------------------------------------
    def send(self, text: str) -> None:
        if self.busy:
            return
        try:
            if self.editing is not None:
                self._truncate_from(self.editing)
                self.cancel_edit()
            if self.conversation_id is None:
                conv = self.store.create_conversation(
                    title_for(text), system_prompt=self.page.params.system_prompt.toPlainText(),
                    params=self.page.conversation_params())
                self.conversation_id = conv.id
            saved = self.store.add_message(self.conversation_id, "user", text)
        except HearthError as exc:
            self.message.emit("error", str(exc))
            return
        self.history.append(saved)
        self.page.messages.add("user", text, message_id=saved.id)
        self.page.conversations.reload(keep=self.conversation_id)
        self.generate()

    def stop(self) -> None:
        if self.generation is not None:
            self.generation.stop()

    def regenerate(self) -> None:
        if self.busy or not self.can_regenerate():
            return
        if self.history[-1].role == "assistant":
            try:
                self.store.delete_message(self.history[-1].id)
            except HearthError as exc:
                self.message.emit("error", str(exc))
                return
            self.history.pop()
            self.page.messages.remove_from(len(self.history))
        self.generate()

    def edit(self, message_id: int) -> None:
        message = next((m for m in self.history if m.id == message_id), None)
        if message is None or self.busy:
            return
        self.editing = message_id
        self.page.composer.set_editing(True, message.content)

    def cancel_edit(self) -> None:
        if self.editing is not None:
            self.editing = None
            self.page.composer.edit.clear()
        self.page.composer.set_editing(False)

    def drop_oldest(self) -> None:
        """Leave out about half of the turns still sent, then try the reply again."""
        sent = len(self.history) - self.dropped
        if sent <= 1:
            self.message.emit("warning", "Even the last message alone does not fit: raise the context length.")
            return
        self.dropped += max(1, min(sent - 1, sent // 2))
        self.page.context_bar.show_dropped(self.dropped)
        if self.history and self.history[-1].role == "user":
            self.generate()

    def _truncate_from(self, message_id: int) -> None:
        index = next(i for i, m in enumerate(self.history) if m.id == message_id)
        for message in self.history[index:]:
            self.store.delete_message(message.id)
        del self.history[index:]
        self.page.messages.remove_from(index)

    # ---- generating ----------------------------------------------------------------------
    def request_messages(self) -> list[dict[str, str]]:
        system = self.page.params.system_prompt.toPlainText().strip()
        messages = [{"role": "system", "content": system}] if system else []
        return messages + [{"role": m.role, "content": m.content} for m in self.history[self.dropped:]
                           if m.role in ("user", "assistant")]

    def generate(self) -> None:
        handle = self.page.handle()
        if handle is None or self.conversation_id is None:
            self.message.emit("warning", "Load a model to get a reply.")
            self.page.update_controls()
            return
        self.page.context_bar.overflow.hide()
        widget = self.page.messages.add("assistant", "", sender=handle.model_name)
        widget.set_streaming("Generating…")
        params = replace(sampling_params(self.page.params.values()), **self.extra_params)
        generation = Generation(handle.client, self.request_messages(), params, self,
                                retrieval=self._retrieval())
        generation.text.connect(widget.set_text)
        generation.ended.connect(self._ended)
        self.generation, self._gen_widget, self._gen_conversation = generation, widget, self.conversation_id
        self._model_id = handle.model_id
        self._abandoned = False
        generation.start()
        self.page.update_controls()

    def _retrieval(self) -> Any:
        """What fetches excerpts for the last user message from the attached collection (None: none attached)."""
        collection = self.page.documents.current()
        if collection is None or not self.history or self.history[-1].role != "user":
            return None
        return partial(retrieve, self.page.services.paths, collection, self.history[-1].content)

    def _ended(self, reply: Reply) -> None:
        generation, widget, conv_id = self.generation, self._gen_widget, self._gen_conversation
        self.generation = self._gen_widget = self._gen_conversation = None
        if generation is not None:
            generation.deleteLater()
        if self._abandoned or conv_id is None:
            return
        here = conv_id == self.conversation_id and widget is not None
        stats = reply.stats.to_dict() if reply.stats is not None else None
        if reply.documents is not None:
            stats = (stats or {}) | {"documents": reply.documents}
        if reply.documents_note and here:
            self.message.emit("info", reply.documents_note)
        if reply.text:
            try:
                saved = self.store.add_message(conv_id, "assistant", reply.text, partial=reply.partial,
                                               stats=stats, model_id=self._model_id)
            except HearthError as exc:
                self.message.emit("error", str(exc))
                saved = None
            if here and saved is not None and widget is not None:
                self.history.append(saved)
                widget.message_id = saved.id
                widget.set_text(reply.text)
                widget.set_done(reply.partial, stats)
            self.reply_saved.emit(saved)
        elif here and widget is not None:
            self.page.messages.remove_from(len(self.history))
        self._report(reply)
        self.page.conversations.reload(keep=self.conversation_id)
        self.page.update_controls()

    def _report(self, reply: Reply) -> None:
        error = reply.error
        if isinstance(error, ContextOverflowError):
            self.page.context_bar.show_overflow(
                "This conversation no longer fits in the model's context. Leave out the oldest turns "
                "(they stay saved here, the model just stops seeing them), or stop here and start a new chat.")
        elif isinstance(error, EngineCrashed):
            self.message.emit("error", f"The reply was cut short: {error}")
        elif error is not None:
            self.message.emit("error", f"The reply failed: {error}")

    def engine_gone(self) -> None:
        self.stop()

    def abandon(self) -> None:
        """The page is closing: save what the reply has so far as partial now, and stop it."""
        if self.generation is None or self._gen_conversation is None:
            return
        text = self.generation.current_text()
        self._abandoned = True
        self.generation.stop()
        if text:
            try:
                self.store.add_message(self._gen_conversation, "assistant", text, partial=True,
                                       model_id=self._model_id)
            except HearthError as exc:
                log.warning("could not save the partial reply: %s", exc)
