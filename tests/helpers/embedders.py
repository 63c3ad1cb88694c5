"""Embedders for tests: a deterministic word-hashing one, and llama.cpp in this process.

Both follow :class:`hearth.core.embeddings.Embedder` and count their calls, so
tests can tell how much work an index run really did.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np

from hearth.core.embeddings import approx_token_count

_WORD = re.compile(r"\w+")


class HashingEmbedder:
    """Bag of words hashed into ``dimension`` buckets: texts sharing words have similar vectors."""

    def __init__(self, dimension: int = 256, model_id: str = "hashing-test",
                 before_embed: Callable[[list[str]], None] | None = None) -> None:
        self._dimension = dimension
        self._model_id = model_id
        self.before_embed = before_embed
        self.calls = 0
        self.texts_embedded: list[str] = []

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dimension(self) -> int:
        return self._dimension

    def count_tokens(self, text: str) -> int:
        return approx_token_count(text)

    def embed(self, texts: list[str]) -> list[list[float]]:
        if self.before_embed is not None:
            self.before_embed(texts)
        self.calls += 1
        self.texts_embedded.extend(texts)
        return [self._vector(t).tolist() for t in texts]

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self._dimension, dtype=np.float32)
        for word in _WORD.findall(text.lower()):
            digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
            bucket = int.from_bytes(digest[:4], "little") % self._dimension
            vector[bucket] += 1.0 if digest[4] & 1 else -1.0
        if not vector.any():
            vector[0] = 1.0
        return vector


class LlamaEmbedder:
    """llama-cpp-python's ``Llama(embedding=True)`` in this process; tokens counted by its tokenizer."""

    def __init__(self, model_path: Path, model_id: str | None = None, n_ctx: int = 512) -> None:
        import llama_cpp

        self.model = llama_cpp.Llama(model_path=str(model_path), embedding=True, n_ctx=n_ctx, n_batch=n_ctx,
                                     n_ubatch=n_ctx, n_threads=2, verbose=False)
        self._model_id = model_id or str(model_path)
        self.calls = 0
        self.max_tokens = n_ctx

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dimension(self) -> int:
        return int(self.model.n_embd())

    def count_tokens(self, text: str) -> int:
        return len(self.model.tokenize(text.encode("utf-8"), add_bos=True))

    def embed(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        return self.model.embed(texts)  # type: ignore[return-value]

    def close(self) -> None:
        self.model.close()
