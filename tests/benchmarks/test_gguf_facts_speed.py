"""How fast Hearth reads a model's facts, as ratios against baselines timed in the same run.

Baselines: llama.cpp opening the same file with ``vocab_only`` (it reads the
header and builds the tokenizer, no weights), and the ``gguf`` package's reader.
Run with ``pytest -m benchmark tests/benchmarks -s``; nothing here asserts a time.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

import gguf
import llama_cpp
import pytest

from hearth.core.gguf_facts import read_facts

pytestmark = pytest.mark.benchmark


def _median_seconds(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm the page cache and imports
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def test_read_facts_against_llama_cpp_and_gguf(gemma_gguf: Path, record_property: Callable) -> None:
    facts = read_facts(gemma_gguf)
    hearth_s = _median_seconds(lambda: read_facts(gemma_gguf), repeat=15)
    llama_s = _median_seconds(
        lambda: llama_cpp.Llama(str(gemma_gguf), vocab_only=True, verbose=False), repeat=5
    )
    reader_s = _median_seconds(lambda: gguf.GGUFReader(str(gemma_gguf)), repeat=1)
    vocab = llama_cpp.Llama(str(gemma_gguf), vocab_only=True, verbose=False)
    # The same file, so the facts must agree with llama.cpp's own reading.
    assert facts.vocab_size == vocab.n_vocab()
    report = {
        "file_mb": round(facts.file_size / 1e6, 1),
        "hearth_ms": round(hearth_s * 1000, 1),
        "llama_cpp_vocab_only_ms": round(llama_s * 1000, 1),
        "gguf_reader_ms": round(reader_s * 1000, 1),
        "speed_vs_llama_cpp": round(llama_s / hearth_s, 2),
        "speed_vs_gguf_reader": round(reader_s / hearth_s, 1),
    }
    for key, value in report.items():
        record_property(key, value)
    print(f"\nread_facts benchmark: {report}")
