"""Will this model run here? A memory estimate and a verdict with the numbers behind it.

Memory needed = weights + KV cache + compute overhead:

* weights: the file size (llama.cpp maps the file; every byte ends up in RAM or VRAM);
* KV cache, f16, at ``context = min(model context, DEFAULT_CONTEXT)``:
  ``2 (K and V) * n_layer * context * n_kv_heads * head_dim * 2 bytes``, with
  ``head_dim = embedding_length / head_count`` unless the file states
  ``attention.key_length``/``value_length``. When layers or heads are unknown
  (e.g. a Hub listing before download) we use ``KV_FALLBACK_SHARE`` (10 %) of the
  weights, at least 32 MiB, and mark the estimate as not exact;
* overhead (compute buffers, scratch, the runtime itself): ``128 MiB + 5 %`` of the
  weights, a rule of thumb that over-estimates small models a little.

A verdict compares that total with what the machine has free, best tier first:
full GPU offload, partial offload (as many layers as fit in VRAM, the rest in RAM),
CPU only, or won't fit. RAM and VRAM budgets keep ``RAM_RESERVE``/``VRAM_RESERVE``
back for the system, the app and the GPU driver. Apple's unified memory is one pool:
there it is full GPU (within Metal's share), CPU, or won't fit, never partial.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from hearth.core.fit_inputs import FitCandidate, ModelShape, as_candidate
from hearth.core.hardware import HardwareProfile
from hearth.core.units import human_bytes

MIB = 1 << 20
GIB = 1 << 30
DEFAULT_CONTEXT = 4096
KV_BYTES = 2  # f16 cache entries
KV_FALLBACK_SHARE = 0.10
OVERHEAD_BASE = 128 * MIB
OVERHEAD_SHARE = 0.05
RAM_RESERVE = 512 * MIB
VRAM_RESERVE = 512 * MIB


class FitLevel(StrEnum):
    """Tiers, best first. ``rank`` orders them (higher is better)."""

    FULL_GPU = "full_gpu"
    PARTIAL_GPU = "partial_gpu"
    CPU_ONLY = "cpu_only"
    WONT_FIT = "wont_fit"

    @property
    def rank(self) -> int:
        return {"full_gpu": 3, "partial_gpu": 2, "cpu_only": 1, "wont_fit": 0}[self.value]


@dataclass(frozen=True)
class MemoryEstimate:
    weights: int
    kv_cache: int
    overhead: int
    context: int
    layers: int | None
    kv_exact: bool  # False when the KV figure is the fallback share of the weights

    @property
    def total(self) -> int:
        return self.weights + self.kv_cache + self.overhead


def estimate_memory(size_bytes: int, shape: ModelShape | None = None,
                    context: int = DEFAULT_CONTEXT) -> MemoryEstimate:
    """Bytes needed to run a model of ``size_bytes`` with ``shape`` at up to ``context`` tokens."""
    shape = shape or ModelShape()
    ctx = min(context, shape.context_length) if shape.context_length else context
    overhead = OVERHEAD_BASE + int(size_bytes * OVERHEAD_SHARE)
    kv_width = shape.kv_width
    if shape.block_count and kv_width:
        kv = shape.block_count * ctx * kv_width * KV_BYTES
        return MemoryEstimate(size_bytes, kv, overhead, ctx, shape.block_count, True)
    kv = max(32 * MIB, int(size_bytes * KV_FALLBACK_SHARE))
    return MemoryEstimate(size_bytes, kv, overhead, ctx, shape.block_count, False)


@dataclass(frozen=True)
class FitVerdict:
    """How a model fits, with the numbers behind it (bytes) for a "need vs have" bar.

    ``available_bytes`` is what the level was judged against: free VRAM for full GPU,
    VRAM + RAM for partial, RAM for CPU only and won't fit. ``gpu_layers`` counts the
    repeating layers on the GPU (None when the model's layer count is unknown).
    """

    level: FitLevel
    estimate: MemoryEstimate
    needed_bytes: int
    available_bytes: int
    ram_budget: int
    vram_budget: int
    gpu_layers: int | None
    total_layers: int | None
    gpu_share: float  # fraction of the needed bytes placed on the GPU
    gpu_available: bool
    fits_total_ram: bool  # would fit on the CPU if other programs freed memory

    @property
    def n_gpu_layers(self) -> int:
        """The value for llama.cpp's ``n_gpu_layers``: -1 means every layer."""
        if self.level is FitLevel.FULL_GPU:
            return -1
        if self.level is FitLevel.PARTIAL_GPU:
            return self.gpu_layers or 0
        return 0

    @property
    def summary(self) -> str:
        need = human_bytes(self.needed_bytes)
        if self.level is FitLevel.FULL_GPU:
            return f"Runs fully on the GPU: needs about {need} of {human_bytes(self.vram_budget)} free."
        if self.level is FitLevel.PARTIAL_GPU:
            layers = (f"{self.gpu_layers} of {self.total_layers} layers" if self.gpu_layers is not None
                      else f"{self.gpu_share:.0%} of it")
            return (f"Runs partly on the GPU ({layers}): needs about {need}; "
                    f"{human_bytes(self.vram_budget)} VRAM + {human_bytes(self.ram_budget)} RAM free.")
        if self.level is FitLevel.CPU_ONLY:
            return f"Runs on the CPU: needs about {need} of {human_bytes(self.ram_budget)} free RAM."
        hint = " It would fit if other programs freed memory." if self.fits_total_ram else ""
        return f"Too big for this computer: needs about {need}, {human_bytes(self.available_bytes)} free.{hint}"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["level"] = self.level.value
        data["estimate"]["total"] = self.estimate.total
        data["n_gpu_layers"] = self.n_gpu_layers
        data["summary"] = self.summary
        return data


def assess(candidate: Any, profile: HardwareProfile, context: int = DEFAULT_CONTEXT,
           shape: ModelShape | None = None) -> FitVerdict:
    """The verdict for one model (anything :func:`as_candidate` accepts) on ``profile``."""
    cand: FitCandidate = as_candidate(candidate, shape)
    est = estimate_memory(cand.size_bytes, cand.shape, context)
    need = est.total
    ram = max(0, profile.available_ram - RAM_RESERVE)
    gpu = profile.gpu_usable
    vram = max(0, profile.vram_bytes - (0 if profile.unified_memory else VRAM_RESERVE)) if gpu else 0
    layers = est.layers
    fits_total = need <= max(0, profile.total_ram - RAM_RESERVE)

    def verdict(level: FitLevel, available: int, gpu_layers: int | None, share: float) -> FitVerdict:
        return FitVerdict(level, est, need, available, ram, vram, gpu_layers, layers, share, gpu, fits_total)

    if gpu and need <= vram:
        return verdict(FitLevel.FULL_GPU, vram, layers, 1.0)
    if gpu and not profile.unified_memory:
        on_gpu, gpu_layers = _partial_split(est, vram)
        if on_gpu > 0 and need - on_gpu <= ram:
            return verdict(FitLevel.PARTIAL_GPU, vram + ram, gpu_layers, on_gpu / need)
    if need <= ram:
        return verdict(FitLevel.CPU_ONLY, ram, 0, 0.0)
    return verdict(FitLevel.WONT_FIT, ram + (vram if not profile.unified_memory else 0), 0, 0.0)


def _partial_split(est: MemoryEstimate, vram: int) -> tuple[int, int | None]:
    """Bytes and layers that fit on the GPU; compute buffers go there first.

    Each repeating layer holds weights/(layers+1) (the +1 stands for embeddings and
    output) plus its share of the KV cache. Without a layer count, bytes only.
    """
    room = vram - est.overhead
    if room <= 0:
        return 0, 0
    if not est.layers:
        # Offloading a sliver is not worth the transfer cost; require a twentieth.
        offloadable = est.weights + est.kv_cache
        return (est.overhead + min(room, offloadable), None) if room * 20 >= offloadable else (0, 0)
    per_layer = est.weights / (est.layers + 1) + est.kv_cache / est.layers
    count = min(est.layers, int(room // per_layer))
    return (est.overhead + int(count * per_layer), count) if count else (0, 0)
