"""Memory estimates, fit verdicts on imaginary machines, and the one-quant-per-repo rule."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from hearth.core.fit import (
    DEFAULT_CONTEXT,
    MIB,
    OVERHEAD_BASE,
    FitLevel,
    assess,
    estimate_memory,
)
from hearth.core.fit_inputs import FitCandidate, ModelShape, as_candidate, shape_from_facts
from hearth.core.gguf_facts import read_facts
from hearth.core.quants import QuantInfo, quant_info
from hearth.core.recommend import bit_class, recommend
from hearth.core.services import Services
from hearth.core.units import human_bytes
from tests.helpers.fake_hardware import (
    DESKTOP_NVIDIA,
    LAPTOP_8GB,
    LLAMA_1B,
    LLAMA_8B,
    LLAMA_70B,
    MAC_32GB,
    PROFILES,
    QWEN_14B,
    TINY_4GB,
    candidate,
    llama_8b_repo,
)

TinyGGUF = Callable[..., Path]
FULL, PARTIAL, CPU, NO = FitLevel.FULL_GPU, FitLevel.PARTIAL_GPU, FitLevel.CPU_ONLY, FitLevel.WONT_FIT


def test_kv_cache_formula_for_llama_8b() -> None:
    est = estimate_memory(4_920_000_000, LLAMA_8B)
    # 2 (K,V) * 32 layers * 4096 tokens * 8 KV heads * 128 head dim * 2 bytes
    assert est.kv_cache == 2 * 32 * 4096 * 8 * 128 * 2 == 512 * MIB
    assert est.context == DEFAULT_CONTEXT and est.kv_exact and est.layers == 32
    assert est.overhead == OVERHEAD_BASE + int(4_920_000_000 * 0.05)
    assert est.total == est.weights + est.kv_cache + est.overhead


def test_context_is_capped_by_the_model() -> None:
    short = ModelShape(block_count=2, context_length=512, embedding_length=64, head_count=4, head_count_kv=2)
    assert estimate_memory(1000, short).context == 512
    assert estimate_memory(1000, LLAMA_8B, context=16384).context == 16384
    assert estimate_memory(1000, ModelShape(), context=2048).context == 2048


def test_explicit_key_and_value_widths_win() -> None:
    gemma_like = ModelShape(block_count=18, context_length=32768, embedding_length=640, head_count=4,
                            head_count_kv=1, key_length=256, value_length=256)
    assert gemma_like.kv_width == 512  # not 2 * 640/4
    assert estimate_memory(253_000_000, gemma_like).kv_cache == 18 * 4096 * 512 * 2


def test_unknown_shape_uses_the_documented_fallback() -> None:
    est = estimate_memory(4_920_000_000)
    assert est.kv_exact is False and est.layers is None
    assert est.kv_cache == 492_000_000
    assert estimate_memory(10_000_000).kv_cache == 32 * MIB  # the floor


@pytest.mark.parametrize(("profile", "shape", "size", "level"), [
    # CPU-only 8 GB laptop
    ("laptop_8gb", LLAMA_1B, 808_000_000, CPU),
    ("laptop_8gb", LLAMA_8B, 4_920_000_000, CPU),
    ("laptop_8gb", LLAMA_8B, 8_540_000_000, NO),
    # 16 GB + 8 GB NVIDIA desktop
    ("desktop_nvidia", LLAMA_1B, 2_480_000_000, FULL),
    ("desktop_nvidia", LLAMA_8B, 4_920_000_000, FULL),
    ("desktop_nvidia", LLAMA_8B, 8_540_000_000, PARTIAL),
    ("desktop_nvidia", QWEN_14B, 8_990_000_000, PARTIAL),
    ("desktop_nvidia", LLAMA_70B, 42_500_000_000, NO),
    # 32 GB Apple M-series (unified memory)
    ("mac_32gb", LLAMA_8B, 8_540_000_000, FULL),
    ("mac_32gb", QWEN_14B, 8_990_000_000, FULL),
    ("mac_32gb", LLAMA_70B, 42_500_000_000, NO),
    # 4 GB machine
    ("tiny_4gb", LLAMA_1B, 808_000_000, CPU),
    ("tiny_4gb", LLAMA_1B, 2_480_000_000, NO),
    ("tiny_4gb", LLAMA_8B, 4_920_000_000, NO),
])
def test_verdicts_on_fake_machines(profile: str, shape: ModelShape, size: int, level: FitLevel) -> None:
    hw = PROFILES[profile]
    verdict = assess(FitCandidate(None, size, shape), hw)
    assert verdict.level is level
    assert verdict.needed_bytes == estimate_memory(size, shape).total
    if level is FULL:
        assert verdict.needed_bytes <= verdict.available_bytes == verdict.vram_budget
        assert verdict.n_gpu_layers == -1 and verdict.gpu_share == 1.0
    elif level is PARTIAL:
        assert 0 < verdict.gpu_layers < shape.block_count  # type: ignore[operator]
        assert verdict.n_gpu_layers == verdict.gpu_layers
        assert verdict.available_bytes == verdict.vram_budget + verdict.ram_budget
        assert 0 < verdict.gpu_share < 1
    elif level is CPU:
        assert verdict.needed_bytes <= verdict.available_bytes == verdict.ram_budget
        assert verdict.n_gpu_layers == 0
    else:
        assert verdict.needed_bytes > verdict.available_bytes
    assert human_bytes(verdict.needed_bytes) in verdict.summary
    json.dumps(verdict.to_json())


def test_partial_offload_layer_count() -> None:
    verdict = assess(FitCandidate(None, 8_540_000_000, LLAMA_8B), DESKTOP_NVIDIA)
    est = verdict.estimate
    per_layer = est.weights / 33 + est.kv_cache / 32
    assert verdict.gpu_layers == int((verdict.vram_budget - est.overhead) // per_layer) == 25
    assert verdict.total_layers == 32
    assert "25 of 32 layers" in verdict.summary


def test_partial_offload_without_layer_count() -> None:
    verdict = assess(FitCandidate(None, 9_000_000_000), DESKTOP_NVIDIA)
    assert verdict.level is PARTIAL and verdict.gpu_layers is None and verdict.n_gpu_layers == 0
    assert "%" in verdict.summary


def test_unified_memory_is_never_partial() -> None:
    big = ModelShape(block_count=64, context_length=32768, embedding_length=5120, head_count=40, head_count_kv=8)
    verdict = assess(FitCandidate(None, 21_000_000_000, big), MAC_32GB)
    assert verdict.needed_bytes > MAC_32GB.vram_bytes
    assert verdict.level is CPU


def test_cpu_only_build_ignores_the_gpu() -> None:
    from dataclasses import replace

    cpu_build = replace(DESKTOP_NVIDIA, gpu_offload=False)
    verdict = assess(FitCandidate(None, 4_920_000_000, LLAMA_8B), cpu_build)
    assert verdict.level is CPU and verdict.gpu_available is False and verdict.vram_budget == 0


def test_wont_fit_says_when_freeing_memory_would_help() -> None:
    verdict = assess(FitCandidate(None, 2_480_000_000, LLAMA_1B), TINY_4GB)
    assert verdict.level is NO and verdict.fits_total_ram
    assert "other programs" in verdict.summary
    hopeless = assess(FitCandidate(None, 42_500_000_000, LLAMA_70B), TINY_4GB)
    assert not hopeless.fits_total_ram and "other programs" not in hopeless.summary


# ---- what can be passed in ---------------------------------------------------------------
@dataclass
class FakeQuantGroup:
    """The field names of the Hub client's QuantGroup (label, quant, total_size, missing_parts)."""

    label: str
    quant: QuantInfo | None
    sizes: list[int]
    missing_parts: list[int] = field(default_factory=list)

    @property
    def total_size(self) -> int:
        return sum(self.sizes)


