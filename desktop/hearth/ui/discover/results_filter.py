"""Client-side filters over the loaded search results: license class, size, architecture, fits here.

The Hub's search cannot filter by these, so the proxy hides rows of the pages
already loaded; the Hub's own order is kept (the proxy never sorts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QSortFilterProxyModel

from hearth.core.fit import FitLevel, assess
from hearth.core.fit_inputs import FitCandidate, ModelShape
from hearth.core.hardware import HardwareProfile
from hearth.core.hub_models import RepoSummary
from hearth.core.quants import quant_info
from hearth.ui.discover.results_model import LICENSE_CLASS_ROLE, SUMMARY_ROLE, Index

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


class ResultsFilterProxy(QSortFilterProxyModel):
    """Set filters with :meth:`set_filters`; the hardware profile arrives later from a probe."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._filters = ResultFilters()
        self._profile: HardwareProfile | None = None

    @property
    def filters(self) -> ResultFilters:
        return self._filters

    @property
    def profile(self) -> HardwareProfile | None:
        return self._profile

    def set_filters(self, filters: ResultFilters) -> None:
        if filters != self._filters:
            self._refilter(lambda: setattr(self, "_filters", filters))

    def update_filters(self, **changes: object) -> None:
        self.set_filters(replace(self._filters, **changes))  # type: ignore[arg-type]

    def set_profile(self, profile: HardwareProfile) -> None:
        self._refilter(lambda: setattr(self, "_profile", profile))

    def _refilter(self, change: Callable[[], None]) -> None:
        if hasattr(self, "beginFilterChange") and hasattr(self, "endFilterChange"):  # Qt >= 6.10
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        summary = model.data(index, SUMMARY_ROLE)
        if summary is None:
            return False
        return self._filters.accepts(summary, str(model.data(index, LICENSE_CLASS_ROLE) or ""), self._profile)
