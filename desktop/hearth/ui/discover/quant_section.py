"""The "Files" part of a repository's pane: its quants with their fit, projectors, and the Download button.

The table is as tall as its rows (the pane scrolls, not the table). The
recommended quant is selected when a repository opens; the Download button,
a double-click or Enter acts on the selected quant and is emitted as
:attr:`QuantSection.download_requested`.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hearth.core.hub_models import QuantGroup
from hearth.core.units import human_bytes
from hearth.ui.common_widgets import label
from hearth.ui.discover.jobs import DetailResult
from hearth.ui.discover.quant_delegate import ROW_HEIGHT, QuantDelegate
from hearth.ui.discover.quant_model import Column, QuantTableModel

NO_GGUF_TEXT = "This repository has no GGUF model files, so Hearth cannot run it."


def recommendation_text(result: DetailResult) -> str:
    """One line above the quants: which one Hearth picks here and what the fit was judged against."""
    fits = result.fits
    if fits is None or not fits.verdicts:
        return ""
    first = next(iter(fits.verdicts.values()))
    budget = f"{human_bytes(first.ram_budget)} of free memory"
    if first.gpu_available and first.vram_budget:
        budget += f" and {human_bytes(first.vram_budget)} of GPU memory"
    if fits.recommended is None:
        return f"None of these fits this computer ({budget} free for a model)."
    return f"Recommended here: {fits.reason} Judged against {budget}."


def projector_text(result: DetailResult) -> str:
    files = result.detail.projectors
    if not files:
        return ""
    listed = ", ".join(f"{f.path} ({human_bytes(f.size)})" for f in files)
    noun = "Vision projector" if len(files) == 1 else "Vision projectors"
    return f"{noun} (for image input, downloaded separately): {listed}"


class QuantSection(QWidget):
    download_requested = Signal(object)  # QuantGroup

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QuantTableModel(self)
        self.table = self._make_table()
        self.recommendation = label("", "muted", wrap=True, selectable=True, parent=self)
        self.projectors = label("", "muted", selectable=True, wrap=True, parent=self)
        self.no_gguf = label(NO_GGUF_TEXT, wrap=True, parent=self)
        self.download_button = QPushButton("Download", self)
        self.download_button.setProperty("primary", True)
        self.download_button.clicked.connect(self._download_clicked)
        self.download_note = label("", "muted", wrap=True, parent=self)
        for widget in (self.no_gguf, self.projectors, self.recommendation):
            widget.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(label("Files", "heading", parent=self))
        layout.addWidget(self.recommendation)
        layout.addWidget(self.no_gguf)
        layout.addWidget(self.table)
        layout.addWidget(self.projectors)
        row = QHBoxLayout()
        row.setContentsMargins(0, 4, 0, 0)
        row.setSpacing(10)
        row.addWidget(self.download_button)
        row.addWidget(self.download_note, 1)
        layout.addLayout(row)

    def _make_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.model)
        table.setItemDelegate(QuantDelegate(table))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        table.setAccessibleName("Quants")
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setMinimumSectionSize(40)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.FIT, QHeaderView.ResizeMode.Stretch)
        for column in (Column.BITS, Column.SIZE):  # drawn under the quant's name by QuantDelegate
            table.setColumnHidden(column, True)
        table.doubleClicked.connect(lambda _index: self._download_clicked())
        table.activated.connect(lambda _index: self._download_clicked())
        table.selectionModel().currentRowChanged.connect(lambda *_args: self.refresh_button())
        self.model.modelReset.connect(self._fit_table_height)
        return table

    def _fit_table_height(self) -> None:
        height = self.table.horizontalHeader().sizeHint().height() + self.model.rowCount() * ROW_HEIGHT
        self.table.setFixedHeight(height + 2 * self.table.frameWidth())

    # ---- content -------------------------------------------------------------------------
    def clear(self) -> None:
        self.model.set_groups([], None)
        self.set_note("")

    def show_result(self, result: DetailResult) -> None:
        detail = result.detail
        self.model.set_groups(detail.quant_groups, result.fits, result.installed)
        has_gguf = bool(detail.quant_groups)
        self.no_gguf.setVisible(not has_gguf)
        for widget in (self.table, self.download_button, self.download_note):
            widget.setVisible(has_gguf)
        self.recommendation.setText(recommendation_text(result))
        self.recommendation.setVisible(bool(self.recommendation.text()))
        self.projectors.setText(projector_text(result))
        self.projectors.setVisible(bool(detail.projectors))
        self._select_default()
        self.set_note("")

    def _select_default(self) -> None:
        row = self.model.row_of(self.model.recommended or "")
        if row < 0:
            row = next((r for r, g in enumerate(self.model.groups()) if g.complete), 0)
        if self.model.rowCount():
            flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                     | QItemSelectionModel.SelectionFlag.Current)
            self.table.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)
        self.refresh_button()

    def select_group(self, label_text: str) -> bool:
        row = self.model.row_of(label_text)
        if row < 0:
            return False
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                 | QItemSelectionModel.SelectionFlag.Current)
        self.table.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)
        self.refresh_button()
        return True

    def selected_group(self) -> QuantGroup | None:
        index: QModelIndex = self.table.selectionModel().currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return None
        return self.model.group(index.row())

    def mark_installed(self, label_text: str) -> None:
        self.model.mark_installed(label_text)
        self.refresh_button()

    # ---- the button ----------------------------------------------------------------------
    def refresh_button(self) -> None:
        group = self.selected_group()
        button = self.download_button
        if group is None:
            button.setEnabled(False)
            button.setText("Download")
            return
        installed = self.model.is_installed(group.label)
        button.setEnabled(group.complete and not installed)
        if installed:
            button.setText(f"{group.label} is in your library")
        elif not group.complete:
            button.setText(f"{group.label} is incomplete on the Hub")
        else:
            button.setText(f"Download {group.label} ({human_bytes(group.total_size)})")

    def _download_clicked(self) -> None:
        group = self.selected_group()
        if group is not None and self.download_button.isEnabled():
            self.download_requested.emit(group)

    def set_note(self, text: str, color: str | None = None) -> None:
        """A line beside the button: "Added to Downloads" (``color`` theme.SUCCESS) or why it was not."""
        self.download_note.setText(text)
        self.download_note.setStyleSheet(f"color: {color};" if color else "")
