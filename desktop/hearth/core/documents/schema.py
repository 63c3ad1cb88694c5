"""The documents database's tables, and opening it (WAL, foreign keys, a broken file moved aside).

Vectors are float32 BLOBs, L2-normalised when written, searched by brute force
with numpy (a dot product is the cosine). The ``sqlite-vec`` extension would
need ``Connection.enable_load_extension``, which many Python builds (including
python.org's and the ones Hearth is bundled with) leave out, so Hearth does
not depend on it; brute force over 100,000 chunks takes milliseconds.

Keyword search is an FTS5 table with external content (the ``chunks`` table),
kept in step by triggers; deleting a collection cascades to its files and
chunks, and the triggers remove their text from the index.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from hearth.core.documents.errors import DocumentsError
from hearth.core.fileio import move_aside

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS collections (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    sources TEXT NOT NULL DEFAULT '[]',          -- JSON list of absolute folder/file paths
    model TEXT,                                  -- Embedder.model_id the vectors were made with
    dimension INTEGER,
    chunk_tokens INTEGER NOT NULL,
    overlap_tokens INTEGER NOT NULL,
    max_text_bytes INTEGER NOT NULL,
    generation INTEGER NOT NULL DEFAULT 0,       -- bumped by every write; invalidates cached vectors
    created_at TEXT NOT NULL,
    indexed_at TEXT
);
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('indexed', 'skipped')),
    reason TEXT,
    note TEXT,
    settings_key TEXT NOT NULL,                  -- model + chunk settings the row was made with
    chunk_count INTEGER NOT NULL DEFAULT 0,
    indexed_at TEXT NOT NULL,
    UNIQUE (collection_id, path)
);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    collection_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    text TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    line_start INTEGER NOT NULL,
    line_end INTEGER NOT NULL,
    page INTEGER,
    vector BLOB NOT NULL                         -- float32, little-endian, L2-normalised
);
CREATE INDEX IF NOT EXISTS chunks_by_collection ON chunks (collection_id);
CREATE INDEX IF NOT EXISTS chunks_by_file ON chunks (file_id);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5 (
    text, content = 'chunks', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS chunks_ai AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER IF NOT EXISTS chunks_ad AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts (chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER IF NOT EXISTS chunks_au AFTER UPDATE OF text ON chunks BEGIN
    INSERT INTO chunks_fts (chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO chunks_fts (rowid, text) VALUES (new.id, new.text);
END;
"""


def connect(path: Path, timeout: float = 10.0) -> tuple[sqlite3.Connection, str | None]:
    """Open (creating if needed) the database; returns the connection and a notice or None.

    A file that is not a usable database is moved aside, never deleted, and a
    fresh one is made; the notice tells the user where the old one went.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return _open(path, timeout), None
    except sqlite3.DatabaseError as exc:
        log.warning("documents database %s is unusable: %s", path, exc)
        kept = move_aside(path, "corrupt")
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                move_aside(side, "corrupt")
        try:
            return _open(path, timeout), f"The documents database could not be read ({exc}); it was moved to {kept}."
        except sqlite3.DatabaseError as again:
            raise DocumentsError(f"Cannot open the documents database {path}: {again}") from again


def _open(path: Path, timeout: float) -> sqlite3.Connection:
    # check_same_thread=False: the GUI opens a store on one thread and its workers use it;
    # DocumentStore serialises access with a lock.
    conn = sqlite3.connect(path, timeout=timeout, check_same_thread=False, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: a crash loses at most the last commit
        conn.execute("PRAGMA foreign_keys = ON")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise DocumentsError(
                f"The documents database {path} was made by a newer Hearth (schema {version}); update Hearth."
            )
        conn.executescript(SCHEMA)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        conn.close()
        raise
    return conn
