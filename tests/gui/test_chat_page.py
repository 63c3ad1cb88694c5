"""The Chat page against a real engine on a tiny model: send, stream, stop, regenerate, edit, crash, export.

One engine is started for the module (the supervisor outlives each test's page,
as it outlives pages in the app); only the crash test starts a second one.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from hearth.core.chats import ChatStore
from hearth.core.paths import Paths
from hearth.core.services import Services
from hearth.engine.supervisor import EngineState, EngineSupervisor
from hearth.ui.chat.page import ChatPage
from tests.helpers.chat_page import WAIT_MS, WORDS_ONLY, ChatDialogs, load_model, make_page
from tests.helpers.gguf_factory import write_tiny_gguf
from tests.helpers.malicious_templates import malicious_template

pytestmark = pytest.mark.llama


@pytest.fixture(scope="module")
def engine_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("chat-engine")


@pytest.fixture(scope="module")
def tiny_model(engine_home: Path) -> Path:
    return write_tiny_gguf(engine_home / "models" / "tiny-chat.gguf", name="Tiny Chat", context_length=2048)


@pytest.fixture(scope="module")
def supervisor(engine_home: Path) -> Iterator[EngineSupervisor]:
    with EngineSupervisor(Paths.resolve(engine_home / "home").ensure(), ready_timeout=120) as sup:
        yield sup


@pytest.fixture
def chat_dialogs() -> ChatDialogs:
    return ChatDialogs()


@pytest.fixture
def page(qtbot: Any, services: Services, supervisor: EngineSupervisor,
         chat_dialogs: ChatDialogs) -> Iterator[ChatPage]:
    made = make_page(qtbot, services, supervisor, chat_dialogs)
    yield made
    made.shutdown()


@pytest.fixture
def loaded(qtbot: Any, page: ChatPage, tiny_model: Path) -> ChatPage:
    load_model(qtbot, page, tiny_model)
    page.turns.extra_params = {"logit_bias": WORDS_ONLY}
    page.params.fields["seed"].setValue(7)
    return page


def send(qtbot: Any, page: ChatPage, text: str) -> None:
    """Type ``text`` and press Enter, then wait for the reply's stats line."""
    page.composer.edit.setPlainText(text)
    qtbot.keyClick(page.composer.edit, Qt.Key.Key_Return)
    wait_reply(qtbot, page)


def wait_reply(qtbot: Any, page: ChatPage) -> None:
    qtbot.waitUntil(lambda: not page.turns.busy, timeout=WAIT_MS)
    last = page.messages.widgets[-1]
    assert last.role == "assistant" and last.stats_text, "the reply's stats line is shown"


def stored(page: ChatPage) -> list[tuple[str, str, bool]]:
    assert page.conversation_id is not None
    return [(m.role, m.content, m.partial) for m in page.store.messages(page.conversation_id)]


def test_conversation_model_passes_the_model_tester(qtmodeltester: Any, services: Services) -> None:
    with ChatStore.open(services.paths) as store:
        for title, text in (("Cats", "whiskers and naps"), ("Dogs", "walks"), ("Birds", "the cat watches")):
            conv = store.create_conversation(title)
            store.add_message(conv.id, "user", text)
        from hearth.ui.chat.conversation_model import ConversationModel

        model = ConversationModel(store)
        qtmodeltester.check(model)
        assert [model.index(r).data() for r in range(model.rowCount())] == ["Birds", "Dogs", "Cats"]
        model.set_search("cat")
        qtmodeltester.check(model)
        assert sorted(model.index(r).data() for r in range(model.rowCount())) == ["Birds", "Cats"]


def test_send_streams_a_reply_that_is_saved_with_stats(qtbot: Any, loaded: ChatPage) -> None:
    page = loaded
    page.params.fields["max_tokens"].setValue(12)
    seen: list[str] = []
    send_text = "Hello there, tiny model"
    page.composer.edit.setPlainText(send_text)
    qtbot.keyClick(page.composer.edit, Qt.Key.Key_Return)
    assert page.turns.busy and page.composer.stop_button.isVisible()
    page.turns.generation.text.connect(seen.append)  # type: ignore[union-attr]
    wait_reply(qtbot, page)
    rows = stored(page)
    assert [r[0] for r in rows] == ["user", "assistant"] and rows[0][1] == send_text
    assert rows[1][1] and not rows[1][2]
    message = page.store.messages(page.conversation_id)[-1]  # type: ignore[arg-type]
    assert message.stats and message.stats["completion_tokens"] == 12 and message.stats["finish_reason"] == "length"
    assert page.messages.widgets[-1].text == rows[1][1] and "tokens/s" in page.messages.widgets[-1].stats_text
    assert seen and seen[-1] == rows[1][1] or not seen  # batched updates, each the whole text so far
    assert page.conversations.model.rowCount() == 1
    assert page.conversations.model.index(0).data() == send_text
    assert "/ 2,048 tokens" in page.context_bar.label.text()
    assert page.store.conversation(page.conversation_id).params["seed"] == 7  # type: ignore[arg-type]


