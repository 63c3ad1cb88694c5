"""The proxy that applies :mod:`hearth.core.hub_filters` to the loaded search results.

The Hub's search cannot filter by these, so the proxy hides rows of the pages
already loaded; the Hub's own order is kept (the proxy never sorts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, QSortFilterProxyModel

from hearth.core.hardware import HardwareProfile
from hearth.core.hub_filters import ResultFilters
from hearth.ui.discover.results_model import LICENSE_CLASS_ROLE, SUMMARY_ROLE, Index


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
