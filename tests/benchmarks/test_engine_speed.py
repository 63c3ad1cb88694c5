"""Hearth's full chat path against raw llama-cpp-python in this process, in the same run.

Hearth's path: EngineClient (openai) -> HTTP on loopback -> the engine process
(llama_cpp.server under uvicorn) -> streamed server-sent events back. The
baseline: ``Llama.create_chat_completion(stream=True)`` in-process, with the
same model file, context, threads, batch, chat format, prompts and greedy
sampling, so both produce the same tokens. Rounds alternate the two paths and
every round uses a new prompt, so neither side answers from a cached prompt.

Reported: time to first token (includes prompt processing), prompt tokens per
second, and generation tokens per second after the first token, as medians;
plus the ratios (goal: generation >= 0.95 of raw, first-token overhead < 30 ms).
It runs twice: with every physical core computing (Hearth's default), where the
HTTP path's own work has to share the cores with llama.cpp's threads, and with
one core left free for it.
Run with ``pytest -m benchmark tests/benchmarks/test_engine_speed.py -s``; nothing
here asserts a time.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import llama_cpp
import pytest

from hearth.core.paths import Paths
from hearth.engine.client import EngineClient, SamplingParams
from hearth.engine.load_settings import LoadSettings, physical_cores, resolve_load_settings
from hearth.engine.supervisor import EngineSupervisor
from tests.helpers.engines import entry_for

pytestmark = [pytest.mark.benchmark, pytest.mark.llama]

ROUNDS = 8
MAX_TOKENS = 64
CONTEXT = 4096
STORY = (
    "A small fox lived at the edge of a pine forest, next to a village where the bakers rose before the sun. "
    "Every morning the smell of warm bread drifted between the trees, and every morning the fox sat on a "
    "mossy stone and wondered how flour, water and fire could become something so wonderful. One winter, "
    "when the snow was deep and the mice were hiding, the fox decided to learn. She watched the old baker "
    "through a frosted window: the kneading, the waiting, the shaping, the patient heat of the oven. "
)


def _prompt(round_no: int) -> list[dict[str, str]]:
    return [{"role": "user", "content": f"Story {round_no}. {STORY} Continue the story in a cheerful tone."}]


def _raw_run(model: llama_cpp.Llama, messages: list[dict[str, str]]) -> dict[str, float]:
    start = time.perf_counter()
    first = last = None
    pieces = 0
    for chunk in model.create_chat_completion(messages, max_tokens=MAX_TOKENS, temperature=0.0, seed=1,  # type: ignore[arg-type]
                                              stream=True):
        if chunk["choices"] and chunk["choices"][0]["delta"].get("content"):  # type: ignore[index]
            last = time.perf_counter()
            first = first or last
            pieces += 1
    assert first is not None and last is not None
    return {"ttft": first - start, "gen": (pieces - 1) / (last - first) if last > first else 0.0, "tokens": pieces}


def _hearth_run(client: EngineClient, messages: list[dict[str, str]]) -> dict[str, float]:
    stats = client.chat(messages, SamplingParams(max_tokens=MAX_TOKENS, temperature=0.0, seed=1)).stats
    assert stats.time_to_first_token is not None and stats.tokens_per_second is not None
    return {"ttft": stats.time_to_first_token, "gen": stats.tokens_per_second,
            "tokens": stats.completion_tokens, "prompt_tokens": stats.prompt_tokens or 0}


def _thread_counts() -> list[int]:
    """All physical cores (Hearth's default), and one fewer, which leaves a core for the HTTP path."""
    cores = physical_cores()
    return [cores, cores - 1] if cores > 1 else [cores]


@pytest.mark.parametrize("threads", _thread_counts())
def test_engine_path_against_raw_llama_cpp(gemma_gguf: Path, tmp_path: Path, record_property: Callable,
                                          threads: int) -> None:
    entry = entry_for(gemma_gguf)
    settings = resolve_load_settings(entry, LoadSettings(context_length=CONTEXT, threads=threads))
    raw = llama_cpp.Llama(
        str(gemma_gguf), n_ctx=settings.n_ctx, n_threads=settings.n_threads, n_threads_batch=settings.n_threads,
        n_batch=settings.n_batch, n_ubatch=min(settings.n_batch, 512), chat_format=settings.chat_format,
        n_gpu_layers=0, verbose=False,
    )
    hearth: list[dict[str, float]] = []
    baseline: list[dict[str, float]] = []
    with EngineSupervisor(Paths.resolve(tmp_path / "home").ensure()) as supervisor:
        handle = supervisor.start(entry, settings)
        with handle.client() as client:
            _hearth_run(client, _prompt(-1))  # warm both: page the weights in, build the graphs
            _raw_run(raw, _prompt(-1))
            for round_no in range(ROUNDS):
                messages = _prompt(round_no)
                if round_no % 2 == 0:  # alternate who goes first
                    hearth.append(_hearth_run(client, messages))
                    baseline.append(_raw_run(raw, messages))
                else:
                    baseline.append(_raw_run(raw, messages))
                    hearth.append(_hearth_run(client, messages))
    raw.close()
    # Greedy decoding: both paths produce the same tokens, so the rates compare like for like.
    assert [r["tokens"] for r in hearth] == [r["tokens"] for r in baseline]

    def median(rows: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in rows)

    prompt_tokens = median(hearth, "prompt_tokens")
    report = {
        "model": entry.name, "threads": settings.n_threads, "n_ctx": settings.n_ctx, "rounds": ROUNDS,
        "prompt_tokens": prompt_tokens, "completion_tokens": median(hearth, "tokens"),
        "hearth_ttft_ms": round(median(hearth, "ttft") * 1000, 1),
        "raw_ttft_ms": round(median(baseline, "ttft") * 1000, 1),
        "ttft_overhead_ms": round(
            statistics.median(h["ttft"] - b["ttft"] for h, b in zip(hearth, baseline, strict=True)) * 1000, 1),
        "hearth_prompt_tok_s": round(prompt_tokens / median(hearth, "ttft"), 1),
        "raw_prompt_tok_s": round(prompt_tokens / median(baseline, "ttft"), 1),
        "hearth_gen_tok_s": round(median(hearth, "gen"), 1),
        "raw_gen_tok_s": round(median(baseline, "gen"), 1),
    }
    report["prompt_ratio"] = round(report["hearth_prompt_tok_s"] / report["raw_prompt_tok_s"], 3)
    report["generation_ratio"] = round(report["hearth_gen_tok_s"] / report["raw_gen_tok_s"], 3)
    for key, value in report.items():
        record_property(key, value)
    print("\nengine speed vs raw llama-cpp-python:", json.dumps(report, indent=2))
