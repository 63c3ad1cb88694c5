"""A chat model (no pooling in its file) can embed: the engine pools its token vectors by mean."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from hearth.core.paths import Paths
from hearth.engine.embedder import EngineEmbedder
from hearth.engine.supervisor import EngineSupervisor
from tests.helpers.engines import entry_for

pytestmark = pytest.mark.llama


@pytest.fixture
def supervisor(paths: Paths) -> Iterator[EngineSupervisor]:
    with EngineSupervisor(paths, ready_timeout=120) as sup:
        yield sup


def test_a_chat_model_gives_one_vector_per_text(supervisor: EngineSupervisor,
                                                 tiny_gguf: Callable[..., Path]) -> None:
    model = tiny_gguf("chatty.gguf", n_embd=64)
    assert entry_for(model).facts.pooling_type is None  # a plain chat model
    embedder = EngineEmbedder.start(supervisor, entry_for(model))
    try:
        vectors = embedder.embed(["the cat sat", "hello world, hello hearth"])
    finally:
        embedder.close()
    assert [len(v) for v in vectors] == [64, 64]
    assert not np.allclose(vectors[0], vectors[1])
    assert "mean pooling" in supervisor.paths.logs.joinpath("engine-embedding.log").read_text()
    assert all(abs(float(np.linalg.norm(v)) - 1.0) < 1e-5 for v in vectors)  # unit length, as promised
