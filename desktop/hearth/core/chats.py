"""Conversations and their messages, kept in one SQLite database (``chats.sqlite3`` in the data folder).

The database runs in WAL mode with normal synchronous commits: a message is
written in its own transaction when it completes (a reply cut short is saved
with ``partial`` set), so killing the app at any moment loses nothing that was
committed and never corrupts the file. Full-text search uses SQLite's FTS5
when the build has it and falls back to LIKE otherwise. One connection is
shared behind a lock, so GUI workers and the UI thread may use one store.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import uuid
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from hearth.core.errors import HearthError
from hearth.core.fileio import move_aside
from hearth.core.paths import Paths
from hearth.core.sqlite_tx import write_transaction

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
ROLES = ("system", "user", "assistant", "tool")
DEFAULT_TITLE = "New chat"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    system_prompt TEXT NOT NULL DEFAULT '',
    model_id TEXT,
    params_json TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- A counter bumped on every change: clocks tie (or step back), the counter orders recency.
    touched INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at TEXT NOT NULL,
    partial INTEGER NOT NULL DEFAULT 0,
    stats_json TEXT,
    model_id TEXT
);
CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages(conversation_id, id);
CREATE INDEX IF NOT EXISTS conversations_by_recency ON conversations(touched);
"""
_FTS_SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(content, content='messages', content_rowid='id');
CREATE TRIGGER IF NOT EXISTS messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER IF NOT EXISTS messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;
CREATE TRIGGER IF NOT EXISTS messages_fts_update AFTER UPDATE OF content ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;
"""


class ChatsError(HearthError):
    """A chats store operation failed (unknown conversation, bad import file, disk trouble)."""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


@dataclass
class Conversation:
    id: str
    title: str
    system_prompt: str = ""
    model_id: str | None = None
    #: Sampling settings (temperature, max_tokens, ...) as the chat view last used them.
    params: dict[str, Any] = field(default_factory=dict)
    created_at: str = ""
    updated_at: str = ""
    message_count: int = 0


@dataclass
class ChatMessage:
    id: int
    conversation_id: str
    role: str
    content: str
    created_at: str
    partial: bool = False
    #: The reply's ChatStats as a dict (tokens, speed, finish reason), for assistant messages.
    stats: dict[str, Any] | None = None
    model_id: str | None = None


@dataclass(frozen=True)
class SearchHit:
    conversation_id: str
    conversation_title: str
    message_id: int
    role: str
    snippet: str
    created_at: str


def _loads(text: str | None) -> Any:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


class ChatStore:
    """Open with :meth:`open` (or a path), close with :meth:`close`. All methods are thread-safe."""

    def __init__(self, path: Path) -> None:
        self.path = path
        #: One sentence for the user when a damaged database had to be set aside.
        self.notice: str | None = None
        self._lock = threading.RLock()
        self.fts = False
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = self._connect()
        except sqlite3.DatabaseError as exc:
            kept = move_aside(path)
            for suffix in ("-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            log.warning("chats database %s unreadable (%s); kept as %s", path, exc, kept)
            self.notice = f"Your chats database could not be read; Hearth kept it as {kept.name} and started a new one."
            self._db = self._connect()

    @classmethod
    def open(cls, paths: Paths) -> ChatStore:
        return cls(paths.data / "chats.sqlite3")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=10)
        try:
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            # NORMAL: a commit is in the WAL (the OS holds it) before it returns, so a killed app loses
            # nothing committed; only a power cut may drop the last commits, never corrupting the file.
            # FULL would fsync on every message, and sending a message must not wait on the disk.
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            db.executescript(_SCHEMA)
            self.fts = self._enable_fts(db)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    @staticmethod
    def _enable_fts(db: sqlite3.Connection) -> bool:
        try:
            db.executescript(_FTS_SCHEMA)
        except sqlite3.OperationalError as exc:
            log.info("full-text search unavailable (%s); searching with LIKE", exc)
            return False
        return True

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def reopen(self) -> None:
        """Connect again (after :meth:`close`), making a new empty database if the file was deleted."""
        with self._lock:
            self._db.close()
            self._db = self._connect()

    def __enter__(self) -> ChatStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        """One transaction: committed on success, rolled back on any error."""
        return write_transaction(self._db, self._lock, lambda _stage, exc: ChatsError(
            f"Could not write to the chats database: {exc}"))

    def _read(self, sql: str, args: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    # ---- conversations -------------------------------------------------------------------
    def create_conversation(self, title: str = DEFAULT_TITLE, *, system_prompt: str = "",
                            model_id: str | None = None, params: dict[str, Any] | None = None,
                            created_at: str | None = None) -> Conversation:
        stamp = created_at or now()
        conv = Conversation(uuid.uuid4().hex, title.strip() or DEFAULT_TITLE, system_prompt, model_id,
                            dict(params or {}), stamp, stamp)
        with self._write() as db:
            db.execute(
                f"INSERT INTO conversations VALUES (?, ?, ?, ?, ?, ?, ?, {_NEXT_TOUCH})",
                (conv.id, conv.title, conv.system_prompt, conv.model_id, json.dumps(conv.params), stamp, stamp),
            )
        return conv

    def conversation(self, conversation_id: str) -> Conversation:
        rows = self._read(_CONVERSATION_SELECT + " WHERE c.id = ? GROUP BY c.id", (conversation_id,))
        if not rows:
            raise ChatsError(f"No conversation '{conversation_id}'")
        return _conversation(rows[0])

    def conversations(self, limit: int | None = None) -> list[Conversation]:
        """Most recently updated first."""
        sql = _CONVERSATION_SELECT + " GROUP BY c.id ORDER BY c.touched DESC"
        rows = self._read(sql + (" LIMIT ?" if limit else ""), (limit,) if limit else ())
        return [_conversation(r) for r in rows]

    def rename(self, conversation_id: str, title: str) -> None:
        self.update_conversation(conversation_id, title=title)

    def update_conversation(self, conversation_id: str, *, title: str | None = None,
                            system_prompt: str | None = None, model_id: str | None = None,
                            params: dict[str, Any] | None = None) -> Conversation:
        changes: dict[str, Any] = {}
        if title is not None:
            changes["title"] = title.strip() or DEFAULT_TITLE
        if system_prompt is not None:
            changes["system_prompt"] = system_prompt
        if model_id is not None:
            changes["model_id"] = model_id
        if params is not None:
            changes["params_json"] = json.dumps(params)
        with self._write() as db:
            sets = ", ".join(f"{column} = ?" for column in changes)
            cursor = db.execute(f"UPDATE conversations SET {sets + ', ' if sets else ''}updated_at = ?, "
                                f"touched = {_NEXT_TOUCH} WHERE id = ?",
                                (*changes.values(), now(), conversation_id))
            if cursor.rowcount == 0:
                raise ChatsError(f"No conversation '{conversation_id}'")
        return self.conversation(conversation_id)

    def delete_conversation(self, conversation_id: str) -> None:
        with self._write() as db:
            if db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,)).rowcount == 0:
                raise ChatsError(f"No conversation '{conversation_id}'")

    def import_conversation(self, *, title: str, messages: list[dict[str, Any]], system_prompt: str = "",
                            model_id: str | None = None, params: dict[str, Any] | None = None,
                            created_at: str | None = None) -> Conversation:
        """Add a whole conversation (already validated) in one transaction, under a new id."""
        stamp = created_at or now()
        conv_id = uuid.uuid4().hex
        with self._write() as db:
            db.execute(f"INSERT INTO conversations VALUES (?, ?, ?, ?, ?, ?, ?, {_NEXT_TOUCH})",
                       (conv_id, title.strip() or DEFAULT_TITLE, system_prompt, model_id,
                        json.dumps(params or {}), stamp, now()))
            for m in messages:
                _insert_message(db, conv_id, m["role"], m["content"], bool(m.get("partial")), m.get("stats"),
                                m.get("model_id"), m.get("created_at") or stamp)
        return self.conversation(conv_id)

    # ---- messages ------------------------------------------------------------------------
    def add_message(self, conversation_id: str, role: str, content: str, *, partial: bool = False,
                    stats: dict[str, Any] | None = None, model_id: str | None = None,
                    created_at: str | None = None) -> ChatMessage:
        """Save one finished (or, with ``partial``, cut short) message in its own transaction."""
        if role not in ROLES:
            raise ChatsError(f"Unknown message role '{role}' (expected one of {', '.join(ROLES)})")
        stamp = created_at or now()
        with self._write() as db:
            try:
                message_id = _insert_message(db, conversation_id, role, content, partial, stats, model_id, stamp)
            except sqlite3.IntegrityError:
                raise ChatsError(f"No conversation '{conversation_id}'") from None
            db.execute(f"UPDATE conversations SET updated_at = ?, touched = {_NEXT_TOUCH} WHERE id = ?",
                       (now(), conversation_id))
        return ChatMessage(message_id, conversation_id, role, content, stamp, partial, stats, model_id)

    def messages(self, conversation_id: str) -> list[ChatMessage]:
        rows = self._read("SELECT * FROM messages WHERE conversation_id = ? ORDER BY id", (conversation_id,))
        return [_message(r) for r in rows]

    def delete_message(self, message_id: int) -> None:
        with self._write() as db:
            if db.execute("DELETE FROM messages WHERE id = ?", (message_id,)).rowcount == 0:
                raise ChatsError(f"No message {message_id}")

    # ---- search --------------------------------------------------------------------------
    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Messages containing every word of ``text`` (word prefixes match), newest first."""
        words = [w for w in text.replace('"', " ").split() if w]
        if not words:
            return []
        if self.fts:
            query = " ".join(f'"{w}"*' for w in words)
            sql = ("SELECT m.*, c.title, snippet(messages_fts, 0, '[', ']', '…', 12) AS snip"
                   " FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid"
                   " JOIN conversations c ON c.id = m.conversation_id"
                   " WHERE messages_fts MATCH ? ORDER BY m.id DESC LIMIT ?")
            args: tuple[Any, ...] = (query, limit)
        else:
            clauses = " AND ".join("m.content LIKE ? ESCAPE '\\'" for _ in words)
            sql = ("SELECT m.*, c.title, substr(m.content, 1, 120) AS snip FROM messages m"
                   f" JOIN conversations c ON c.id = m.conversation_id WHERE {clauses} ORDER BY m.id DESC LIMIT ?")
            args = (*(f"%{_escape_like(w)}%" for w in words), limit)
        try:
            rows = self._read(sql, args)
        except sqlite3.OperationalError as exc:
            raise ChatsError(f"Could not search for '{text}': {exc}") from exc
        return [SearchHit(r["conversation_id"], r["title"], r["id"], r["role"], r["snip"], r["created_at"])
                for r in rows]

    def integrity_ok(self) -> bool:
        return self._read("PRAGMA integrity_check")[0][0] == "ok"