def test_candidates_from_hub_groups_entries_and_facts(tiny_gguf: TinyGGUF, services: Services) -> None:
    group = FakeQuantGroup("Q4_K_M", quant_info("Q4_K_M"), [3_000_000_000, 1_920_000_000])
    cand = as_candidate(group, LLAMA_8B)
    assert (cand.label, cand.size_bytes, cand.shape, cand.complete) == ("Q4_K_M", 4_920_000_000, LLAMA_8B, True)
    assert cand.source is group
    assert as_candidate(FakeQuantGroup("Q8_0", quant_info("Q8_0"), [1], [2])).complete is False

    path = tiny_gguf("Tiny-Q8_0.gguf", folder=services.paths.models / "me" / "tiny", quant="Q8_0")
    entry = services.library.scan()[0]
    from_entry = as_candidate(entry)
    assert from_entry.quant == quant_info("Q8_0")
    assert from_entry.size_bytes == path.stat().st_size
    assert from_entry.shape.block_count == 2 and from_entry.shape.head_count_kv == 2
    assert from_entry.shape.context_length == 512
    from_facts = as_candidate(read_facts(path))
    assert from_facts.shape == from_entry.shape and from_facts.size_bytes == from_entry.size_bytes
    assert assess(entry, LAPTOP_8GB).estimate.context == 512


