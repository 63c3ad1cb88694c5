"""The search results table: two-line name cells, the Hub's order, and "load more" as the end nears.

:attr:`ResultsView.wants_more` fires when the user scrolls within a few rows of
the end, or when the rows loaded so far do not fill the view. Filling is capped
(:data:`MAX_FILL_LOADS` in a row) so a filter that hides almost everything
cannot make the page walk through every result on the Hub by itself.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from hearth.ui.badges import BadgeDelegate
from hearth.ui.discover.results_delegate import ROW_HEIGHT, ResultsDelegate
from hearth.ui.discover.results_model import Column

COLUMN_WIDTHS = {Column.PARAMETERS: 68, Column.DOWNLOADS: 84, Column.LIKES: 56, Column.UPDATED: 90,
                 Column.LICENSE: 230}
LOAD_AHEAD_ROWS = 4  # ask for the next page this many rows before the end
MAX_FILL_LOADS = 3  # pages asked for in a row only to fill the view


class ResultsView(QTableView):
    wants_more = Signal(bool)  # True when only to fill the view (the page then calls counted_fill)

    def __init__(self, model: QAbstractItemModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fill_loads = 0
        self.setModel(model)
        self.setItemDelegate(ResultsDelegate(self))
        self.setItemDelegateForColumn(Column.LICENSE, BadgeDelegate(self, max_pills=2))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.setAccessibleName("Search results")
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(48)
        for column, width in COLUMN_WIDTHS.items():
            self.setColumnWidth(column, width)
        self.setColumnHidden(Column.AUTHOR, True)  # drawn under the name by ResultsDelegate
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(lambda _value: self.check_more())
        bar.rangeChanged.connect(lambda _low, _high: self.check_more())

    def reset_fill(self) -> None:
        """A new search or filter: the view may be filled again."""
        self._fill_loads = 0

    def counted_fill(self) -> None:
        """A page was asked for only to fill the view."""
        self._fill_loads += 1

    def check_more(self) -> None:
        """Emit :attr:`wants_more` if the end is near or the view is not full (call after rows arrive)."""
        bar = self.verticalScrollBar()
        if bar.maximum() == 0:
            if self._fill_loads < MAX_FILL_LOADS:
                self.wants_more.emit(True)
        elif bar.value() >= bar.maximum() - LOAD_AHEAD_ROWS * ROW_HEIGHT:
            self._fill_loads = 0
            self.wants_more.emit(False)
