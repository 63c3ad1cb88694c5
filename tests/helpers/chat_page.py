"""Helpers for Chat page tests: dialogs with canned chat answers, a page over a shared engine supervisor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from hearth.core.services import Services
from hearth.engine.load_settings import LoadSettings
from hearth.engine.supervisor import EngineState, EngineSupervisor
from hearth.ui.chat.page import ChatPage
from tests.gui.conftest import FakeDialogs

WAIT_MS = 60_000
#: Bans end-of-text and the tiny vocabulary's byte tokens: long replies of whole words, streamed quickly.
WORDS_ONLY = {2: -100.0} | {token: -100.0 for token in range(3, 259)}


class ChatDialogs(FakeDialogs):
    """FakeDialogs plus the chat page's questions: save/open paths, a title, delete confirmation."""

    def __init__(self) -> None:
        super().__init__()
        self.save_path: Path | None = None
        self.open_path: Path | None = None
        self.text_answer: str | None = None
        self.delete_answer = True
        self.delete_calls: list[str] = []

    def choose_save_file(self, parent: QWidget | None, title: str, suggested: str,
                         file_filter: str = "All files (*)") -> Path | None:
        return self.save_path

    def choose_open_file(self, parent: QWidget | None, title: str, filters: str) -> Path | None:
        return self.open_path

    def ask_text(self, parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
        return self.text_answer

    def confirm_delete_chat(self, parent: QWidget | None, title: str) -> bool:
        self.delete_calls.append(title)
        return self.delete_answer


def make_page(qtbot: Any, services: Services, supervisor: EngineSupervisor, dialogs: ChatDialogs) -> ChatPage:
    page = ChatPage(services, supervisor, dialogs)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


def load_model(qtbot: Any, page: ChatPage, model: Path, *, threads: int = 1, context: int = 2048) -> None:
    """List ``model`` in the page's library and load it through the model bar (unless it already runs)."""
    entry = page.services.library.add_paths([model])
    page.models.load_settings.set(entry.id, LoadSettings(threads=threads, context_length=context))
    page.models.refresh()
    assert page.model_bar.select(entry.id)
    handle = page.models.handle()
    if handle is not None and handle.model_id == entry.id:
        return
    page.model_bar.load_button.click()
    qtbot.waitUntil(lambda: page.models.handle() is not None and not page.models.bridge.loading, timeout=WAIT_MS)
    assert page.models.bridge.supervisor.state() is EngineState.READY
