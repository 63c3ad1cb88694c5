"""Pick one quant per repository for this machine.

The rule, in order:

1. Judge every complete candidate with :func:`hearth.core.fit.assess`; drop those
   that won't fit. The best tier any candidate reaches wins (full GPU > partial
   GPU > CPU only): speed matters more than a notch of quality.
2. Within that tier, the highest *bit class* wins: the number in the quant's name
   (Q8_0 -> 8, Q6_K -> 6, Q5_K_M -> 5, Q4_K_M/IQ4_XS/MXFP4 -> 4, ...). 16/32-bit
   files count as class 8 but lose to any real 8-bit quant, because Q8_0 is
   practically lossless at half the size.
3. Within a class, the standard llama.cpp mix wins (Q8_0, Q6_K, Q5_K_M, Q4_K_M,
   Q3_K_M, Q2_K: the "K_M class", the most tested), then the higher bits per
   weight, then the smaller file, then the label (for a stable answer).

Candidates without a recognised quant rank below every known quant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from hearth.core.fit import DEFAULT_CONTEXT, FitLevel, FitVerdict, assess
from hearth.core.fit_inputs import FitCandidate, ModelShape, as_candidate
from hearth.core.hardware import HardwareProfile
from hearth.core.quants import QuantInfo

#: The one preferred mix in each bit class.
STANDARD_QUANTS = frozenset({"Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q3_K_M", "Q2_K"})
FULL_PRECISION = frozenset({"F32", "F16", "BF16"})
_CLASS_RE = re.compile(r"^(?:I?Q|TQ|MXFP)(\d)")
_TIER_WORDS = {
    FitLevel.FULL_GPU: "runs fully on the GPU",
    FitLevel.PARTIAL_GPU: "runs partly on the GPU",
    FitLevel.CPU_ONLY: "runs on the CPU",
}


def bit_class(quant: QuantInfo | None) -> int:
    """The bit class used for ranking; -1 for an unknown quant."""
    if quant is None:
        return -1
    if quant.name in FULL_PRECISION:
        return 8
    match = _CLASS_RE.match(quant.name)
    return int(match[1]) if match else int(quant.bits_per_weight)


def preference_key(cand: FitCandidate) -> tuple[int, bool, bool, float, int, str]:
    """Sort key within one tier: the smallest key is the preferred candidate."""
    q = cand.quant
    return (
        -bit_class(q),
        q is None or q.name in FULL_PRECISION,
        q is None or q.name not in STANDARD_QUANTS,
        -(q.bits_per_weight if q else 0.0),
        cand.size_bytes,
        cand.label,
    )


@dataclass(frozen=True)
class Recommendation:
    candidate: FitCandidate
    verdict: FitVerdict
    reason: str
    considered: tuple[tuple[FitCandidate, FitVerdict], ...]

    @property
    def label(self) -> str:
        return self.candidate.label

    @property
    def source(self) -> Any:
        """The object the chosen candidate came from (a QuantGroup, a library entry...)."""
        return self.candidate.source


def recommend(candidates: Iterable[Any], profile: HardwareProfile, *, shape: ModelShape | None = None,
              context: int = DEFAULT_CONTEXT) -> Recommendation | None:
    """The recommended candidate of one repository, or None when nothing fits (see module doc)."""
    judged = [(c, assess(c, profile, context)) for c in (as_candidate(x, shape) for x in candidates)]
    usable = [(c, v) for c, v in judged if c.complete and c.size_bytes > 0 and v.level is not FitLevel.WONT_FIT]
    if not usable:
        return None
    best_tier = max(v.level.rank for _, v in usable)
    tier = [(c, v) for c, v in usable if v.level.rank == best_tier]
    choice, verdict = min(tier, key=lambda cv: preference_key(cv[0]))
    reason = f"{choice.label or 'this file'}: the best quality here that {_TIER_WORDS[verdict.level]}"
    if len(tier) > 1 and choice.quant and choice.quant.name in STANDARD_QUANTS:
        reason += f" (the standard {choice.quant.name} mix)"
    return Recommendation(choice, verdict, reason + ".", tuple(judged))
