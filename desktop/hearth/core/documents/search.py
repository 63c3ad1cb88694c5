"""Hybrid search over a collection: keyword (FTS5 bm25) and vector (cosine) fused by RRF.

Each ranking contributes ``1 / (60 + rank)`` for every chunk it ranks
(reciprocal rank fusion, k = 60), so a chunk found by both comes first, and
neither bm25's nor cosine's scale has to be calibrated against the other.
Without an embedder, search is keyword-only. :meth:`DocumentSearch.context_for_chat`
turns the best hits into the numbered excerpts a chat prompt carries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from hearth.core.documents.indexer import check_model
from hearth.core.documents.records import Collection, StoredChunk
from hearth.core.documents.store import DocumentStore, VectorMatrix
from hearth.core.embeddings import Embedder, l2_normalise

RRF_K = 60
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchHit:
    """One chunk found; ranks are 1-based, None when that ranking did not find it.

    ``keyword_score`` is ``-bm25`` (higher is better), ``vector_score`` the cosine
    similarity, ``score`` the fused RRF score that orders the hits.
    """

    chunk: StoredChunk
    display_path: str
    score: float
    keyword_rank: int | None
    keyword_score: float | None
    vector_rank: int | None
    vector_score: float | None

    def to_json(self) -> dict[str, Any]:
        c = self.chunk
        return {
            "path": c.path, "display_path": self.display_path, "text": c.text, "char_start": c.char_start,
            "char_end": c.char_end, "line_start": c.line_start, "line_end": c.line_end, "page": c.page,
            "score": self.score, "keyword_rank": self.keyword_rank, "keyword_score": self.keyword_score,
            "vector_rank": self.vector_rank, "vector_score": self.vector_score,
        }


@dataclass(frozen=True)
class Citation:
    """What ``[number]`` in a chat prompt refers to."""

    number: int
    hit: SearchHit

    @property
    def label(self) -> str:
        return f"[{self.number}] {self.hit.display_path} ({self.hit.chunk.where()})"


def fts_query(text: str) -> str:
    """A safe FTS5 MATCH expression: the query's words, each quoted, joined by OR ('' if none)."""
    words = list(dict.fromkeys(w.lower() for w in _WORD.findall(text)))
    return " OR ".join(f'"{w}"' for w in words)


def rrf_fuse(*rankings: list[int], k: int = RRF_K) -> list[tuple[int, float]]:
    """Fuse best-first id lists into ``(id, score)`` best first; ties keep first-seen order."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda pair: -pair[1])


class DocumentSearch:
    """Searches one collection; keeps its vectors in memory until the collection changes."""

    def __init__(self, store: DocumentStore, name: str, embedder: Embedder | None = None) -> None:
        self.store = store
        self.collection: Collection = store.get(name)
        self.embedder = embedder
        if embedder is not None and self.collection.model is not None:
            check_model(self.collection, embedder)
        self._vectors: VectorMatrix | None = None

    def search(self, query: str, k: int = 8, depth: int | None = None) -> list[SearchHit]:
        """The ``k`` best chunks for ``query``; each ranking looks at its ``depth`` best (default 5k, ≥ 50)."""
        if k < 1 or not query.strip():
            return []
        depth = depth or max(50, 5 * k)
        keyword = self._keyword(query, depth)
        vector = self._vector(query, depth)
        fused = rrf_fuse([cid for cid, _ in keyword], [cid for cid, _ in vector])[:k]
        chunks = self.store.chunks(cid for cid, _ in fused)
        keyword_at = {cid: (rank, -bm25) for rank, (cid, bm25) in enumerate(keyword, start=1)}
        vector_at = {cid: (rank, cos) for rank, (cid, cos) in enumerate(vector, start=1)}
        hits = []
        for cid, score in fused:
            if cid not in chunks:  # removed by an index run between the two queries
                continue
            kw, vec = keyword_at.get(cid), vector_at.get(cid)
            hits.append(SearchHit(chunks[cid], self.collection.display_path(chunks[cid].path), score,
                                  kw[0] if kw else None, kw[1] if kw else None,
                                  vec[0] if vec else None, vec[1] if vec else None))
        return hits

    def context_for_chat(self, query: str, k: int = 5, max_chars: int | None = None) -> tuple[str, list[Citation]]:
        """``(prompt_block, citations)``: the exact text to send, with excerpts numbered [1], [2]...

        ``max_chars`` caps the block's length by leaving out the lower-ranked
        excerpts that do not fit. An empty block means nothing was found.
        """
        citations: list[Citation] = []
        parts: list[str] = []
        header = (f"Excerpts from the user's documents (collection '{self.collection.name}'). "
                  "Use them to answer when they are relevant and cite them by number, like [1].")
        length = len(header)
        for hit in self.search(query, k):
            citation = Citation(len(citations) + 1, hit)
            part = f"{citation.label}\n{hit.chunk.text.strip()}"
            if max_chars is not None and length + 2 + len(part) > max_chars:
                continue
            citations.append(citation)
            parts.append(part)
            length += 2 + len(part)
        if not citations:
            return "", []
        return "\n\n".join([header, *parts]), citations

    def _keyword(self, query: str, depth: int) -> list[tuple[int, float]]:
        match = fts_query(query)
        return self.store.keyword_search(self.collection.id, match, depth) if match else []

    def _vector(self, query: str, depth: int) -> list[tuple[int, float]]:
        if self.embedder is None or self.collection.model is None:
            return []
        generation = self.store.generation(self.collection.id)
        if self._vectors is None or self._vectors.generation != generation:
            self._vectors = self.store.vectors(self.collection.id)
        ids, matrix = self._vectors.ids, self._vectors.matrix
        if not len(ids):
            return []
        q = l2_normalise(self.embedder.embed([query]))[0]
        sims = matrix @ q
        count = min(depth, len(ids))
        best = np.argpartition(-sims, count - 1)[:count]
        best = best[np.argsort(-sims[best], kind="stable")]
        return [(int(ids[i]), float(sims[i])) for i in best]
