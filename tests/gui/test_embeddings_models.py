"""The Embeddings page's item models and heatmap, without an engine: qtmodeltester and painting."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QPoint, Qt

from hearth.core.documents import SKIPPED, ChunkSettings, Collection, FileRecord, SearchHit, StoredChunk
from hearth.core.embeddings import cosine_similarity_matrix
from hearth.ui.embeddings.documents_models import CollectionsModel, HitsModel, ReportModel, snippet
from hearth.ui.embeddings.heatmap import Heatmap, truncate
from hearth.ui.embeddings.model_picker import ordered_models
from hearth.ui.embeddings.vectors_model import PairsModel, VectorsModel, first_values
from tests.gui.conftest import fake_entry

TEXTS = ["The cat sat on the mat.", "A kitten rests on a rug.", "Stock markets fell sharply today."]
MATRIX = np.array([[1, 0, 0.5], [0.9, 0.1, 0.4], [0, 1, 0]], np.float32)


def collection(name: str = "notes", **extra: Any) -> Collection:
    return Collection(id=1, name=name, sources=["/docs"], model="/models/embed.gguf", dimension=64,
                      settings=ChunkSettings(), max_text_bytes=1000, created_at="2025-01-01T00:00:00+00:00",
                      indexed_at="2025-01-02T10:11:12+00:00", files_indexed=4, files_skipped=1, chunk_count=9,
                      **extra)


def hit() -> SearchHit:
    chunk = StoredChunk(id=1, path="/docs/notes.md", seq=0, text="Tomatoes want water\nevery day.",
                        char_start=0, char_end=30, line_start=3, line_end=4, page=None)
    return SearchHit(chunk, "docs/notes.md", 0.0325, 1, 2.5, 2, 0.71)


def test_vectors_and_pairs_models(qtmodeltester: Any) -> None:
    vectors, pairs = VectorsModel(), PairsModel()
    vectors.set_vectors(TEXTS, MATRIX)
    pairs.set_pairs([(TEXTS[0], TEXTS[1], 0.97)])
    qtmodeltester.check(vectors)
    qtmodeltester.check(pairs)
    assert vectors.index(0, 1).data() == "3"
    assert vectors.index(1, 2).data() == first_values(MATRIX[1]) == "0.9000, 0.1000, 0.4000"
    assert pairs.index(0, 0).data() == "0.970"
    assert vectors.as_text([2]).startswith("Stock markets fell sharply today.\t0 1 0")


def test_documents_models(qtmodeltester: Any) -> None:
    collections = CollectionsModel(model_name=lambda model: model.rsplit("/", 1)[-1])
    report, hits = ReportModel(), HitsModel()
    collections.set_rows([collection(), collection("empty", )])
    record = FileRecord("/docs/image.bin", 2048, 1, "ab", "unknown", SKIPPED, "k", reason="binary file (not text)")
    report.set_rows([("docs/image.bin", record)])
    hits.set_rows([hit()])
    for model in (collections, report, hits):
        qtmodeltester.check(model)
    assert [collections.index(0, c).data() for c in range(5)] == [
        "notes", "4 (+1 skipped)", "9", "embed.gguf", "2025-01-02 10:11"]
    assert collections.row_of("empty") == 1 and collections.row_of("nope") == -1
    assert report.index(0, 2).data() == "binary file (not text)"
    assert [hits.index(0, c).data() for c in range(5)] == ["docs/notes.md", "lines 3–4", "0.0325", "2.500", "0.710"]
    assert hits.index(0, 5).data() == "Tomatoes want water every day."
    assert hits.index(0, 0).data(Qt.ItemDataRole.UserRole) == hit()
    assert snippet("x " * 300).endswith("…")


def test_heatmap_paints_cells_and_explains_them(qtbot: Any) -> None:
    heatmap = Heatmap()
    qtbot.addWidget(heatmap)
    heatmap.resize(520, 420)
    assert not heatmap.grab().isNull()  # the empty state paints too
    labels = TEXTS + ["A very long text that will certainly be truncated in the labels"]
    sims = cosine_similarity_matrix(np.vstack([MATRIX, [[0.2, 0.3, 0.9]]]))
    heatmap.set_matrix(labels, sims)
    image = heatmap.grab().toImage()
    assert not image.isNull()
    centre = heatmap.cell_rect(0, 0).center()
    assert heatmap.cell_at(centre) == (0, 0)
    assert heatmap.cell_at(heatmap.cell_rect(3, 2).center()) == (3, 2)
    assert heatmap.cell_at(QPoint(1, 1)) is None
    assert heatmap.value_text(1, 1) == "1.00"
    diagonal = image.pixelColor(heatmap.cell_rect(0, 0).topLeft() + QPoint(3, 3))
    far = image.pixelColor(heatmap.cell_rect(0, 2).topLeft() + QPoint(3, 3))
    assert diagonal != far  # similar and dissimilar pairs look different
    assert "cosine" in heatmap.tooltip_for(0, 2) and TEXTS[2][:20] in heatmap.tooltip_for(0, 2)
    assert truncate(labels[-1]).endswith("…") and len(truncate(labels[-1])) == 18


def test_models_are_listed_embedding_models_first() -> None:
    chat = fake_entry("Alpha chat")
    embed = fake_entry("Zeta embed")
    assert embed.facts is not None
    embed.facts.is_embedding = True
    broken = fake_entry("Broken", broken=True)
    assert [e.name for e in ordered_models([chat, broken, embed])] == ["Zeta embed", "Alpha chat"]
