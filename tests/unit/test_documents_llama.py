"""The documents pipeline with a real model in this process: llama.cpp's tokenizer sizes the chunks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hearth.core.documents import ChunkSettings, DocumentSearch, DocumentStore, index_collection
from hearth.core.embeddings import Embedder
from tests.helpers.documents import make_document_set
from tests.helpers.embedders import LlamaEmbedder

pytestmark = pytest.mark.llama


@pytest.fixture
def embedder(tiny_gguf: Callable[..., Path]) -> Iterator[LlamaEmbedder]:
    model = LlamaEmbedder(tiny_gguf("embed.gguf", extra={"llama.pooling_type": 1}, n_embd=64))
    yield model
    model.close()


def test_index_and_search_with_llama_cpp_in_process(embedder: LlamaEmbedder, tmp_path: Path) -> None:
    assert isinstance(embedder, Embedder)
    docs = make_document_set(tmp_path / "docs")
    (docs["notes"].parent / "long.md").write_text("the cat and the dog. " * 150, encoding="utf-8")
    with DocumentStore(tmp_path / "documents.sqlite3") as store:
        store.create("docs", [docs["notes"].parent], settings=ChunkSettings(64, 8))
        report = index_collection(store, "docs", embedder)
        assert report.added == 7 and report.chunks_embedded > 12
        collection = store.get("docs")
        assert collection.dimension == 64
        texts = [row[0] for row in store._conn.execute("SELECT text FROM chunks")]
        assert max(embedder.count_tokens(t) for t in texts) <= 64
        hits = DocumentSearch(store, "docs", embedder).search("tomatoes water", k=3)
        assert hits and hits[0].display_path == "docs/notes.md"
        assert all(h.vector_score is not None for h in hits)
