"""Incremental indexing: only changed files are embedded, deletions are noticed, stopping is safe."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from hearth.core.documents import (
    DocumentsError,
    DocumentStore,
    ModelMismatchError,
    index_collection,
)
from hearth.core.errors import Cancelled, HearthError
from tests.helpers.documents import make_document_set
from tests.helpers.embedders import HashingEmbedder

USABLE = {"notes.md", "recipe.txt", "sensors.py", "legacy.txt", "guide.pdf", "letter.docx"}


@pytest.fixture
def docs(tmp_path: Path) -> dict[str, Path]:
    return make_document_set(tmp_path / "docs", huge_bytes=5000)


@pytest.fixture
def store(tmp_path: Path, docs: dict[str, Path]) -> Iterator[DocumentStore]:
    with DocumentStore(tmp_path / "documents.sqlite3") as opened:
        opened.create("docs", [docs["notes"].parent], max_text_bytes=4000)
        yield opened


def consistent(store: DocumentStore) -> None:
    """The database is sound and every file row's chunk count matches its chunks."""
    assert store.integrity_check() == "ok"
    rows = store._conn.execute(
        "SELECT f.path, f.chunk_count, COUNT(c.id) FROM files f LEFT JOIN chunks c ON c.file_id = f.id GROUP BY f.id"
    ).fetchall()
    assert all(row[1] == row[2] for row in rows), [tuple(r) for r in rows]


def embedded_files(embedder: HashingEmbedder, docs: dict[str, Path]) -> set[str]:
    """Which of the set's files had text embedded (recognised by a phrase from each)."""
    marks = {"notes.md": "tomatoes", "recipe.txt": "lentils", "sensors.py": "parse_line",
             "legacy.txt": "résumé", "guide.pdf": "chain", "letter.docx": "hedge"}
    return {name for name, word in marks.items() if any(word in t for t in embedder.texts_embedded)}


def test_first_run_indexes_usable_files_and_explains_the_rest(store: DocumentStore, docs: dict[str, Path]) -> None:
    embedder = HashingEmbedder()
    seen: list[tuple[int, int, str]] = []
    report = index_collection(store, "docs", embedder, progress=lambda d, t, x: seen.append((d, t, x)))
    assert (report.files_total, report.added, report.skipped, report.unchanged) == (10, 6, 4, 0)
    assert report.chunks_embedded == 6 and embedder.calls == 1  # small files share one batch
    files = {Path(f.path).name: f for f in store.files(store.get("docs").id)}
    assert {n for n, f in files.items() if f.status == "indexed"} == USABLE
    assert {n: f.reason for n, f in files.items() if f.status == "skipped"} == {
        "locked.pdf": "encrypted PDF (needs a password)", "image.bin": "binary file (not text)",
        "empty.txt": "no text in it", "huge.log": "larger than the 4.00 KB limit (5.00 KB)",
    }
    assert files["legacy.txt"].note == "not UTF-8; read as Windows-1252"
    assert seen[-1][:2] == (10, 10) and "6 chunks embedded" in seen[-1][2]
    collection = store.get("docs")
    assert (collection.model, collection.dimension, collection.chunk_count) == ("hashing-test", 256, 6)
    assert collection.indexed_at is not None
    norms = np.linalg.norm(store.vectors(collection.id).matrix, axis=1)
    assert norms == pytest.approx(np.ones(6), abs=1e-5)
    consistent(store)


def test_second_run_embeds_only_what_changed(store: DocumentStore, docs: dict[str, Path]) -> None:
    index_collection(store, "docs", HashingEmbedder())
    unchanged = HashingEmbedder()
    report = index_collection(store, "docs", unchanged)
    assert unchanged.calls == 0 and (report.unchanged, report.added, report.updated) == (10, 0, 0)

    docs["recipe"].write_text("Pea soup with mint.\n", encoding="utf-8")
    os.utime(docs["notes"], ns=(1, 1_000_000_000))  # touched, same content
    (docs["notes"].parent / "new.txt").write_text("A brand new file about hedgehogs.", encoding="utf-8")
    docs["code"].unlink()
    changed = HashingEmbedder()
    report = index_collection(store, "docs", changed)
    assert (report.added, report.updated, report.removed, report.unchanged) == (1, 1, 1, 8)
    assert changed.calls == 1
    assert sorted(changed.texts_embedded) == ["A brand new file about hedgehogs.", "Pea soup with mint."]
    notes_row = next(f for f in store.files(store.get("docs").id) if f.path == str(docs["notes"]))
    assert notes_row.mtime_ns == 1_000_000_000  # the touch was recorded, nothing re-embedded
    assert str(docs["code"]) not in {f.path for f in store.files(store.get("docs").id)}
    consistent(store)


