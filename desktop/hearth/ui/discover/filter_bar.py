"""The row of filters under the search box: license class, size, architecture and "fits this computer"."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QSizePolicy, QWidget

from hearth.core.hub_filters import SIZE_CHOICES, ResultFilters
from hearth.ui.discover.license_cell import LICENSE_CHOICES

ANY_ARCHITECTURE = "Any architecture"


def _combo(parent: QWidget, name: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setAccessibleName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return combo


class FilterBar(QWidget):
    """Emits :attr:`changed` with the new :class:`ResultFilters` whenever the user changes one."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.license = _combo(self, "License filter")
        for value, text in LICENSE_CHOICES:
            self.license.addItem(text, value)
        self.size_filter = _combo(self, "Size filter")
        for index, (text, _low, _high) in enumerate(SIZE_CHOICES):
            self.size_filter.addItem(text, index)
        self.architecture = _combo(self, "Architecture filter")
        self.architecture.addItem(ANY_ARCHITECTURE, "")
        self.fits = QCheckBox("Fits this computer", self)
        self.fits.setToolTip("Only models whose Q4_K_M file would run here (judged from the parameter count)")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        for widget in (self.license, self.size_filter, self.architecture):
            row.addWidget(widget)
        row.addSpacing(4)
        row.addWidget(self.fits)
        row.addStretch(1)
        for combo in (self.license, self.size_filter, self.architecture):
            combo.currentIndexChanged.connect(self._emit)
        self.fits.toggled.connect(self._emit)

    def filters(self) -> ResultFilters:
        _text, low, high = SIZE_CHOICES[max(0, self.size_filter.currentIndex())]
        return ResultFilters(license_class=str(self.license.currentData() or ""), min_parameters=low,
                             max_parameters=high, architecture=str(self.architecture.currentData() or ""),
                             fits_here=self.fits.isChecked())

    def set_architectures(self, names: list[str]) -> None:
        """Offer the architectures of the loaded results, keeping the current choice."""
        current = str(self.architecture.currentData() or "")
        wanted = sorted(set(names) | ({current} if current else set()), key=str.lower)
        if [self.architecture.itemData(i) for i in range(1, self.architecture.count())] == wanted:
            return
        self.architecture.blockSignals(True)
        self.architecture.clear()
        self.architecture.addItem(ANY_ARCHITECTURE, "")
        for name in wanted:
            self.architecture.addItem(name, name)
        self.architecture.setCurrentIndex(max(0, self.architecture.findData(current)))
        self.architecture.blockSignals(False)

    def _emit(self, *_args: object) -> None:
        self.changed.emit(self.filters())
