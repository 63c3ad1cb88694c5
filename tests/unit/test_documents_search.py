"""Hybrid search: RRF fusion of keyword and vector rankings, positions, and the chat context block."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hearth.core.documents import DocumentSearch, DocumentStore, ModelMismatchError, index_collection
from hearth.core.documents.search import RRF_K, fts_query, rrf_fuse
from tests.helpers.embedders import HashingEmbedder

TEXTS = {
    "garden.md": "# Garden\n\nThe tomatoes need water every morning.\nBasil likes the sun.",
    "kitchen.txt": "Tomato soup: tomatoes, onion, garlic and basil.\nSimmer slowly.",
    "bikes.txt": "Oil the chain and check the brakes before a long ride.",
    "music.txt": "The morning rehearsal starts at nine; bring the sheet music.",
}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[DocumentStore]:
    folder = tmp_path / "notes"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    with DocumentStore(tmp_path / "documents.sqlite3") as opened:
        opened.create("notes", [folder])
        index_collection(opened, "notes", HashingEmbedder())
        yield opened


def test_rrf_adds_reciprocal_ranks() -> None:
    fused = rrf_fuse([1, 2, 3], [3, 1, 4])
    scores = dict(fused)
    assert scores[1] == pytest.approx(1 / (RRF_K + 1) + 1 / (RRF_K + 2))
    assert scores[3] == pytest.approx(1 / (RRF_K + 3) + 1 / (RRF_K + 1))
    assert scores[4] == pytest.approx(1 / (RRF_K + 3))
    assert [item for item, _ in fused] == [1, 3, 2, 4]
    # Found by both rankings, even low, beats the top of one ranking alone.
    assert [i for i, _ in rrf_fuse([7, 8], [9, 8])][0] == 8


def test_fts_query_is_always_valid() -> None:
    assert fts_query('tomato "soup" AND (basil) NEAR/2 *') == '"tomato" OR "soup" OR "and" OR "basil" OR "near" OR "2"'
    assert fts_query("?!  ") == ""
    assert fts_query("Tomato tomato") == '"tomato"'


def test_hybrid_search_ranks_chunks_found_both_ways_first(store: DocumentStore) -> None:
    hits = DocumentSearch(store, "notes", HashingEmbedder()).search("tomatoes basil", k=4)
    assert hits[0].display_path in ("notes/garden.md", "notes/kitchen.txt")
    assert {hits[0].display_path, hits[1].display_path} == {"notes/garden.md", "notes/kitchen.txt"}
    top = hits[0]
    assert top.keyword_rank is not None and top.vector_rank is not None
    assert top.keyword_score is not None and top.keyword_score > 0
    assert top.vector_score is not None and -1.0 <= top.vector_score <= 1.0
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert top.score == pytest.approx(1 / (RRF_K + top.keyword_rank) + 1 / (RRF_K + top.vector_rank))
    garden = next(h for h in hits if h.display_path == "notes/garden.md")
    assert (garden.chunk.line_start, garden.chunk.line_end, garden.chunk.char_start) == (1, 4, 0)
    assert garden.to_json()["text"] == TEXTS["garden.md"]


def test_keyword_only_without_an_embedder(store: DocumentStore) -> None:
    hits = DocumentSearch(store, "notes").search("chain brakes", k=3)
    assert [h.display_path for h in hits] == ["notes/bikes.txt"]
    assert hits[0].vector_rank is None and hits[0].keyword_rank == 1
    assert DocumentSearch(store, "notes").search('"unbalanced (quotes', k=3) == []
    assert DocumentSearch(store, "notes").search("   ", k=3) == []


def test_search_sees_a_re_index(store: DocumentStore, tmp_path: Path) -> None:
    searcher = DocumentSearch(store, "notes", HashingEmbedder())
    assert searcher.search("hedgehog", k=1)[0].keyword_rank is None  # vector-only neighbours
    (tmp_path / "notes" / "wild.txt").write_text("A hedgehog sleeps under the hedge.", encoding="utf-8")
    index_collection(store, "notes", HashingEmbedder())
    best = searcher.search("hedgehog", k=1)[0]
    assert best.display_path == "notes/wild.txt" and best.keyword_rank == 1 and best.vector_rank == 1


def test_a_different_model_cannot_search(store: DocumentStore) -> None:
    with pytest.raises(ModelMismatchError):
        DocumentSearch(store, "notes", HashingEmbedder(model_id="another"))


def test_context_for_chat_numbers_the_excerpts(store: DocumentStore) -> None:
    searcher = DocumentSearch(store, "notes", HashingEmbedder())
    block, citations = searcher.context_for_chat("oil the chain", k=2)
    assert [c.number for c in citations] == [1, 2]
    assert citations[0].hit.display_path == "notes/bikes.txt"
    assert block.startswith("Excerpts from the user's documents (collection 'notes').")
    assert f"[1] notes/bikes.txt (line 1)\n{TEXTS['bikes.txt']}" in block
    assert block.count("\n[") == 2
    short, kept = searcher.context_for_chat("oil the chain", k=2, max_chars=len(block) - 5)
    assert len(kept) == 1 and len(short) <= len(block) - 5
    assert searcher.context_for_chat("   ", k=3) == ("", [])
