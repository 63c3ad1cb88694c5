"""The :class:`~hearth.core.embeddings.Embedder` the app uses: an embedding engine spoken to over HTTP.

:meth:`EngineEmbedder.start` loads a model in the supervisor's EMBEDDING
engine (a child process) and wraps its :class:`EngineClient`; the embedder can
also wrap any OpenAI-compatible server's client. Token counts come from the
engine's ``/extras/tokenize/count`` route (llama-cpp-python's server has it;
one text per request). A server without it gets
:func:`~hearth.core.embeddings.approx_token_count` instead, which is logged once.
"""

from __future__ import annotations

import http.client
import json
import logging
from urllib.parse import urlsplit

from hearth.core.embeddings import EmbeddingError, Progress, ShouldStop, approx_token_count, l2_normalise
from hearth.core.model_entry import ModelEntry
from hearth.engine.client import EngineClient
from hearth.engine.errors import EngineError, EngineUnavailable
from hearth.engine.load_settings import ResolvedLoadSettings
from hearth.engine.supervisor import EngineHandle, EngineRole, EngineSupervisor

log = logging.getLogger(__name__)

_PROBE_TEXT = "Hearth"


class EngineEmbedder:
    """Embeds through an engine; ``close()`` unloads the engine if this embedder started it.

    ``model_id`` is what collections remember (pass the library id, or the
    file's path for a model outside the library). ``max_tokens`` is the most
    tokens one text may have before the engine truncates it (its batch size).
    """

    def __init__(self, client: EngineClient, model_id: str, *, dimension: int | None = None,
                 max_tokens: int | None = None, handle: EngineHandle | None = None,
                 supervisor: EngineSupervisor | None = None) -> None:
        self.client = client
        self._model_id = model_id
        self._dimension = dimension
        self.max_tokens = max_tokens
        self._handle = handle
        self._supervisor = supervisor
        self._tokenizer_missing = False

    @classmethod
    def start(cls, supervisor: EngineSupervisor, entry: ModelEntry, *, model_id: str | None = None,
              settings: ResolvedLoadSettings | None = None, progress: Progress | None = None,
              should_stop: ShouldStop | None = None) -> EngineEmbedder:
        """Load ``entry`` as the supervisor's embedding engine (blocks; raises EngineStartError/Cancelled)."""
        handle = supervisor.start(entry, settings, role=EngineRole.EMBEDDING, progress=progress,
                                  should_stop=should_stop)
        return cls(handle.client(), model_id or entry.id, max_tokens=handle.settings.n_batch, handle=handle,
                   supervisor=supervisor)

    @property
    def handle(self) -> EngineHandle | None:
        """The engine this embedder started (its settings, pid, log), or None for a wrapped client."""
        return self._handle

    # ---- the Embedder protocol -----------------------------------------------------------
    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dimension(self) -> int:
        """The model's vector length, asked of the engine once (by embedding a short probe text)."""
        if self._dimension is None:
            vectors = self.embed([_PROBE_TEXT])
            if not vectors or not vectors[0]:
                raise EmbeddingError(f"{self.client.endpoint.name} returned an empty vector")
            self._dimension = len(vectors[0])
        return self._dimension

    def embed(self, texts: list[str]) -> list[list[float]]:
        """One unit-length (L2-normalised) vector per text, so a dot product is the cosine."""
        vectors = self.client.embed(texts)
        if len(vectors) != len(texts):
            raise EmbeddingError(f"{self.client.endpoint.name} returned {len(vectors)} vectors for {len(texts)} texts")
        return l2_normalise(vectors).tolist() if vectors else vectors

    def count_tokens(self, text: str) -> int:
        if self._tokenizer_missing:
            return approx_token_count(text)
        try:
            return self._count_remote(text)
        except _NoTokenizer as exc:
            log.warning("%s cannot count tokens (%s); estimating instead", self.client.endpoint.name, exc)
            self._tokenizer_missing = True
            return approx_token_count(text)

    # ---- lifecycle -----------------------------------------------------------------------
    def close(self) -> None:
        self.client.close()
        if self._supervisor is not None and self._handle is not None:
            if self._supervisor.handle(EngineRole.EMBEDDING) is self._handle:
                self._supervisor.stop(EngineRole.EMBEDDING)
            self._handle = None

    def __enter__(self) -> EngineEmbedder:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ---- token counting over HTTP ---------------------------------------------------------
    def _count_remote(self, text: str) -> int:
        # A fresh connection per request: llama-cpp-python's server answers a kept-alive
        # connection about 40 ms late (Nagle's algorithm meets delayed ACKs), a new one in ~2 ms.
        endpoint = self.client.endpoint
        parts = urlsplit(endpoint.base_url)
        factory = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        headers = {"Content-Type": "application/json", "Connection": "close"}
        if endpoint.api_key:
            headers["Authorization"] = f"Bearer {endpoint.api_key}"
        conn = factory(parts.hostname or "127.0.0.1", parts.port, timeout=60)
        try:
            conn.request("POST", self._root_path() + "/extras/tokenize/count",
                         json.dumps({"input": text}).encode("utf-8"), headers)
            response = conn.getresponse()
            payload = response.read()
        except (http.client.HTTPException, OSError) as exc:
            raise self._unreachable() from exc
        finally:
            conn.close()
        if response.status in (404, 405):
            raise _NoTokenizer(f"HTTP {response.status}")
        if response.status != 200:
            raise EngineUnavailable(f"{endpoint.name} could not count tokens (HTTP {response.status})")
        try:
            return int(json.loads(payload)["count"])
        except (ValueError, KeyError, TypeError) as exc:
            raise _NoTokenizer("unexpected answer") from exc

    def _root_path(self) -> str:
        """The server root's path: the OpenAI API lives under ``/v1``, llama-cpp-python's extras beside it."""
        path = urlsplit(self.client.endpoint.base_url).path.rstrip("/")
        return path[: -len("/v1")] if path.endswith("/v1") else path

    def _unreachable(self) -> EngineError:
        if self._handle is not None:
            crash = self._handle.diagnose()
            if crash is not None:
                return crash
        return EngineUnavailable(f"Cannot reach {self.client.endpoint.name} at {self.client.endpoint.base_url}")


class _NoTokenizer(Exception):
    """The server has no token-counting route (a remote server that is not llama-cpp-python)."""
