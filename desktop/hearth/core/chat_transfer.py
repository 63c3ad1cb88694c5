"""Conversations in and out of the chats store: Markdown and JSON export, validated JSON import.

The JSON shape (``format: "hearth.chat"``, ``version: 1``) holds one
conversation and its messages; :func:`import_json` checks every field and
explains the first problem in one line before anything is written, and the
import itself is one transaction.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from hearth.core.chats import ROLES, ChatsError, ChatStore, Conversation
from hearth.core.fileio import atomic_write_text

FORMAT = "hearth.chat"
VERSION = 1
MAX_IMPORT_BYTES = 64 * 1024 * 1024


def export_json(store: ChatStore, conversation_id: str) -> dict[str, Any]:
    conv = store.conversation(conversation_id)
    data = asdict(conv)
    data.pop("message_count")
    messages = [
        {k: v for k, v in asdict(m).items() if k not in ("id", "conversation_id")}
        for m in store.messages(conversation_id)
    ]
    return {"format": FORMAT, "version": VERSION, "conversation": data, "messages": messages}


def export_markdown(store: ChatStore, conversation_id: str) -> str:
    conv = store.conversation(conversation_id)
    lines = [f"# {conv.title}", ""]
    if conv.model_id:
        lines.append(f"- Model: `{conv.model_id}`")
    lines += [f"- Created: {conv.created_at}", f"- Updated: {conv.updated_at}", ""]
    if conv.system_prompt:
        lines += ["## System prompt", "", conv.system_prompt, ""]
    for message in store.messages(conversation_id):
        note = " (cut short)" if message.partial else ""
        lines += [f"## {message.role.capitalize()}{note}", "", message.content, ""]
    return "\n".join(lines).rstrip() + "\n"


def write_export(store: ChatStore, conversation_id: str, path: Path, fmt: str | None = None) -> Path:
    """Write Markdown (``.md``) or JSON (``.json``, or ``fmt="json"``) atomically; returns the path."""
    fmt = fmt or ("json" if path.suffix.lower() == ".json" else "markdown")
    if fmt == "json":
        text = json.dumps(export_json(store, conversation_id), indent=2, ensure_ascii=False) + "\n"
    elif fmt in ("markdown", "md"):
        text = export_markdown(store, conversation_id)
    else:
        raise ChatsError(f"Unknown export format '{fmt}' (use markdown or json)")
    try:
        atomic_write_text(path, text)
    except OSError as exc:
        raise ChatsError(f"Could not write {path}: {exc.strerror or exc}") from exc
    return path


def _need(mapping: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str, optional: bool = False) -> Any:
    value = mapping.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ChatsError(f"Not a valid Hearth chat export: {where}'{key}' must be a {names}")
    return value


def validate(data: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Check an export object; returns (conversation, messages) or raises ChatsError with one line."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ChatsError(f"Not a Hearth chat export (expected \"format\": \"{FORMAT}\")")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version > VERSION:
        raise ChatsError(f"Unsupported chat export version {version!r} (this Hearth reads up to {VERSION})")
    conv = _need(data, "conversation", dict, "")
    _need(conv, "title", str, "conversation ")
    _need(conv, "system_prompt", str, "conversation ", optional=True)
    _need(conv, "model_id", str, "conversation ", optional=True)
    _need(conv, "params", dict, "conversation ", optional=True)
    _need(conv, "created_at", str, "conversation ", optional=True)
    messages = _need(data, "messages", list, "")
    for number, message in enumerate(messages, 1):
        where = f"message {number} "
        if not isinstance(message, dict):
            raise ChatsError(f"Not a valid Hearth chat export: message {number} is not an object")
        role = _need(message, "role", str, where)
        if role not in ROLES:
            raise ChatsError(f"Not a valid Hearth chat export: message {number} has unknown role '{role}'")
        _need(message, "content", str, where)
        _need(message, "created_at", str, where, optional=True)
        _need(message, "partial", bool, where, optional=True)
        _need(message, "stats", dict, where, optional=True)
        _need(message, "model_id", str, where, optional=True)
    return conv, messages


def import_json(store: ChatStore, path: Path) -> Conversation:
    """Add the conversation in a JSON export as a new conversation (a new id); returns it."""
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise ChatsError(f"{path.name} is too large to be a chat export")
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ChatsError(f"Could not read {path}: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise ChatsError(f"{path.name} is not valid JSON: {exc}") from exc
    return import_data(store, data)


def import_data(store: ChatStore, data: Any) -> Conversation:
    conv, messages = validate(data)
    return store.import_conversation(
        title=conv["title"], system_prompt=conv.get("system_prompt") or "", model_id=conv.get("model_id"),
        params=conv.get("params") or {}, created_at=conv.get("created_at"), messages=messages,
    )
