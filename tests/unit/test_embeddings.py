"""The Embedder protocol's helpers: token estimate, normalising, similarity, pairs, export, batching."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from hearth.core.embeddings import (
    Embedder,
    EmbeddingError,
    approx_token_count,
    cosine_similarity_matrix,
    embed_in_batches,
    export_vectors,
    l2_normalise,
    nearest_pairs,
)
from hearth.core.errors import Cancelled
from tests.helpers.embedders import HashingEmbedder

VECTORS = [[1.0, 0.0, 0.0], [0.9, 0.1, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 2.0]]


def test_the_test_embedders_follow_the_protocol() -> None:
    assert isinstance(HashingEmbedder(), Embedder)


def test_token_estimate_counts_word_pieces_and_punctuation() -> None:
    assert approx_token_count("") == 0
    assert approx_token_count("hello") == 2  # 5 characters: two 4-character pieces
    assert approx_token_count("a cat, a dog.") == 6
    long = "internationalisation " * 10
    assert approx_token_count(long) == 50
    assert approx_token_count("日本語のテキスト") >= 2


def test_l2_normalise_gives_unit_rows_and_keeps_zero_rows() -> None:
    out = l2_normalise([[3.0, 4.0], [0.0, 0.0]])
    assert out.dtype == np.float32
    assert out[0].tolist() == pytest.approx([0.6, 0.8])
    assert out[1].tolist() == [0.0, 0.0]


def test_cosine_similarity_matrix() -> None:
    sims = cosine_similarity_matrix(VECTORS)
    assert sims.shape == (4, 4)
    assert np.diag(sims) == pytest.approx([1, 1, 1, 1], abs=1e-6)
    assert sims[0, 2] == pytest.approx(0.0)
    assert sims[0, 1] == pytest.approx(0.9 / np.hypot(0.9, 0.1), abs=1e-6)
    cross = cosine_similarity_matrix(VECTORS[:1], VECTORS)
    assert cross.shape == (1, 4)
    with pytest.raises(EmbeddingError, match="Cannot compare"):
        cosine_similarity_matrix([[1.0, 0.0]], [[1.0, 0.0, 0.0]])
    with pytest.raises(EmbeddingError, match="same length"):
        l2_normalise([[1.0], [1.0, 2.0]])


def test_nearest_pairs_best_first() -> None:
    pairs = nearest_pairs(VECTORS, top=2)
    assert [(i, j) for i, j, _ in pairs] == [(0, 1), (1, 2)]
    assert pairs[0][2] == pytest.approx(0.9939, abs=1e-4)
    assert len(nearest_pairs(VECTORS, top=100)) == 6
    assert nearest_pairs(VECTORS[:1]) == []


def test_export_json_csv_npy(tmp_path: Path) -> None:
    texts = ["one", "two, with a comma", "three", "four"]
    as_json = json.loads(export_vectors(tmp_path / "v.json", VECTORS, texts).read_text(encoding="utf-8"))
    assert [row["text"] for row in as_json] == texts
    assert as_json[3]["vector"] == [0.0, 0.0, 2.0]
    bare = json.loads(export_vectors(tmp_path / "bare.json", VECTORS).read_text(encoding="utf-8"))
    assert np.allclose(bare, VECTORS)

    with export_vectors(tmp_path / "v.csv", VECTORS, texts).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["text", "d0", "d1", "d2"]
    assert rows[2][0] == "two, with a comma"
    assert [float(x) for x in rows[2][1:]] == pytest.approx([0.9, 0.1, 0.0])

    loaded = np.load(export_vectors(tmp_path / "v.npy", VECTORS))
    assert loaded.dtype == np.float32 and loaded.shape == (4, 3)
    assert export_vectors(tmp_path / "as-npy.data", VECTORS, fmt="npy").is_file()

    with pytest.raises(EmbeddingError, match=r"\.json, \.csv or \.npy"):
        export_vectors(tmp_path / "v.parquet", VECTORS)
    with pytest.raises(EmbeddingError, match="2 texts but 4 vectors"):
        export_vectors(tmp_path / "w.json", VECTORS, texts[:2])


def test_embed_in_batches_reports_progress_and_checks_answers() -> None:
    embedder = HashingEmbedder(dimension=16)
    seen: list[tuple[int, int]] = []
    texts = [f"text number {i}" for i in range(10)]
    matrix = embed_in_batches(embedder, texts, batch_size=4, progress=lambda d, t, _: seen.append((d, t)))
    assert matrix.shape == (10, 16) and matrix.dtype == np.float32
    assert embedder.calls == 3
    assert seen == [(4, 10), (8, 10), (10, 10)]
    assert embed_in_batches(embedder, [], batch_size=4).shape == (0, 16)


def test_embed_in_batches_stops_when_asked() -> None:
    embedder = HashingEmbedder(dimension=8)
    with pytest.raises(Cancelled):
        embed_in_batches(embedder, ["a"] * 10, batch_size=2, should_stop=lambda: embedder.calls >= 2)
    assert embedder.calls == 2


def test_embed_in_batches_rejects_wrong_answers() -> None:
    class Short(HashingEmbedder):
        def embed(self, texts: list[str]) -> list[list[float]]:
            return super().embed(texts)[:-1]

    with pytest.raises(EmbeddingError, match="1 vectors of 8 numbers for 2 texts"):
        embed_in_batches(Short(dimension=8), ["a", "b"])
