"""What Hearth needs from an embedding model, and pure helpers over the vectors it returns.

:class:`Embedder` is the one interface the documents feature, the CLI and the
GUI use; the engine layer provides the real one (an embedding engine process
spoken to over the OpenAI API) and tests may provide their own. Everything else
here is plain numpy: normalising, cosine similarity, nearest pairs, exporting,
and :func:`embed_in_batches`, the cancellable loop every long embedding run uses.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from hearth.core.errors import Cancelled, HearthError

#: progress(done, total, detail); should_stop() -> True to cancel.
Progress = Callable[[int, int, str], None]
ShouldStop = Callable[[], bool]

EXPORT_FORMATS = ("json", "csv", "npy")
_WORDISH = re.compile(r"\w+|[^\w\s]", re.UNICODE)


class EmbeddingError(HearthError):
    """Embedding could not be done or its result is unusable (wrong size, empty, mismatched model)."""


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into vectors with one model.

    ``model_id`` names the model (a library id or a file path) and is what a
    document collection remembers, so that vectors from different models are
    never mixed. ``dimension`` is the length of every vector ``embed`` returns.
    ``count_tokens`` counts with the model's own tokenizer when it can; an
    embedder without one returns :func:`approx_token_count`. An embedder may
    also have ``max_tokens: int``, the longest text it embeds without
    truncating; the indexer refuses chunk sizes above it.
    """

    @property
    def model_id(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: list[str]) -> list[list[float]]: ...

    def count_tokens(self, text: str) -> int: ...


def approx_token_count(text: str) -> int:
    """An upper-leaning estimate of a text's token count when no tokenizer is at hand.

    Sub-word tokenizers split words into pieces of about four characters and give
    every punctuation mark its own token, so each word counts ``ceil(len / 4)``
    and each other symbol one. That over-counts common English words a little,
    which is the safe side: chunks sized with it never overflow a model's window.
    """
    return sum(math.ceil(len(piece) / 4) for piece in _WORDISH.findall(text))


def as_matrix(vectors: Sequence[Sequence[float]] | np.ndarray) -> np.ndarray:
    """Vectors as a 2-D float32 array (one row per vector); raises EmbeddingError if ragged."""
    try:
        matrix = np.asarray(vectors, dtype=np.float32)
    except ValueError as exc:
        raise EmbeddingError("The vectors do not all have the same length.") from exc
    if matrix.ndim == 1 and matrix.size == 0:
        return matrix.reshape(0, 0)
    if matrix.ndim != 2:
        raise EmbeddingError(f"Expected a list of vectors, got an array of shape {matrix.shape}.")
    return matrix


def l2_normalise(vectors: Sequence[Sequence[float]] | np.ndarray) -> np.ndarray:
    """Each row scaled to length 1 (zero rows stay zero), so a dot product is the cosine."""
    matrix = as_matrix(vectors)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def cosine_similarity_matrix(a: Sequence[Sequence[float]] | np.ndarray,
                             b: Sequence[Sequence[float]] | np.ndarray | None = None) -> np.ndarray:
    """Cosine similarity of every row of ``a`` with every row of ``b`` (default: ``a`` itself)."""
    left = l2_normalise(a)
    right = left if b is None else l2_normalise(b)
    if left.shape[1:] != right.shape[1:]:
        raise EmbeddingError(f"Cannot compare {left.shape[1]}- and {right.shape[1]}-dimensional vectors.")
    return left @ right.T


def nearest_pairs(vectors: Sequence[Sequence[float]] | np.ndarray, top: int = 10) -> list[tuple[int, int, float]]:
    """The ``top`` most similar pairs ``(i, j, cosine)`` with ``i < j``, most similar first."""
    sims = cosine_similarity_matrix(vectors)
    n = sims.shape[0]
    if n < 2 or top <= 0:
        return []
    rows, cols = np.triu_indices(n, k=1)
    values = sims[rows, cols]
    count = min(top, values.size)
    best = np.argpartition(-values, count - 1)[:count]
    best = best[np.argsort(-values[best], kind="stable")]
    return [(int(rows[i]), int(cols[i]), float(values[i])) for i in best]


def export_vectors(path: str | Path, vectors: Sequence[Sequence[float]] | np.ndarray,
                   texts: Sequence[str] | None = None, fmt: str | None = None) -> Path:
    """Write vectors to ``.json``, ``.csv`` or ``.npy`` (``fmt`` or the file's suffix decides).

    JSON: ``[{"text": ..., "vector": [...]}, ...]`` when ``texts`` is given, else a
    list of lists. CSV: one row per vector, the text (if any) in the first column.
    NPY: a float32 matrix (texts are not stored; numpy's format holds numbers only).
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in EXPORT_FORMATS:
        raise EmbeddingError(f"Cannot export to '{fmt or path.name}': choose .json, .csv or .npy.")
    matrix = as_matrix(vectors)
    if texts is not None and len(texts) != len(matrix):
        raise EmbeddingError(f"{len(texts)} texts but {len(matrix)} vectors.")
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "npy":
        with path.open("wb") as handle:  # a path would get ".npy" appended if it lacks it
            np.save(handle, matrix, allow_pickle=False)
    elif fmt == "json":
        rows = matrix.tolist()
        data = rows if texts is None else [{"text": t, "vector": v} for t, v in zip(texts, rows)]
        path.write_text(json.dumps(data), encoding="utf-8")
    else:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            header = [f"d{i}" for i in range(matrix.shape[1] if matrix.size else 0)]
            writer.writerow((["text"] if texts is not None else []) + header)
            for index, row in enumerate(matrix.tolist()):
                writer.writerow(([texts[index]] if texts is not None else []) + [repr(x) for x in row])
    return path


def embed_in_batches(embedder: Embedder, texts: Sequence[str], batch_size: int = 32,
                     progress: Progress | None = None, should_stop: ShouldStop | None = None) -> np.ndarray:
    """Embed ``texts`` a batch at a time; returns a float32 matrix, one row per text.

    ``progress(done, total, "")`` is called after each batch; ``should_stop`` is
    checked before each one and raises :class:`Cancelled` when it says so. Every
    answer is checked: one vector per text, each of ``embedder.dimension`` numbers.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    total = len(texts)
    out = np.empty((total, embedder.dimension), dtype=np.float32)
    for start in range(0, total, batch_size):
        if should_stop is not None and should_stop():
            raise Cancelled()
        batch = list(texts[start:start + batch_size])
        vectors = as_matrix(embedder.embed(batch))
        if vectors.shape != (len(batch), embedder.dimension):
            raise EmbeddingError(
                f"The model returned {vectors.shape[0]} vectors of {vectors.shape[1] if vectors.ndim == 2 else '?'} "
                f"numbers for {len(batch)} texts; expected {embedder.dimension} numbers each."
            )
        out[start:start + len(batch)] = vectors
        if progress is not None:
            progress(min(start + len(batch), total), total, "")
    return out
