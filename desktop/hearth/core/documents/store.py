"""The documents database: collections, their files and chunks, vectors and the keyword index.

One :class:`DocumentStore` is one SQLite connection (WAL, so a search can read
while an index run writes through another store). Its methods are safe to call
from several threads; each write is one transaction, and a file's row is
written together with all its chunks, so a killed process leaves either the
file's old state or its new one, never half of it.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from hearth.core.documents.chunking import Chunk, ChunkSettings
from hearth.core.documents.errors import DocumentsError
from hearth.core.documents.extract import DEFAULT_MAX_TEXT_BYTES
from hearth.core.documents.records import Collection, FileRecord, StoredChunk
from hearth.core.documents.schema import connect
from hearth.core.paths import Paths
from hearth.core.sqlite_tx import write_transaction

DB_NAME = "documents.sqlite3"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class VectorMatrix:
    """All of a collection's chunk vectors: ``matrix[i]`` belongs to chunk ``ids[i]``."""

    ids: np.ndarray
    matrix: np.ndarray
    generation: int = field(default=-1)


def _describe_failure(stage: str, exc: sqlite3.Error) -> DocumentsError:
    if stage == "begin":
        return DocumentsError(f"The documents database is busy ({exc}); is another index running?")
    return DocumentsError(f"The documents database could not be written: {exc}")


