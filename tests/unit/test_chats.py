"""The chats store: conversations, messages, partial replies, search, and a damaged database."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from hearth.core.chats import DEFAULT_TITLE, ChatsError, ChatStore
from hearth.core.paths import Paths


@pytest.fixture
def store(paths: Paths) -> Iterator[ChatStore]:
    with ChatStore.open(paths) as s:
        yield s


def test_the_database_is_in_wal_mode_in_the_data_folder(store: ChatStore, paths: Paths) -> None:
    assert store.path == paths.data / "chats.sqlite3" and store.path.is_file()
    assert store._read("PRAGMA journal_mode")[0][0] == "wal"
    assert store.integrity_ok()


def test_conversations_and_messages(store: ChatStore) -> None:
    conv = store.create_conversation("Trip", system_prompt="Be brief.", model_id="m1", params={"temperature": 0.3})
    store.add_message(conv.id, "user", "Where to?")
    reply = store.add_message(conv.id, "assistant", "Lisbon.", stats={"completion_tokens": 3}, model_id="m1")
    cut = store.add_message(conv.id, "assistant", "And then", partial=True, model_id="m1")
    messages = store.messages(conv.id)
    assert [(m.role, m.content, m.partial) for m in messages] == [
        ("user", "Where to?", False), ("assistant", "Lisbon.", False), ("assistant", "And then", True)]
    assert messages[1].stats == {"completion_tokens": 3} and messages[1].id == reply.id
    assert messages[2].id == cut.id and messages[2].model_id == "m1"
    again = store.conversation(conv.id)
    assert again.system_prompt == "Be brief." and again.params == {"temperature": 0.3}
    assert again.message_count == 3 and again.updated_at >= again.created_at


def test_list_rename_update_delete(store: ChatStore) -> None:
    first = store.create_conversation("First")
    second = store.create_conversation("  ")
    assert second.title == DEFAULT_TITLE
    store.add_message(first.id, "user", "bump")  # most recently updated comes first
    assert [c.id for c in store.conversations()] == [first.id, second.id]
    assert [c.id for c in store.conversations(limit=1)] == [first.id]
    store.rename(second.id, "Second")
    updated = store.update_conversation(second.id, system_prompt="sys", model_id="m2", params={"seed": 1})
    assert (updated.title, updated.system_prompt, updated.model_id) == ("Second", "sys", "m2")
    assert updated.params == {"seed": 1}
    store.delete_conversation(first.id)
    assert [c.id for c in store.conversations()] == [second.id]
    assert store._read("SELECT COUNT(*) FROM messages")[0][0] == 0  # messages went with it
    with pytest.raises(ChatsError):
        store.conversation(first.id)
    with pytest.raises(ChatsError):
        store.rename("nope", "x")


def test_bad_input_is_refused(store: ChatStore) -> None:
    with pytest.raises(ChatsError, match="role"):
        store.add_message(store.create_conversation().id, "narrator", "hi")
    with pytest.raises(ChatsError, match="No conversation"):
        store.add_message("missing", "user", "hi")
    with pytest.raises(ChatsError):
        store.delete_message(12345)


def test_search_finds_words_and_prefixes(store: ChatStore) -> None:
    assert store.fts
    a = store.create_conversation("Cooking")
    b = store.create_conversation("Travel")
    store.add_message(a.id, "user", "How do I bake sourdough bread?")
    store.add_message(b.id, "assistant", "Take the night train to Porto.")
    store.add_message(b.id, "user", "100% sure? use_underscores")
    hits = store.search("sourdough")
    assert [(h.conversation_title, h.role) for h in hits] == [("Cooking", "user")] and "[sourdough]" in hits[0].snippet
    assert [h.conversation_title for h in store.search("trai port")] == ["Travel"]  # prefixes, all words
    assert store.search("bread train") == []
    assert store.search('"') == [] and store.search("   ") == []
    assert len(store.search('NEAR( "AND OR')) == 0  # FTS syntax in user text is harmless
    store.delete_conversation(a.id)
    assert store.search("sourdough") == []


def test_like_fallback_search(store: ChatStore) -> None:
    conv = store.create_conversation()
    store.add_message(conv.id, "user", "100% sure? use_underscores")
    store.add_message(conv.id, "user", "1000 users")
    store.fts = False
    assert [h.snippet for h in store.search("100%")] == ["100% sure? use_underscores"]
    assert [h.snippet for h in store.search("use_")] == ["100% sure? use_underscores"]
    assert len(store.search("100")) == 2


def test_a_store_is_shared_between_threads(store: ChatStore) -> None:
    conv = store.create_conversation()
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(20):
                store.add_message(conv.id, "user", f"thread {n} message {i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors and len(store.messages(conv.id)) == 80 and store.integrity_ok()


def test_a_second_store_on_the_same_file_sees_commits(paths: Paths) -> None:
    with ChatStore.open(paths) as one, ChatStore.open(paths) as two:
        conv = one.create_conversation("shared")
        one.add_message(conv.id, "user", "hello")
        assert [m.content for m in two.messages(conv.id)] == ["hello"]


def test_a_damaged_database_is_kept_aside(paths: Paths) -> None:
    path = paths.data / "chats.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with ChatStore.open(paths) as store:
        assert store.notice and "kept it as" in store.notice
        assert store.conversations() == []
    kept = list(paths.data.glob("chats.sqlite3.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"this is not")


def test_database_errors_are_one_line(paths: Paths) -> None:
    store = ChatStore.open(paths)
    conv = store.create_conversation()
    store.close()
    with pytest.raises(ChatsError) as caught:
        store.add_message(conv.id, "user", "hi")
    assert "\n" not in str(caught.value) and "chats database" in str(caught.value)
