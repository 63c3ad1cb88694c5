"""The documents database: collections, files with their chunks in one transaction, FTS in step."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from hearth.core.documents import DocumentsError, DocumentStore
from hearth.core.documents.chunking import Chunk, ChunkSettings
from hearth.core.documents.records import INDEXED, SKIPPED, FileRecord
from hearth.core.embeddings import l2_normalise
from hearth.core.paths import Paths


@pytest.fixture
def store(tmp_path: Path) -> Iterator[DocumentStore]:
    with DocumentStore(tmp_path / "documents.sqlite3") as opened:
        yield opened


def record(path: str, status: str = INDEXED, reason: str | None = None) -> FileRecord:
    return FileRecord(path, 10, 1, "abc", "text", status, "m|256|32|5", reason=reason)


def chunks(*texts: str) -> list[Chunk]:
    return [Chunk(i, t, 0, len(t), 1, 1) for i, t in enumerate(texts)]


def test_store_lives_next_to_the_other_data(paths: Paths) -> None:
    with DocumentStore.open(paths) as opened:
        assert opened.path == paths.data / "documents.sqlite3"
        mode = opened._conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_collections_are_created_listed_extended_and_deleted(store: DocumentStore, tmp_path: Path) -> None:
    made = store.create("Notes", [tmp_path / "a", str(tmp_path / "a")], model="m1", settings=ChunkSettings(128, 16))
    assert made.sources == [str(tmp_path / "a")]
    assert (made.model, made.dimension, made.settings.chunk_tokens, made.chunk_count) == ("m1", None, 128, 0)
    assert store.get("notes").name == "Notes"  # names are case-insensitive
    with pytest.raises(DocumentsError, match="already exists"):
        store.create("NOTES")
    with pytest.raises(DocumentsError, match="1 to 100 characters"):
        store.create("a/b")
    with pytest.raises(DocumentsError, match="half the chunk size"):
        store.create("bad", settings=ChunkSettings(64, 60))
    extended = store.add_sources("notes", [tmp_path / "b", tmp_path / "a"])
    assert extended.sources == [str(tmp_path / "a"), str(tmp_path / "b")]
    assert store.remove_sources("notes", [tmp_path / "a"]).sources == [str(tmp_path / "b")]
    store.create("Archive")
    assert [c.name for c in store.collections()] == ["Archive", "Notes"]
    store.delete("archive")
    with pytest.raises(DocumentsError, match="There is no collection named 'archive'"):
        store.get("archive")


def test_a_file_and_its_chunks_are_written_and_replaced_together(store: DocumentStore) -> None:
    coll = store.create("c")
    vectors = l2_normalise(np.random.default_rng(1).normal(size=(2, 8)))
    store.write_file(coll.id, record("/x/a.txt"), chunks("apples and pears", "plums"), vectors)
    store.write_file(coll.id, record("/x/b.txt", SKIPPED, "binary file"))
    got = store.get("c")
    assert (got.files_indexed, got.files_skipped, got.chunk_count) == (1, 1, 2)
    matrix = store.vectors(coll.id)
    assert matrix.matrix.dtype.kind == "f" and matrix.matrix.shape == (2, 8)
    assert np.allclose(matrix.matrix, vectors)
    assert [cid for cid, _ in store.keyword_search(coll.id, '"apples"', 10)] == [int(matrix.ids[0])]

    generation = store.generation(coll.id)
    store.write_file(coll.id, record("/x/a.txt"), chunks("cherries"), vectors[:1])
    assert store.generation(coll.id) > generation
    assert store.get("c").chunk_count == 1
    assert store.keyword_search(coll.id, '"apples"', 10) == []
    assert len(store.keyword_search(coll.id, '"cherries"', 10)) == 1
    assert [f.reason for f in store.files(coll.id, SKIPPED)] == ["binary file"]
    with pytest.raises(ValueError):
        store.write_file(coll.id, record("/x/c.txt"), chunks("a", "b"), vectors[:1])


def test_deleting_a_collection_removes_its_chunks_from_every_index(store: DocumentStore) -> None:
    keep, drop = store.create("keep"), store.create("drop")
    vec = l2_normalise(np.ones((1, 4)))
    store.write_file(keep.id, record("/k.txt"), chunks("shared word kept"), vec)
    store.write_file(drop.id, record("/d.txt"), chunks("shared word dropped"), vec)
    store.delete("drop")
    assert store._conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0] == 1
    assert store._conn.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 1
    hits = store._conn.execute("SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH 'shared'").fetchall()
    assert len(hits) == 1
    assert store.integrity_check() == "ok"


def test_clear_keeps_sources_and_forgets_files(store: DocumentStore, tmp_path: Path) -> None:
    coll = store.create("c", [tmp_path], model="old")
    store.set_model(coll.id, "old", 4)
    store.write_file(coll.id, record("/a"), chunks("text"), l2_normalise(np.ones((1, 4))))
    store.clear(coll.id, "new")
    got = store.get("c")
    assert (got.model, got.dimension, got.chunk_count, got.sources) == ("new", None, 0, [str(tmp_path)])


def test_a_broken_database_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "documents.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    with DocumentStore(path) as opened:
        assert opened.notice is not None and "moved to" in opened.notice
        assert opened.collections() == []
    assert [p for p in tmp_path.iterdir() if p.name.startswith("documents.sqlite3.corrupt-")]


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "documents.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(DocumentsError, match="newer Hearth"):
        DocumentStore(path)


def test_a_busy_database_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "documents.sqlite3"
    with DocumentStore(path, busy_timeout=0.1) as opened:
        other = sqlite3.connect(path)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(DocumentsError, match="is busy .*another index running"):
                opened.create("blocked")
        finally:
            other.rollback()
            other.close()
        assert opened.create("free").name == "free"
