"""The typed rows of the documents database: a collection, one of its files, a stored chunk."""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from hearth.core.documents.chunking import ChunkSettings

INDEXED = "indexed"
SKIPPED = "skipped"


@dataclass(frozen=True)
class Collection:
    """A named set of folders/files searched together, with how they are cut and embedded.

    ``model`` and ``dimension`` are None until the first index run fixes them;
    the counts are as of the moment the collection was read.
    """

    id: int
    name: str
    sources: list[str]
    model: str | None
    dimension: int | None
    settings: ChunkSettings
    max_text_bytes: int
    created_at: str
    indexed_at: str | None = None
    files_indexed: int = 0
    files_skipped: int = 0
    chunk_count: int = 0

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Collection:
        return cls(
            id=row["id"], name=row["name"], sources=list(json.loads(row["sources"])), model=row["model"],
            dimension=row["dimension"], settings=ChunkSettings(row["chunk_tokens"], row["overlap_tokens"]),
            max_text_bytes=row["max_text_bytes"], created_at=row["created_at"], indexed_at=row["indexed_at"],
            files_indexed=row["files_indexed"], files_skipped=row["files_skipped"], chunk_count=row["chunk_count"],
        )

    def settings_key(self, model: str) -> str:
        """What a file's chunks depend on besides its content; a change means re-indexing it."""
        return f"{model}|{self.settings.chunk_tokens}|{self.settings.overlap_tokens}|{self.max_text_bytes}"

    def display_path(self, path: str) -> str:
        """``path`` relative to the listed folder holding it, prefixed with that folder's name."""
        for source in sorted(self.sources, key=len, reverse=True):
            if path == source:
                return os.path.basename(path)
            if path.startswith(source.rstrip(os.sep) + os.sep):
                return os.path.join(os.path.basename(source.rstrip(os.sep)), os.path.relpath(path, source))
        return path

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "sources": self.sources, "model": self.model, "dimension": self.dimension,
            "chunk_tokens": self.settings.chunk_tokens, "overlap_tokens": self.settings.overlap_tokens,
            "max_text_bytes": self.max_text_bytes, "created_at": self.created_at, "indexed_at": self.indexed_at,
            "files_indexed": self.files_indexed, "files_skipped": self.files_skipped,
            "chunks": self.chunk_count,
        }


@dataclass(frozen=True)
class FileRecord:
    """One file of a collection as last indexed (``status`` INDEXED or SKIPPED with a ``reason``)."""

    path: str
    size: int
    mtime_ns: int
    sha256: str
    kind: str
    status: str
    settings_key: str
    reason: str | None = None
    note: str | None = None
    chunk_count: int = 0
    id: int | None = field(default=None, compare=False)
    indexed_at: str | None = field(default=None, compare=False)

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> FileRecord:
        return cls(
            path=row["path"], size=row["size"], mtime_ns=row["mtime_ns"], sha256=row["sha256"], kind=row["kind"],
            status=row["status"], settings_key=row["settings_key"], reason=row["reason"], note=row["note"],
            chunk_count=row["chunk_count"], id=row["id"], indexed_at=row["indexed_at"],
        )

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "size": self.size, "kind": self.kind, "status": self.status,
                "reason": self.reason, "note": self.note, "chunks": self.chunk_count}


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as read back for a search result; ``text == file_text[char_start:char_end]``."""

    id: int
    path: str
    seq: int
    text: str
    char_start: int
    char_end: int
    line_start: int
    line_end: int
    page: int | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> StoredChunk:
        return cls(id=row["id"], path=row["path"], seq=row["seq"], text=row["text"], char_start=row["char_start"],
                   char_end=row["char_end"], line_start=row["line_start"], line_end=row["line_end"],
                   page=row["page"])

    def where(self) -> str:
        """``"page 3, lines 10–14"``-style location for people."""
        lines = f"line {self.line_start}" if self.line_start == self.line_end else \
            f"lines {self.line_start}–{self.line_end}"
        return f"page {self.page}, {lines}" if self.page else lines
