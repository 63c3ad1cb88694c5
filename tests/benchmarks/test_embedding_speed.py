"""Embedding speed through Hearth's engine path, against llama-cpp-python in-process, in the same run.

1. Throughput (chunks/s) of the same chunks, same batch size, same threads:
   ``EngineEmbedder`` (engine child process, OpenAI API over loopback) versus
   ``Llama.embed`` in this process. The goal is a ratio of at least 0.9.
2. Indexing 1,000 small generated files through the engine: time, and the
   size of the database it leaves.

The model is a small generated llama GGUF (256 wide, 4 layers, mean pooling)
so the run needs no download; the texts use words of its vocabulary, so a word
is about a token. Run with
``pytest -m benchmark tests/benchmarks/test_embedding_speed.py -s``; nothing
here asserts a time.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import llama_cpp
import pytest

from hearth.cli.library_cmds import resolve_model
from hearth.core.documents import DocumentStore, index_collection
from hearth.core.embeddings import embed_in_batches
from hearth.core.services import Services
from hearth.engine.embedder import EngineEmbedder
from hearth.engine.supervisor import EngineSupervisor

pytestmark = [pytest.mark.benchmark, pytest.mark.llama]

BATCH = 32
CHUNKS = 64
WORDS = ("the a and of to in is it you that was for on are with as one have this "
         "hello world model local hearth fire warm cat dog tea").split()


def sentences(count: int, words: int, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(words)) + "." for _ in range(count)]


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from hearth.core.tiny_model import write_tiny_gguf

    return write_tiny_gguf(tmp_path_factory.mktemp("bench") / "small-embedder.gguf", n_embd=256, n_layer=4,
                           n_head=4, n_head_kv=4, n_ff=1024, context_length=512,
                           extra={"llama.pooling_type": 1})


@pytest.fixture
def engine(services: Services, model: Path) -> Iterator[EngineEmbedder]:
    with EngineSupervisor(services.paths) as supervisor:
        embedder = EngineEmbedder.start(supervisor, resolve_model(services, str(model)), model_id=str(model))
        with embedder:
            yield embedder


def _interleaved(rounds: int, first: Callable[[], object], second: Callable[[], object]) -> tuple[float, float]:
    """Best times of ``first`` and ``second``, run in turns so that load from elsewhere hits both alike."""
    first(), second()  # warm up: first-call allocations, page cache, thread pools
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        for fn, out in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return min(times[0]), min(times[1])


def test_engine_throughput_against_llama_cpp_in_process(engine: EngineEmbedder, model: Path,
                                                        record_property: Callable) -> None:
    texts = sentences(CHUNKS, words=60)  # about 250 tokens each, like a default 256-token chunk
    assert engine.max_tokens is not None and engine.handle is not None
    threads = engine.handle.settings.n_threads  # the same threads both ways
    raw = llama_cpp.Llama(model_path=str(model), embedding=True, n_ctx=512, n_batch=engine.max_tokens,
                          n_ubatch=min(engine.max_tokens, 512), n_threads=threads, n_threads_batch=threads,
                          verbose=False)
    try:
        def raw_run() -> None:
            for start in range(0, len(texts), BATCH):
                raw.embed(texts[start:start + BATCH])

        raw_s, engine_s = _interleaved(4, raw_run, lambda: embed_in_batches(engine, texts, BATCH))
    finally:
        raw.close()
    tokens = sum(engine.count_tokens(t) for t in texts[:16]) / 16
    report = {
        "chunks": CHUNKS, "tokens_per_chunk": round(tokens), "batch": BATCH, "threads": threads,
        "engine_chunks_per_s": round(CHUNKS / engine_s, 1),
        "in_process_chunks_per_s": round(CHUNKS / raw_s, 1),
        "engine_vs_in_process": round(raw_s / engine_s, 3),
    }
    for key, value in report.items():
        record_property(key, value)
    print(f"\nembedding throughput: {report}")


def test_index_1000_small_files(engine: EngineEmbedder, services: Services, tmp_path: Path,
                                record_property: Callable) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    for index, text in enumerate(sentences(1000, words=24, seed=9)):
        (folder / f"note-{index:04d}.txt").write_text(f"Note {index}.\n{text}\n", encoding="utf-8")
    counted = 0
    count_tokens = engine.count_tokens

    def counting(text: str) -> int:
        nonlocal counted
        counted += 1
        return count_tokens(text)

    engine.count_tokens = counting  # type: ignore[method-assign]
    with DocumentStore.open(services.paths) as store:
        store.create("bench", [folder])
        start = time.perf_counter()
        report = index_collection(store, "bench", engine)
        first_s = time.perf_counter() - start
        start = time.perf_counter()
        again = index_collection(store, "bench", engine)
        second_s = time.perf_counter() - start
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # noqa: SLF001 - measure the settled file
    assert report.added == 1000 and again.unchanged == 1000
    db = services.paths.data / "documents.sqlite3"
    result = {
        "files": 1000, "chunks": report.chunks_embedded, "index_s": round(first_s, 2),
        "files_per_s": round(1000 / first_s, 1), "token_count_calls": counted,
        "unchanged_rescan_s": round(second_s, 3), "database_mb": round(db.stat().st_size / 1e6, 2),
    }
    for key, value in result.items():
        record_property(key, value)
    print(f"\nindexing 1,000 files: {result}")