def test_real_hub_quant_group_if_present() -> None:
    hub_models = pytest.importorskip("hearth.core.hub_models")
    group = hub_models.QuantGroup("Q4_K_M", quant_info("Q4_K_M"), [hub_models.HubFile("a-Q4_K_M.gguf", 4_920_000_000)])
    assert as_candidate(group).size_bytes == 4_920_000_000


def test_key_length_read_from_the_header(tiny_gguf: TinyGGUF) -> None:
    path = tiny_gguf(extra={"llama.attention.key_length": 32, "llama.attention.value_length": 32})
    shape = shape_from_facts(read_facts(path))
    assert (shape.key_length, shape.value_length, shape.kv_width) == (32, 32, 2 * (32 + 32))


# ---- the recommendation rule -------------------------------------------------------------
def test_bit_classes() -> None:
    assert [bit_class(quant_info(n)) for n in ("Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "IQ4_XS", "MXFP4",
                                                "Q3_K_L", "IQ2_XXS", "TQ1_0", "F16", "BF16", "F32")] == \
        [8, 6, 5, 4, 4, 4, 3, 2, 1, 8, 8, 8]
    assert bit_class(None) == -1


def test_best_tier_then_highest_class_on_the_nvidia_desktop() -> None:
    rec = recommend(llama_8b_repo(), DESKTOP_NVIDIA)
    assert rec is not None
    # Q6_K and Q8_0 would only run partly on the GPU; Q5_K_M is the best that runs fully there.
    assert rec.label == "Q5_K_M" and rec.verdict.level is FULL
    levels = {c.label: v.level for c, v in rec.considered}
    assert levels["Q6_K"] is PARTIAL and levels["Q8_0"] is PARTIAL and levels["F16"] is PARTIAL
    assert "fully on the GPU" in rec.reason


def test_q4_k_m_wins_its_class_at_equal_fit_on_the_laptop() -> None:
    rec = recommend(llama_8b_repo(), LAPTOP_8GB)
    assert rec is not None
    # Q4_K_S, IQ4_XS and UD-Q4_K_XL fit the CPU equally; UD-Q4_K_XL even has more bits per weight.
    assert rec.label == "Q4_K_M" and rec.verdict.level is CPU
    assert "standard Q4_K_M" in rec.reason


def test_mac_takes_the_best_quant_that_fits_unified_memory() -> None:
    rec = recommend(llama_8b_repo(), MAC_32GB)
    assert rec is not None and rec.label == "Q8_0" and rec.verdict.level is FULL  # Q8_0 beats F16


def test_full_precision_beats_lower_classes_when_it_is_all_there_is() -> None:
    cands = [candidate("F16", 2_480_000_000, LLAMA_1B), candidate("Q6_K", 1_020_000_000, LLAMA_1B)]
    rec = recommend(cands, DESKTOP_NVIDIA)
    assert rec is not None and rec.label == "F16"


def test_partial_tier_when_nothing_runs_fully() -> None:
    sizes = {"Q4_K_M": 8_990_000_000, "Q5_K_M": 10_510_000_000, "Q3_K_M": 7_340_000_000}
    rec = recommend([candidate(k, v, QWEN_14B) for k, v in sizes.items()], DESKTOP_NVIDIA)
    assert rec is not None and rec.verdict.level is PARTIAL and rec.label == "Q5_K_M"


def test_nothing_fits_gives_none() -> None:
    assert recommend([candidate("Q4_K_M", 42_500_000_000, LLAMA_70B)], TINY_4GB) is None
    assert recommend([], DESKTOP_NVIDIA) is None


def test_incomplete_and_unknown_candidates() -> None:
    shape = LLAMA_8B
    groups = [FakeQuantGroup("Q5_K_M", quant_info("Q5_K_M"), [5_730_000_000], missing_parts=[2]),
              FakeQuantGroup("Q4_K_M", quant_info("Q4_K_M"), [4_920_000_000]),
              FakeQuantGroup("mystery", None, [4_000_000_000])]
    rec = recommend(groups, DESKTOP_NVIDIA, shape=shape)
    assert rec is not None and rec.source is groups[1]
    only_unknown = recommend(groups[2:], DESKTOP_NVIDIA, shape=shape)
    assert only_unknown is not None and only_unknown.label == "mystery"


def test_ties_are_deterministic() -> None:
    a = candidate("Q4_K_M", 4_920_000_000, LLAMA_8B)
    b = FitCandidate(quant_info("Q4_K_M"), 4_900_000_000, LLAMA_8B, label="Q4_K_M (other upload)")
    for order in ([a, b], [b, a]):
        rec = recommend(order, DESKTOP_NVIDIA)
        assert rec is not None and rec.candidate == b  # the smaller file