class DocumentStore:
    """Reads and writes ``documents.sqlite3``; use as a context manager or call :meth:`close`."""

    def __init__(self, path: Path, busy_timeout: float = 10.0) -> None:
        self.path = Path(path)
        #: A sentence for the user when a broken database was moved aside on opening, else None.
        self.notice: str | None
        self._busy_timeout = busy_timeout
        self._conn, self.notice = connect(self.path, busy_timeout)
        self._lock = threading.RLock()

    @classmethod
    def open(cls, paths: Paths) -> DocumentStore:
        """The store in the data folder, next to the chats database."""
        return cls(paths.data / DB_NAME)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def reopen(self) -> None:
        """Connect again (after :meth:`close`), making a new empty database if the file was deleted."""
        with self._lock:
            self._conn.close()
            self._conn, self.notice = connect(self.path, self._busy_timeout)

    def __enter__(self) -> DocumentStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        """One write transaction; SQLite's own failures (busy, disk full) become one-line errors."""
        return write_transaction(self._conn, self._lock, _describe_failure)

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    # ---- collections ------------------------------------------------------------------------

    def collections(self) -> list[Collection]:
        rows = self._query(_COLLECTION_SELECT + " GROUP BY c.id ORDER BY c.name COLLATE NOCASE")
        return [Collection.from_row(row) for row in rows]

    def get(self, name: str) -> Collection:
        rows = self._query(_COLLECTION_SELECT + " WHERE c.name = ? GROUP BY c.id", (name,))
        if not rows:
            raise DocumentsError(f"There is no collection named '{name}'.")
        return Collection.from_row(rows[0])

    def exists(self, name: str) -> bool:
        return bool(self._query("SELECT 1 FROM collections WHERE name = ?", (name,)))

    def create(self, name: str, sources: Iterable[str | Path] = (), model: str | None = None,
               settings: ChunkSettings = ChunkSettings(),
               max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES) -> Collection:
        name = name.strip()
        if not name or len(name) > 100 or any(ch in name for ch in "\n\r\t/\\"):
            raise DocumentsError("A collection name must be 1 to 100 characters, without slashes or tabs.")
        settings.validate()
        if max_text_bytes < 1:
            raise DocumentsError("The per-file text limit must be positive.")
        if self.exists(name):
            raise DocumentsError(f"A collection named '{name}' already exists.")
        with self._write() as conn:
            conn.execute(
                "INSERT INTO collections (name, sources, model, chunk_tokens, overlap_tokens, max_text_bytes,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (name, json.dumps(_normalised_sources([], sources)), model, settings.chunk_tokens,
                 settings.overlap_tokens, max_text_bytes, _now()),
            )
        return self.get(name)

    def add_sources(self, name: str, sources: Iterable[str | Path]) -> Collection:
        """Add folders or files (made absolute; duplicates ignored)."""
        current = self.get(name)
        merged = _normalised_sources(current.sources, sources)
        with self._write() as conn:
            conn.execute("UPDATE collections SET sources = ? WHERE id = ?", (json.dumps(merged), current.id))
        return self.get(name)

    def remove_sources(self, name: str, sources: Iterable[str | Path]) -> Collection:
        """Stop indexing these folders or files; the next index run drops their chunks."""
        current = self.get(name)
        gone = {str(Path(s).expanduser().absolute()) for s in sources}
        kept = [s for s in current.sources if s not in gone]
        with self._write() as conn:
            conn.execute("UPDATE collections SET sources = ? WHERE id = ?", (json.dumps(kept), current.id))
        return self.get(name)

    def delete(self, name: str) -> Collection:
        """Delete a collection with its files' records and chunks (the files themselves are untouched)."""
        current = self.get(name)
        with self._write() as conn:
            conn.execute("DELETE FROM collections WHERE id = ?", (current.id,))
        return current

    def set_model(self, collection_id: int, model: str, dimension: int | None) -> None:
        with self._write() as conn:
            conn.execute("UPDATE collections SET model = ?, dimension = ?, generation = generation + 1 "
                         "WHERE id = ?", (model, dimension, collection_id))

    def clear(self, collection_id: int, model: str | None = None) -> None:
        """Forget every file and chunk (for a rebuild); the sources and settings stay."""
        with self._write() as conn:
            conn.execute("DELETE FROM files WHERE collection_id = ?", (collection_id,))
            conn.execute("UPDATE collections SET model = ?, dimension = NULL, indexed_at = NULL, "
                         "generation = generation + 1 WHERE id = ?", (model, collection_id))

    def mark_indexed(self, collection_id: int) -> None:
        with self._write() as conn:
            conn.execute("UPDATE collections SET indexed_at = ? WHERE id = ?", (_now(), collection_id))

    # ---- files ------------------------------------------------------------------------------

    def files(self, collection_id: int, status: str | None = None) -> list[FileRecord]:
        sql = "SELECT * FROM files WHERE collection_id = ?" + (" AND status = ?" if status else "")
        params: tuple[object, ...] = (collection_id, status) if status else (collection_id,)
        return [FileRecord.from_row(r) for r in self._query(sql + " ORDER BY path", params)]

    def write_file(self, collection_id: int, record: FileRecord, chunks: Sequence[Chunk] = (),
                   vectors: np.ndarray | None = None) -> None:
        """Replace a file's row and all its chunks in one transaction.

        ``vectors`` (one row per chunk) must already be L2-normalised float32.
        """
        if chunks and (vectors is None or len(vectors) != len(chunks)):
            raise ValueError("one vector per chunk is needed")
        blobs = [] if vectors is None else [np.ascontiguousarray(v, dtype="<f4").tobytes() for v in vectors]
        with self._write() as conn:
            conn.execute("DELETE FROM files WHERE collection_id = ? AND path = ?", (collection_id, record.path))
            cur = conn.execute(
                "INSERT INTO files (collection_id, path, size, mtime_ns, sha256, kind, status, reason, note,"
                " settings_key, chunk_count, indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (collection_id, record.path, record.size, record.mtime_ns, record.sha256, record.kind,
                 record.status, record.reason, record.note, record.settings_key, len(chunks), _now()),
            )
            file_id = cur.lastrowid
            conn.executemany(
                "INSERT INTO chunks (file_id, collection_id, seq, text, char_start, char_end, line_start,"
                " line_end, page, vector) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(file_id, collection_id, c.seq, c.text, c.char_start, c.char_end, c.line_start, c.line_end,
                  c.page, blob) for c, blob in zip(chunks, blobs)],
            )
            conn.execute("UPDATE collections SET generation = generation + 1 WHERE id = ?", (collection_id,))

    def touch_file(self, file_id: int, size: int, mtime_ns: int) -> None:
        """Record a new size/mtime for a file whose content (sha256) did not change."""
        with self._write() as conn:
            conn.execute("UPDATE files SET size = ?, mtime_ns = ? WHERE id = ?", (size, mtime_ns, file_id))

    def delete_files(self, collection_id: int, paths: Iterable[str]) -> int:
        paths = list(paths)
        with self._write() as conn:
            conn.executemany("DELETE FROM files WHERE collection_id = ? AND path = ?",
                             [(collection_id, p) for p in paths])
            conn.execute("UPDATE collections SET generation = generation + 1 WHERE id = ?", (collection_id,))
        return len(paths)

    # ---- chunks -----------------------------------------------------------------------------

    def vectors(self, collection_id: int) -> VectorMatrix:
        """Every chunk vector of a collection as one matrix (for brute-force cosine search)."""
        with self._lock:
            generation = self._conn.execute("SELECT generation FROM collections WHERE id = ?",
                                            (collection_id,)).fetchone()
            rows = self._conn.execute("SELECT id, vector FROM chunks WHERE collection_id = ? ORDER BY id",
                                      (collection_id,)).fetchall()
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        data = b"".join(r[1] for r in rows)
        matrix = np.frombuffer(data, dtype="<f4").reshape(len(rows), -1) if rows else np.zeros((0, 0), np.float32)
        return VectorMatrix(ids, matrix, generation[0] if generation else -1)

    def generation(self, collection_id: int) -> int:
        rows = self._query("SELECT generation FROM collections WHERE id = ?", (collection_id,))
        return int(rows[0][0]) if rows else -1

    def keyword_search(self, collection_id: int, match: str, limit: int) -> list[tuple[int, float]]:
        """``(chunk_id, bm25)`` best first for an FTS5 MATCH expression (bm25: lower is better)."""
        rows = self._query(
            "SELECT chunks.id, bm25(chunks_fts) AS score FROM chunks_fts JOIN chunks ON chunks.id = chunks_fts.rowid"
            " WHERE chunks_fts MATCH ? AND chunks.collection_id = ? ORDER BY score LIMIT ?",
            (match, collection_id, limit),
        )
        return [(int(r[0]), float(r[1])) for r in rows]

    def chunks(self, chunk_ids: Iterable[int]) -> dict[int, StoredChunk]:
        ids = list(chunk_ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._query(
            "SELECT chunks.id, chunks.seq, chunks.text, chunks.char_start, chunks.char_end, chunks.line_start,"
            f" chunks.line_end, chunks.page, files.path FROM chunks JOIN files ON files.id = chunks.file_id"
            f" WHERE chunks.id IN ({marks})", ids,
        )
        return {int(r["id"]): StoredChunk.from_row(r) for r in rows}

    def integrity_check(self) -> str:
        """SQLite's own check plus FTS5's; ``"ok"`` when all is well."""
        with self._lock:
            result = self._conn.execute("PRAGMA integrity_check").fetchone()[0]
            try:
                self._conn.execute("INSERT INTO chunks_fts (chunks_fts, rank) VALUES ('integrity-check', 1)")
            except sqlite3.DatabaseError as exc:
                return f"keyword index: {exc}"
        return str(result)


_COLLECTION_SELECT = """
SELECT c.*,
       COUNT(f.id) FILTER (WHERE f.status = 'indexed') AS files_indexed,
       COUNT(f.id) FILTER (WHERE f.status = 'skipped') AS files_skipped,
       COALESCE(SUM(f.chunk_count), 0) AS chunk_count
FROM collections c LEFT JOIN files f ON f.collection_id = c.id
"""


def _normalised_sources(current: Sequence[str], extra: Iterable[str | Path]) -> list[str]:
    merged = list(current)
    for source in extra:
        text = str(Path(source).expanduser().absolute())
        if text not in merged:
            merged.append(text)
    return merged