def test_stop_keeps_the_partial_reply(qtbot: Any, loaded: ChatPage) -> None:
    page = loaded
    page.params.fields["max_tokens"].setValue(1500)
    page.composer.edit.setPlainText("Tell me a very long story")
    page.composer.send_button.click()
    qtbot.waitUntil(lambda: len(page.messages.widgets[-1].text) > 10, timeout=WAIT_MS)
    page.composer.stop_button.click()
    qtbot.waitUntil(lambda: not page.turns.busy, timeout=WAIT_MS)
    role, content, partial = stored(page)[-1]
    assert role == "assistant" and content and partial
    widget = page.messages.widgets[-1]
    assert widget.partial_label.isVisible() and "stopped" in widget.stats_text


def test_regenerate_replaces_the_last_reply(qtbot: Any, loaded: ChatPage) -> None:
    page = loaded
    page.params.fields["max_tokens"].setValue(8)
    send(qtbot, page, "First question")
    first_id = page.turns.history[-1].id
    page.params.fields["seed"].setValue(99)
    page.composer.regenerate_button.click()
    wait_reply(qtbot, page)
    messages = page.store.messages(page.conversation_id)  # type: ignore[arg-type]
    assert [m.role for m in messages] == ["user", "assistant"] and messages[-1].id != first_id
    assert len(page.messages.widgets) == 2


def test_edit_and_resend_replaces_the_rest(qtbot: Any, loaded: ChatPage) -> None:
    page = loaded
    page.params.fields["max_tokens"].setValue(6)
    send(qtbot, page, "one")
    send(qtbot, page, "two")
    assert len(stored(page)) == 4
    first_user = page.messages.widgets[0]
    first_user.edit_button.click()
    assert page.composer.edit.toPlainText() == "one" and page.composer.editing_label.isVisible()
    page.composer.edit.setPlainText("one, edited")
    page.composer.send_button.click()
    wait_reply(qtbot, page)
    rows = stored(page)
    assert [r[:2] for r in rows][:1] == [("user", "one, edited")] and [r[0] for r in rows] == ["user", "assistant"]
    assert not page.composer.editing_label.isVisible() and len(page.messages.widgets) == 2


def test_export_import_rename_delete_and_search(qtbot: Any, loaded: ChatPage, chat_dialogs: ChatDialogs,
                                                tmp_path: Path) -> None:
    page = loaded
    page.params.fields["max_tokens"].setValue(5)
    page.params.system_prompt.setPlainText("Answer briefly.")
    send(qtbot, page, "What is a zeppelin?")
    conv_id = page.conversation_id
    assert conv_id is not None
    chat_dialogs.save_path = tmp_path / "chat.md"
    page.conversations.item_buttons["export"].click()
    markdown = (tmp_path / "chat.md").read_text(encoding="utf-8")
    assert "What is a zeppelin?" in markdown and "Answer briefly." in markdown
    chat_dialogs.save_path = tmp_path / "chat.json"
    page.actions.export(conv_id)
    data = json.loads((tmp_path / "chat.json").read_text(encoding="utf-8"))
    assert data["format"] == "hearth.chat" and len(data["messages"]) == 2
    assert data["messages"][1]["stats"]["completion_tokens"] == 5

    chat_dialogs.open_path = tmp_path / "chat.json"
    page.conversations.import_button.click()
    assert page.conversations.model.rowCount() == 2 and page.conversation_id != conv_id
    assert [m.content for m in page.turns.history][0] == "What is a zeppelin?"

    chat_dialogs.text_answer = "Airships"
    page.conversations.item_buttons["rename"].click()
    assert page.store.conversation(page.conversation_id).title == "Airships"  # type: ignore[arg-type]
    assert "Airships" in [page.conversations.model.index(r).data() for r in range(2)]

    page.conversations.search.setText("zeppel")
    assert page.conversations.model.rowCount() == 2
    page.conversations.search.setText("nothing-like-this")
    assert page.conversations.model.rowCount() == 0 and page.conversation_id is None
    page.conversations.search.setText("airsh")  # titles match too
    assert page.conversations.model.rowCount() == 1
    page.conversations.search.clear()

    assert page.conversations.select(conv_id)
    chat_dialogs.delete_answer = False
    page.conversations.item_buttons["delete"].click()
    assert page.conversations.model.rowCount() == 2
    chat_dialogs.delete_answer = True
    page.conversations.item_buttons["delete"].click()
    assert page.conversations.model.rowCount() == 1 and len(chat_dialogs.delete_calls) == 2
    assert all(c.id != conv_id for c in page.store.conversations())


