"""The factory's tiny models are real: llama.cpp loads them, generates, and agrees with our facts.

This is the only unit test module that imports llama_cpp (a hard dependency, so
no importorskip: a missing llama.cpp must fail loudly).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import llama_cpp
import pytest

from hearth.core.gguf_facts import read_facts
from tests.helpers.expected import VOCAB

pytestmark = pytest.mark.llama

TinyGGUF = Callable[..., Path]


@contextmanager
def loaded(path: Path) -> Iterator[llama_cpp.Llama]:
    model = llama_cpp.Llama(model_path=str(path), n_ctx=128, n_threads=2, seed=7, verbose=False)
    try:
        yield model
    finally:
        model.close()


@pytest.mark.parametrize("quant", ["F16", "Q8_0"])
def test_llama_cpp_loads_and_generates(tiny_gguf: TinyGGUF, quant: str) -> None:
    path = tiny_gguf(f"tiny-{quant}.gguf", quant=quant)
    with loaded(path) as model:
        out = model.create_completion("hello world", max_tokens=4, temperature=0.0)
    choice = out["choices"][0]  # type: ignore[index]
    assert isinstance(choice["text"], str)
    usage = out["usage"]  # type: ignore[index]
    assert usage["prompt_tokens"] >= 2
    assert 1 <= usage["completion_tokens"] <= 4


@pytest.mark.parametrize("quant", ["F16", "Q8_0"])
def test_llama_cpp_agrees_with_our_facts(tiny_gguf: TinyGGUF, quant: str) -> None:
    path = tiny_gguf(quant=quant, context_length=1024, n_embd=128, n_head=8, n_head_kv=4)
    facts = read_facts(path)
    with loaded(path) as model:
        native = model._model  # llama-cpp-python keeps the training context on its model wrapper
        assert native.n_ctx_train() == facts.context_length == 1024
        assert native.n_params() == facts.parameters
        assert model.n_embd() == facts.embedding_length == 128
        assert model.n_vocab() == facts.vocab_size == VOCAB
        assert model.metadata.get("general.architecture") == facts.architecture
        assert model.metadata.get("general.license") == facts.license


def test_llama_cpp_tokenizes_with_the_factory_vocabulary(tiny_gguf: TinyGGUF) -> None:
    with loaded(tiny_gguf()) as model:
        tokens = model.tokenize(b"hello world", add_bos=False)
        assert tokens and all(0 <= t < VOCAB for t in tokens)
        assert model.detokenize(tokens).strip() == b"hello world"
