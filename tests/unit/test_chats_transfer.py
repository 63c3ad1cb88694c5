"""Exporting conversations to Markdown and JSON, and importing JSON with clear, one-line errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hearth.core.chat_transfer import FORMAT, export_json, export_markdown, import_data, import_json, write_export
from hearth.core.chats import ChatsError, ChatStore
from hearth.core.paths import Paths


@pytest.fixture
def store(paths: Paths) -> Iterator[ChatStore]:
    with ChatStore.open(paths) as s:
        yield s


@pytest.fixture
def conv_id(store: ChatStore) -> str:
    conv = store.create_conversation("Fox recipes", system_prompt="You are a chef.", model_id="m1",
                                     params={"temperature": 0.7})
    store.add_message(conv.id, "user", "How do foxes cook?")
    store.add_message(conv.id, "assistant", "Slowly, with **care**.", stats={"completion_tokens": 6}, model_id="m1")
    store.add_message(conv.id, "assistant", "Then they", partial=True, model_id="m1")
    return conv.id


def test_markdown_export(store: ChatStore, conv_id: str) -> None:
    text = export_markdown(store, conv_id)
    assert text.startswith("# Fox recipes\n")
    assert "## System prompt\n\nYou are a chef." in text
    assert "## User\n\nHow do foxes cook?" in text and "Slowly, with **care**." in text
    assert "## Assistant (cut short)\n\nThen they" in text and "`m1`" in text


def test_json_round_trip(store: ChatStore, conv_id: str, tmp_path: Path) -> None:
    path = write_export(store, conv_id, tmp_path / "fox.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == FORMAT and data["version"] == 1 and len(data["messages"]) == 3
    copy = import_json(store, path)
    assert copy.id != conv_id and copy.title == "Fox recipes" and copy.params == {"temperature": 0.7}
    original = [(m.role, m.content, m.partial, m.stats, m.model_id, m.created_at) for m in store.messages(conv_id)]
    imported = [(m.role, m.content, m.partial, m.stats, m.model_id, m.created_at) for m in store.messages(copy.id)]
    assert imported == original
    assert export_json(store, copy.id)["messages"] == data["messages"]


def test_markdown_file_export(store: ChatStore, conv_id: str, tmp_path: Path) -> None:
    path = write_export(store, conv_id, tmp_path / "fox.md")
    assert path.read_text(encoding="utf-8") == export_markdown(store, conv_id)
    with pytest.raises(ChatsError, match="Unknown export format"):
        write_export(store, conv_id, tmp_path / "fox.txt", fmt="pdf")


def _valid() -> dict[str, Any]:
    return {"format": FORMAT, "version": 1, "conversation": {"title": "t"},
            "messages": [{"role": "user", "content": "hi"}]}


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d.pop("format"), "Not a Hearth chat export"),
    (lambda d: d.update(version=99), "Unsupported chat export version 99"),
    (lambda d: d.update(version="1"), "Unsupported chat export version"),
    (lambda d: d.pop("conversation"), "'conversation' must be a dict"),
    (lambda d: d["conversation"].update(title=5), "conversation 'title' must be a str"),
    (lambda d: d["conversation"].update(params=[]), "conversation 'params' must be a dict"),
    (lambda d: d.update(messages={}), "'messages' must be a list"),
    (lambda d: d["messages"].append("hi"), "message 2 is not an object"),
    (lambda d: d["messages"][0].update(role="wizard"), "message 1 has unknown role 'wizard'"),
    (lambda d: d["messages"][0].pop("content"), "message 1 'content' must be a str"),
    (lambda d: d["messages"][0].update(partial="yes"), "message 1 'partial' must be a bool"),
    (lambda d: d["messages"][0].update(stats=3), "message 1 'stats' must be a dict"),
])
def test_invalid_imports_are_explained(store: ChatStore, change: Any, expected: str) -> None:
    data = _valid()
    change(data)
    with pytest.raises(ChatsError) as caught:
        import_data(store, data)
    assert expected in str(caught.value) and "\n" not in str(caught.value)
    assert store.conversations() == []  # nothing half-imported


def test_a_valid_minimal_import(store: ChatStore) -> None:
    conv = import_data(store, _valid())
    assert conv.title == "t" and [m.content for m in store.messages(conv.id)] == ["hi"]


def test_unreadable_files_are_explained(store: ChatStore, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    with pytest.raises(ChatsError, match="bad.json is not valid JSON"):
        import_json(store, bad)
    with pytest.raises(ChatsError, match="Could not read"):
        import_json(store, tmp_path / "missing.json")
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ChatsError, match="not valid JSON"):
        import_json(store, binary)
