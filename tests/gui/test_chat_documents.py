"""Chat with documents: a collection attached to a conversation, its excerpts sent and cited under the reply."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from hearth.core.documents import DocumentStore, index_collection
from hearth.core.paths import Paths
from hearth.core.services import Services
from hearth.engine.supervisor import EngineSupervisor
from hearth.ui.chat.documents_picker import PARAM_KEY
from hearth.ui.chat.page import ChatPage
from tests.helpers.chat_page import WAIT_MS, WORDS_ONLY, ChatDialogs, load_model, make_page
from tests.helpers.embedders import HashingEmbedder
from tests.helpers.gguf_factory import write_tiny_gguf

pytestmark = pytest.mark.llama

FILES = {
    "garden.txt": "The tomatoes need water every morning in July.\nBasil grows best next to the tomatoes.\n",
    "soup.txt": "Fry an onion and two carrots in olive oil, add red lentils and simmer.\n",
    "bike.txt": "Oil the chain every two hundred kilometres and check the tyre pressure weekly.\n",
}


@pytest.fixture(scope="module")
def engine_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("chat-documents-engine")


@pytest.fixture(scope="module")
def tiny_model(engine_home: Path) -> Path:
    return write_tiny_gguf(engine_home / "models" / "tiny-chat.gguf", name="Tiny Chat", context_length=2048)


@pytest.fixture(scope="module")
def supervisor(engine_home: Path) -> Iterator[EngineSupervisor]:
    with EngineSupervisor(Paths.resolve(engine_home / "home").ensure(), ready_timeout=120) as sup:
        yield sup


@pytest.fixture
def collection(services: Services, tmp_path: Path) -> str:
    folder = tmp_path / "notes"
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    with DocumentStore.open(services.paths) as store:
        store.create("Household", [folder])
        index_collection(store, "Household", HashingEmbedder())
    return "Household"


def open_page(qtbot: Any, services: Services, supervisor: EngineSupervisor, dialogs: ChatDialogs,
              model: Path) -> ChatPage:
    page = make_page(qtbot, services, supervisor, dialogs)
    load_model(qtbot, page, model)
    page.turns.extra_params = {"logit_bias": WORDS_ONLY}
    page.params.fields["seed"].setValue(7)
    page.params.fields["max_tokens"].setValue(6)
    return page


def test_a_reply_cites_the_attached_collection_and_shows_what_was_sent(
        qtbot: Any, services: Services, supervisor: EngineSupervisor, tiny_model: Path, collection: str) -> None:
    dialogs = ChatDialogs()
    page = open_page(qtbot, services, supervisor, dialogs, tiny_model)
    try:
        combo = page.documents.combo
        assert combo.itemText(0) == "No documents" and combo.findData(collection) > 0
        combo.setCurrentIndex(combo.findData(collection))
        question = "When do the tomatoes need water?"
        page.composer.edit.setPlainText(question)
        qtbot.keyClick(page.composer.edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not page.turns.busy, timeout=WAIT_MS)
        reply = page.messages.widgets[-1]
        assert reply.role == "assistant" and reply.stats_text
        assert reply.sources is not None and reply.sources.isVisible()
        assert reply.sources.labels[0].startswith("[1] notes/garden.txt")
        assert "Sources" in reply.sources.list_label.text()
        sent = reply.sources.sent_text
        assert not sent.isVisible()
        reply.sources.sent_button.click()
        assert sent.isVisible() and "tomatoes need water every morning" in sent.toPlainText()
        assert "[1] notes/garden.txt" in sent.toPlainText()

        conv_id = page.conversation_id
        assert conv_id is not None
        assert page.store.conversation(conv_id).params[PARAM_KEY] == collection
        user, assistant = page.store.messages(conv_id)
        assert user.content == question, "the stored message is what the user typed"
        assert assistant.stats is not None and assistant.stats["documents"]["citations"][0]["number"] == 1
        # the excerpts really went to the engine: without them this prompt is under 100 tokens
        assert assistant.stats["prompt_tokens"] > 150

        reply.sources.list_label.linkActivated.emit("source:0")
        assert dialogs.opened and dialogs.opened[-1].name == "garden.txt"
    finally:
        page.shutdown()

    again = make_page(qtbot, services, supervisor, ChatDialogs())
    try:
        again.conversations.reload(keep=conv_id)
        assert again.conversation_id == conv_id
        assert again.documents.current() == collection, "the attachment is kept per conversation"
        reloaded = again.messages.widgets[-1]
        assert reloaded.sources is not None and reloaded.sources.labels[0].startswith("[1] notes/garden.txt")
        assert "tomatoes need water" in reloaded.sources.sent_text.toPlainText()
    finally:
        again.shutdown()


def test_without_documents_nothing_is_added(
        qtbot: Any, services: Services, supervisor: EngineSupervisor, tiny_model: Path, collection: str) -> None:
    page = open_page(qtbot, services, supervisor, ChatDialogs(), tiny_model)
    try:
        assert page.documents.current() is None
        page.composer.edit.setPlainText("When do the tomatoes need water?")
        qtbot.keyClick(page.composer.edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not page.turns.busy, timeout=WAIT_MS)
        reply = page.messages.widgets[-1]
        assert reply.role == "assistant" and reply.sources is None
        assert page.conversation_id is not None
        assert PARAM_KEY not in page.store.conversation(page.conversation_id).params
        stats = page.store.messages(page.conversation_id)[-1].stats
        assert stats is not None and "documents" not in stats
        assert stats["prompt_tokens"] < 100, "only the question and the chat template"
    finally:
        page.shutdown()


def test_a_question_matching_no_excerpt_says_so_and_sends_none(
        qtbot: Any, services: Services, supervisor: EngineSupervisor, tiny_model: Path, collection: str) -> None:
    page = open_page(qtbot, services, supervisor, ChatDialogs(), tiny_model)
    notes: list[tuple[str, str]] = []
    page.message.connect(lambda level, text: notes.append((level, text)))
    try:
        page.documents.combo.setCurrentIndex(page.documents.combo.findData(collection))
        page.composer.edit.setPlainText("Quantum xylophones?")
        qtbot.keyClick(page.composer.edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not page.turns.busy, timeout=WAIT_MS)
        reply = page.messages.widgets[-1]
        assert reply.role == "assistant" and reply.stats_text and reply.sources is None
        assert ("info", "No excerpts in the attached documents matched this message.") in notes
    finally:
        page.shutdown()
