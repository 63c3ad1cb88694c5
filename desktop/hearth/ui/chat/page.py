"""The Chat page: conversations (left), model bar, messages and composer (middle), prompt and sampling (right).

Every finished or stopped reply is saved in the chats store in its own
transaction (a stopped one marked partial). Generation runs on a worker thread
(:mod:`hearth.ui.chat.generation`); this page only ever touches widgets and the
store from the GUI thread.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QSplitter, QToolButton, QVBoxLayout, QWidget

from hearth.core.chats import ChatStore
from hearth.core.errors import HearthError
from hearth.core.services import Services
from hearth.engine.supervisor import EngineSupervisor
from hearth.engine.target import ChatTarget
from hearth.ui.chat.composer import Composer
from hearth.ui.chat.context_bar import ContextBar
from hearth.ui.chat.conversation_actions import ConversationActions
from hearth.ui.chat.conversation_list import ConversationList
from hearth.ui.chat.documents_picker import DocumentsPicker
from hearth.ui.chat.message_view import MessageView
from hearth.ui.chat.model_bar import ModelBar
from hearth.ui.chat.model_controller import ModelController
from hearth.ui.chat.params_panel import ParamsPanel
from hearth.ui.chat.turns import Turns
from hearth.ui.dialogs import Dialogs

log = logging.getLogger(__name__)


class ChatPage(QWidget):
    """``message(level, text)`` goes to the window's message bar."""

    message = Signal(str, str)

    def __init__(self, services: Services, supervisor: EngineSupervisor, dialogs: Dialogs,
                 parent: QWidget | None = None, *, store: ChatStore | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.dialogs = dialogs
        self.store = store or ChatStore.open(services.paths)
        self._owns_store = store is None
        self.conversations = ConversationList(self.store, self)
        self.model_bar = ModelBar(self)
        self.messages = MessageView(self)
        self.context_bar = ContextBar(self)
        self.composer = Composer(self)
        self.params = ParamsPanel(self)
        self.documents = DocumentsPicker(services.paths, self)
        self.params_toggle = QToolButton(self)
        self.params_toggle.setText("Prompt && sampling")
        self.params_toggle.setToolTip("Show this chat's system prompt and sampling settings")
        self.params_toggle.setCheckable(True)
        self.params.hide()  # shown on demand: it would make the window's narrowest width too wide
        self.params_toggle.setProperty("role", "action")
        self.params_toggle.toggled.connect(self.params.setVisible)
        self.models = ModelController(services, supervisor, dialogs, self.model_bar, self)
        self.actions = ConversationActions(self, self.store, self.conversations, dialogs)
        self.turns = Turns(self)

        top = QHBoxLayout()
        top.setContentsMargins(24, 12, 24, 0)
        top.addWidget(self.model_bar, 1)
        middle = QWidget(self)
        column = QVBoxLayout(middle)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addLayout(top)
        documents_row = QHBoxLayout()  # a row of its own: beside the model bar it would widen the narrowest window
        documents_row.setContentsMargins(24, 0, 24, 0)
        documents_row.addWidget(self.documents)
        documents_row.addStretch(1)
        column.addLayout(documents_row)
        column.addWidget(self.messages, 1)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 24, 0)
        bottom.addWidget(self.context_bar, 1)
        bottom.addWidget(self.params_toggle, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(bottom)
        column.addWidget(self.composer)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.conversations)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.params)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([240, 760, 260])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self.models.message.connect(self.message.emit)
        self.actions.message.connect(self.message.emit)
        self.turns.message.connect(self.message.emit)
        self.models.engine_changed.connect(self._engine_changed)
        self.conversations.selected.connect(self._conversation_selected)
        self.params.changed.connect(self._params_changed)
        self.documents.changed.connect(self._params_changed)
        self.messages.source_requested.connect(lambda path: self.dialogs.open_folder(Path(path)))
        if self.store.notice:
            self.message.emit("warning", self.store.notice)
        self.conversations.reload()

    # ---- state ---------------------------------------------------------------------------
    @property
    def conversation_id(self) -> str | None:
        return self.turns.conversation_id

    def conversation_params(self) -> dict[str, Any]:
        """What the conversation saves in its params: sampling settings and the attached documents."""
        return self.params.values() | self.documents.param()

    def handle(self) -> ChatTarget | None:
        """What replies come from: the loaded local model or the connected remote one (None: neither)."""
        return self.models.target()

    def update_controls(self) -> None:
        target = self.handle()
        self.composer.set_state(ready=target is not None, busy=self.turns.busy,
                                can_regenerate=self.turns.can_regenerate())
        self.context_bar.show_usage(self.turns.context_used(), target.n_ctx if target is not None else None,
                                    connected=target is not None)

    def _engine_changed(self, handle: ChatTarget | None) -> None:
        if handle is None:
            self.turns.engine_gone()
        self.update_controls()

    def _conversation_selected(self, conversation_id: str | None) -> None:
        if conversation_id == self.turns.conversation_id and conversation_id is not None:
            return
        self.turns.open(conversation_id)
        if conversation_id is None:
            self.params.show_values("", {})
            self.documents.show_value({})
        else:
            try:
                conv = self.store.conversation(conversation_id)
            except HearthError as exc:
                self.message.emit("error", str(exc))
                return
            self.params.show_values(conv.system_prompt, conv.params)
            self.documents.show_value(conv.params)

    def _params_changed(self) -> None:
        if self.turns.conversation_id is None:
            return
        try:
            self.store.update_conversation(self.turns.conversation_id, system_prompt=self.params.system_prompt
                                           .toPlainText(), params=self.conversation_params())
        except HearthError as exc:
            self.message.emit("error", str(exc))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.models.refresh()  # the library may have changed while another page was shown
        self.documents.refresh()  # and so may the document collections

    def shutdown(self) -> None:
        """Stop a streaming reply (it is saved as partial), a load in progress, and listening to the engine."""
        self.turns.abandon()
        self.models.shutdown()
        if self._owns_store:
            self.store.close()