def test_a_skipped_file_that_becomes_readable_is_indexed(store: DocumentStore, docs: dict[str, Path]) -> None:
    index_collection(store, "docs", HashingEmbedder())
    docs["empty"].write_text("Now it says something about owls.", encoding="utf-8")
    embedder = HashingEmbedder()
    report = index_collection(store, "docs", embedder)
    assert report.updated == 1 and embedder.texts_embedded == ["Now it says something about owls."]


def test_a_different_model_is_refused_unless_rebuilding(store: DocumentStore, docs: dict[str, Path]) -> None:
    index_collection(store, "docs", HashingEmbedder(model_id="model-a"))
    other = HashingEmbedder(model_id="model-b")
    with pytest.raises(ModelMismatchError) as caught:
        index_collection(store, "docs", other)
    assert str(caught.value) == ("Collection 'docs' was indexed with the model 'model-a', not 'model-b'; "
                                 "use that model, or rebuild the collection's index with the new one")
    assert other.calls == 0
    with pytest.raises(DocumentsError, match="holds 256-number vectors"):
        index_collection(store, "docs", HashingEmbedder(dimension=32, model_id="model-a"))
    report = index_collection(store, "docs", other, rebuild=True)
    assert report.added == 6 and embedded_files(other, docs) == USABLE
    assert store.get("docs").model == "model-b"
    consistent(store)


def test_any_model_may_be_chosen_before_anything_is_indexed(store: DocumentStore) -> None:
    store.set_model(store.get("docs").id, "planned", None)
    report = index_collection(store, "docs", HashingEmbedder(model_id="actual"))
    assert report.added == 6 and store.get("docs").model == "actual"


def test_chunks_larger_than_the_engine_takes_are_refused(store: DocumentStore) -> None:
    embedder = HashingEmbedder()
    embedder.max_tokens = 128  # type: ignore[attr-defined]
    with pytest.raises(DocumentsError, match="longer than the 128 tokens"):
        index_collection(store, "docs", embedder)


def test_stopping_mid_run_keeps_a_consistent_index_that_the_next_run_completes(
        store: DocumentStore, docs: dict[str, Path]) -> None:
    progressed: list[int] = []
    first = HashingEmbedder()
    with pytest.raises(Cancelled):
        index_collection(store, "docs", first, batch_size=1, progress=lambda d, t, x: progressed.append(d),
                         should_stop=lambda: first.calls >= 3)
    consistent(store)
    done_before = store.get("docs").files_indexed
    assert 1 <= done_before < 6
    resumed = HashingEmbedder()
    report = index_collection(store, "docs", resumed)
    # Files finished before the stop (indexed or skipped) are not looked at again.
    assert report.added == 6 - done_before and report.unchanged + report.skipped == 4 + done_before
    assert len(embedded_files(resumed, docs)) == 6 - done_before
    assert store.get("docs").files_indexed == 6
    consistent(store)


def test_an_engine_failure_stops_the_run_and_keeps_finished_files(store: DocumentStore) -> None:
    def fail_third(_texts: list[str]) -> None:
        if failing.calls == 2:
            raise HearthError("The engine stopped unexpectedly")

    failing = HashingEmbedder(before_embed=fail_third)
    with pytest.raises(HearthError, match="stopped unexpectedly"):
        index_collection(store, "docs", failing, batch_size=1)
    assert store.get("docs").files_indexed == 2
    consistent(store)
    assert index_collection(store, "docs", HashingEmbedder()).added == 4


def test_missing_sources_are_reported_and_listed_files_work(store: DocumentStore, docs: dict[str, Path],
                                                           tmp_path: Path) -> None:
    coll = store.create("mixed", [docs["recipe"], tmp_path / "gone"])
    report = index_collection(store, "mixed", HashingEmbedder())
    assert report.missing_sources == [str(tmp_path / "gone")]
    assert [Path(f.path).name for f in store.files(coll.id)] == ["recipe.txt"]