def test_a_malicious_template_is_refused_by_default(qtbot: Any, page: ChatPage, chat_dialogs: ChatDialogs,
                                                   tmp_path: Path, supervisor: EngineSupervisor) -> None:
    marker = tmp_path / "pwned"
    evil = write_tiny_gguf(tmp_path / "evil-chat.gguf", name="Evil Chat",
                           chat_template=malicious_template(marker, "builtins_open"))
    entry = page.services.library.add_paths([evil])
    page.models.refresh()
    assert page.model_bar.select(entry.id)
    running = supervisor.handle()
    page.model_bar.load_button.click()
    qtbot.waitUntil(lambda: bool(chat_dialogs.risky_calls), timeout=WAIT_MS)
    name, dangers = chat_dialogs.risky_calls[0]
    assert name == "Evil Chat" and dangers
    assert page.model_bar.load_button.isVisible() and "not loaded" in page.model_bar.status.text()
    assert supervisor.handle() is running and not page.models.bridge.loading
    assert not marker.exists()


def test_a_killed_engine_is_reported_and_loading_again_works(qtbot: Any, loaded: ChatPage,
                                                             supervisor: EngineSupervisor, tiny_model: Path) -> None:
    page = loaded
    handle = page.models.handle()
    assert handle is not None and handle.pid is not None
    os.kill(handle.pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: page.model_bar.problem.isVisible(), timeout=WAIT_MS)
    assert "SIGKILL" in page.model_bar.problem.label.text() or "stopped" in page.model_bar.problem.label.text()
    assert page.model_bar.problem.details.toPlainText()
    assert not page.composer.send_button.isEnabled() and page.model_bar.load_button.isEnabled()
    assert supervisor.state() is EngineState.FAILED
    load_model(qtbot, page, tiny_model)
    assert not page.model_bar.problem.isVisible() and page.composer.send_button.isEnabled()
    page.params.fields["max_tokens"].setValue(4)
    send(qtbot, page, "are you back?")
    assert stored(page)[-1][0] == "assistant"


def test_a_conversation_too_long_for_the_context_offers_to_leave_out_old_turns(qtbot: Any, loaded: ChatPage) -> None:
    page = loaded
    page.params.fields["max_tokens"].setValue(4)
    store = page.store
    conv = store.create_conversation("Long one")
    long_text = " ".join(f"word{n}" for n in range(700))
    for role in ("user", "assistant", "user", "assistant"):
        store.add_message(conv.id, role, long_text)
    store.add_message(conv.id, "user", "and now?")
    page.conversations.reload(keep=conv.id)
    assert page.conversation_id == conv.id
    page.composer.regenerate_button.click()  # the last message is the user's: this asks for the reply
    qtbot.waitUntil(lambda: not page.turns.busy, timeout=WAIT_MS)
    assert page.context_bar.overflow.isVisible(), "the overflow question is asked"
    assert [m.role for m in store.messages(conv.id)][-1] == "user", "nothing half-made is saved"
    while page.context_bar.overflow.isVisible() or page.turns.busy:
        if page.context_bar.overflow.isVisible():
            page.context_bar.drop_button.click()
        qtbot.waitUntil(lambda: not page.turns.busy, timeout=WAIT_MS)
    assert page.turns.dropped > 0 and "left out" in page.context_bar.dropped.text()
    assert store.messages(conv.id)[-1].role == "assistant" and len(store.messages(conv.id)) == 6