_NEXT_TOUCH = "(SELECT COALESCE(MAX(touched), 0) + 1 FROM conversations)"
_CONVERSATION_SELECT = (
    "SELECT c.*, COUNT(m.id) AS message_count FROM conversations c LEFT JOIN messages m ON m.conversation_id = c.id"
)


def _insert_message(db: sqlite3.Connection, conversation_id: str, role: str, content: str, partial: bool,
                    stats: dict[str, Any] | None, model_id: str | None, created_at: str) -> int:
    cursor = db.execute(
        "INSERT INTO messages (conversation_id, role, content, created_at, partial, stats_json, model_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (conversation_id, role, content, created_at, int(partial),
         json.dumps(stats) if stats is not None else None, model_id),
    )
    return int(cursor.lastrowid or 0)


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conversation(row: sqlite3.Row) -> Conversation:
    params = _loads(row["params_json"])
    return Conversation(row["id"], row["title"], row["system_prompt"], row["model_id"],
                        params if isinstance(params, dict) else {}, row["created_at"], row["updated_at"],
                        int(row["message_count"]))


def _message(row: sqlite3.Row) -> ChatMessage:
    stats = _loads(row["stats_json"])
    return ChatMessage(row["id"], row["conversation_id"], row["role"], row["content"], row["created_at"],
                       bool(row["partial"]), stats if isinstance(stats, dict) else None, row["model_id"])
