"""Searching one collection: a query box, the top-k passages (file, position, scores), and opening the file."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget

from hearth.core.documents import DocumentSearch, DocumentStore, SearchHit
from hearth.ui.common_widgets import label
from hearth.ui.dialogs import Dialogs
from hearth.ui.embeddings.documents_models import HitsModel, RowsModel
from hearth.ui.embeddings.model_picker import ModelPicker
from hearth.ui.message_bar import ERROR, INFO, WARNING
from hearth.ui.task_runner import Task, TaskRunner
from hearth.ui.worker import ProgressFn, StopFn

log = logging.getLogger(__name__)

TOP_K = 8
PREVIEW_CHARS = 1200


def make_table(model: RowsModel, parent: QWidget, widths: tuple[int, ...] = ()) -> QTableView:  # type: ignore[type-arg]
    """A read-only, single-row-selecting table with the given first column widths."""
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    return view


class SearchPanel(QWidget):
    """Searches the collection ``current_name()`` names, with the loaded model when it made that collection."""

    message = Signal(str, str)

    def __init__(self, store: DocumentStore, picker: ModelPicker, runner: TaskRunner, dialogs: Dialogs,
                 current_name: Callable[[], str | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._picker = picker
        self._runner = runner
        self._dialogs = dialogs
        self._current_name = current_name
        self.hits = HitsModel(self)
        self.hits_view = make_table(self.hits, self, (170, 86, 60, 72, 60))
        self.search_field = QLineEdit(self)
        self.search_field.setPlaceholderText("Search the collection…")
        self.search_field.setClearButtonEnabled(True)
        self.search_button = QPushButton("Search", self)
        self.open_button = QPushButton("Open file", self)
        self.preview = label("", "muted", wrap=True, selectable=True, parent=self)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_field, 1)
        search_row.addWidget(self.search_button)
        open_row = QHBoxLayout()
        open_row.addWidget(self.preview, 1)
        open_row.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(search_row)
        layout.addWidget(self.hits_view, 2)
        layout.addLayout(open_row, 1)
        self.search_button.clicked.connect(self.search)
        self.search_field.returnPressed.connect(self.search)
        self.open_button.clicked.connect(self.open_hit)
        self.hits_view.selectionModel().selectionChanged.connect(lambda *_: self._hit_chosen())
        self._hit_chosen()

    def clear(self) -> None:
        self.hits.set_rows([])
        self._hit_chosen()

    def set_enabled(self, chosen: bool, busy: bool) -> None:
        self.search_button.setEnabled(chosen and not busy)

    def search(self) -> bool:
        name, query = self._current_name(), self.search_field.text().strip()
        if name is None or not query:
            return False
        store, embedder = self._store, self._picker.embedder

        def run(_progress: ProgressFn, _should_stop: StopFn) -> list[SearchHit]:
            collection = store.get(name)
            # Another model's vectors cannot be compared; the keyword half still works without one.
            usable = embedder if embedder is not None and collection.model in (None, embedder.model_id) else None
            return DocumentSearch(store, name, usable).search(query, k=TOP_K)

        return self._runner.submit(Task(f"Searching '{name}'", run, on_finished=self._found,
                                        on_failed=lambda text: self.message.emit(ERROR, text)))

    def _found(self, hits: list[SearchHit]) -> None:
        self.hits.set_rows(hits)
        if hits:
            self.hits_view.selectRow(0)
        else:
            self.message.emit(INFO, "Nothing found.")
        self._hit_chosen()

    def current_hit(self) -> SearchHit | None:
        rows = self.hits_view.selectionModel().selectedRows()
        return self.hits.rows[rows[0].row()] if rows else None

    def _hit_chosen(self) -> None:
        hit = self.current_hit()
        self.open_button.setEnabled(hit is not None)
        self.preview.setText("" if hit is None else
                             f"{hit.display_path} · {hit.chunk.where()}\n\n{hit.chunk.text.strip()[:PREVIEW_CHARS]}")

    def open_hit(self) -> bool:
        hit = self.current_hit()
        if hit is None:
            return False
        if not self._dialogs.open_folder(Path(hit.chunk.path)):
            self.message.emit(WARNING, f"No application could open {hit.chunk.path}.")
            return False
        self.message.emit(INFO, f"Opened {hit.display_path}; the passage is at {hit.chunk.where()}.")
        return True
