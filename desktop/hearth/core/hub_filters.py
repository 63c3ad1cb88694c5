"""Filters over Hub search results that the Hub cannot apply itself: license class, size, architecture, fit.

Plain Python so the rules are tested without a display; Discover's proxy model
applies them to the rows it has loaded.
"""

from __future__ import annotations

from dataclasses import dataclass

from hearth.core.fit import FitLevel, assess
from hearth.core.fit_inputs import FitCandidate, ModelShape
from hearth.core.hardware import HardwareProfile
from hearth.core.hub_models import RepoSummary
from hearth.core.quants import quant_info

B = 1_000_000_000
#: (label, lowest parameters, highest parameters) for the size filter; None is open-ended.
SIZE_CHOICES: tuple[tuple[str, int | None, int | None], ...] = (
    ("Any size", None, None),
    ("Under 1B", None, 1 * B),
    ("1B – 4B", 1 * B, 4 * B),
    ("4B – 10B", 4 * B, 10 * B),
    ("10B – 35B", 10 * B, 35 * B),
    ("Over 35B", 35 * B, None),
)
#: "Fits this computer" judges the repository by its Q4_K_M file, the size most people pick.
REFERENCE_QUANT = "Q4_K_M"


def summary_fits(summary: RepoSummary, profile: HardwareProfile) -> bool | None:
    """Whether the reference quant of this model would run here; None when its size is unknown."""
    quant = quant_info(REFERENCE_QUANT)
    if not summary.parameters or quant is None:
        return None
    size = int(summary.parameters * quant.bits_per_weight / 8)
    candidate = FitCandidate(quant, size, ModelShape(context_length=summary.context_length), REFERENCE_QUANT)
    return assess(candidate, profile).level is not FitLevel.WONT_FIT


@dataclass(frozen=True)
class ResultFilters:
    license_class: str = ""  # "" for any
    min_parameters: int | None = None
    max_parameters: int | None = None
    architecture: str = ""  # "" for any
    fits_here: bool = False

    def accepts(self, summary: RepoSummary, license_class: str, profile: HardwareProfile | None) -> bool:
        if self.license_class and license_class != self.license_class:
            return False
        if self.min_parameters is not None or self.max_parameters is not None:
            if not summary.parameters:
                return False
            if self.min_parameters is not None and summary.parameters < self.min_parameters:
                return False
            if self.max_parameters is not None and summary.parameters >= self.max_parameters:
                return False
        if self.architecture and (summary.architecture or "").lower() != self.architecture.lower():
            return False
        if self.fits_here and profile is not None:
            return summary_fits(summary, profile) is True  # unknown sizes are hidden: Hearth cannot promise
        return True
