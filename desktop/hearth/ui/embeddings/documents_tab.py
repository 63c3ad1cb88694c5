"""The Documents tab: collections of the user's files, indexing with progress, the skip report, search.

Indexing and searching run on the page's task runner (one task at a time), so
an index run can be cancelled from the progress strip; the core indexer writes
each file in its own transaction, so a cancelled run leaves a consistent
collection that the next run completes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QSplitter, QTabWidget, QVBoxLayout, QWidget

from hearth.core.documents import SKIPPED, DocumentStore, IndexReport, index_collection
from hearth.core.errors import HearthError
from hearth.ui.common_widgets import label
from hearth.ui.dialogs import Dialogs
from hearth.ui.embeddings.documents_models import CollectionsModel, ReportModel
from hearth.ui.embeddings.model_picker import ModelPicker
from hearth.ui.embeddings.search_panel import SearchPanel, make_table
from hearth.ui.message_bar import ERROR, INFO, SUCCESS, WARNING
from hearth.ui.task_runner import Task, TaskRunner
from hearth.ui.worker import ProgressFn, StopFn

log = logging.getLogger(__name__)

INDEX_TIP = "Read new and changed files and embed them with the loaded model"
REINDEX_TIP = "Embed every file again (needed after changing the model)"


def summary(report: IndexReport) -> str:
    text = (f"Indexed '{report.collection}': {report.files_total} files: {report.added} new, "
            f"{report.updated} changed, {report.unchanged} unchanged, {report.removed} removed; "
            f"{report.skipped} skipped; {report.chunks_embedded} chunks embedded.")
    if report.missing_sources:
        text += f" Missing: {', '.join(report.missing_sources)}."
    return text


class DocumentsTab(QWidget):
    """Collections on the left; search results and the skip report of the chosen one on the right."""

    message = Signal(str, str)

    def __init__(self, store: DocumentStore, picker: ModelPicker, runner: TaskRunner, dialogs: Dialogs,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._picker = picker
        self._runner = runner
        self._dialogs = dialogs
        self.last_report: IndexReport | None = None
        self.collections = CollectionsModel(self, picker.model_name)
        self.report = ReportModel(self)
        self.collections_view = make_table(self.collections, self, (120, 100, 66, 120))
        self.report_view = make_table(self.report, self, (240, 70))
        self.search_panel = SearchPanel(store, picker, runner, dialogs, self.current_name, self)
        self.name_field = QLineEdit(self)
        self.name_field.setPlaceholderText("New collection name")
        self.create_button = QPushButton("Create from folder…", self)
        self.add_folder_button = QPushButton("Add folder…", self)
        self.add_files_button = QPushButton("Add files…", self)
        self.index_button = QPushButton("Index", self)
        self.index_button.setProperty("role", "primary")
        self.reindex_button = QPushButton("Re-index", self)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(label("Collections", "heading", parent=left))
        new_row = QHBoxLayout()
        new_row.addWidget(self.name_field, 1)
        new_row.addWidget(self.create_button)
        left_layout.addLayout(new_row)
        left_layout.addWidget(self.collections_view, 1)
        actions = QHBoxLayout()
        for button in (self.add_folder_button, self.add_files_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.reindex_button)
        actions.addWidget(self.index_button)
        left_layout.addLayout(actions)

        self.right_tabs = QTabWidget(self)
        self.right_tabs.addTab(self.search_panel, "Search")
        self.right_tabs.addTab(self.report_view, "Skipped files")
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.right_tabs)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(splitter)

        self.create_button.clicked.connect(self.prompt_create)
        self.name_field.returnPressed.connect(self.prompt_create)
        self.add_folder_button.clicked.connect(self.prompt_add_folder)
        self.add_files_button.clicked.connect(self.prompt_add_files)
        self.index_button.clicked.connect(lambda: self.index())
        self.reindex_button.clicked.connect(lambda: self.index(rebuild=True))
        self.collections_view.selectionModel().selectionChanged.connect(lambda *_: self._collection_chosen())
        self.search_panel.message.connect(self.message)
        picker.embedder_changed.connect(lambda _e: self._update())
        runner.busy_changed.connect(lambda _b: self._update())
        self.refresh()

    # ---- collections -------------------------------------------------------------------------
    def refresh(self, select: str | None = None) -> None:
        keep = select or self.current_name()
        self.collections.set_rows(self.store.collections())
        row = self.collections.row_of(keep) if keep else -1
        if row < 0 and self.collections.rows:
            row = 0
        if row >= 0:
            self.collections_view.selectionModel().select(
                self.collections.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self._collection_chosen()

    def current_name(self) -> str | None:
        rows = self.collections_view.selectionModel().selectedRows() if self.collections_view.selectionModel() \
            else []
        return self.collections.rows[rows[0].row()].name if rows else None

    def _collection_chosen(self) -> None:
        name = self.current_name()
        if name is None:
            self.report.set_rows([])
        else:
            collection = self.store.get(name)
            self.report.set_rows([(collection.display_path(r.path), r)
                                  for r in self.store.files(collection.id, SKIPPED)])
            self.right_tabs.setTabText(1, f"Skipped files ({self.report.rowCount()})")
        self.search_panel.clear()
        self._update()

    def create(self, name: str, sources: list[Path]) -> bool:
        embedder = self._picker.embedder
        try:
            self.store.create(name, sources, model=embedder.model_id if embedder is not None else None)
        except HearthError as exc:
            self.message.emit(ERROR, str(exc))
            return False
        self.name_field.clear()
        self.refresh(select=name)
        self.message.emit(SUCCESS, f"Created collection '{name}'. Index it to search it.")
        return True

    def prompt_create(self) -> None:
        name = self.name_field.text().strip()
        if not name:
            self.message.emit(INFO, "Type a name for the new collection first.")
            return
        folder = self._dialogs.choose_folder(self, "Choose a folder of documents")
        if folder is not None:
            self.create(name, [folder])

    def add_sources(self, sources: list[Path]) -> None:
        name = self.current_name()
        if name is None or not sources:
            return
        try:
            self.store.add_sources(name, sources)
        except HearthError as exc:
            self.message.emit(ERROR, str(exc))
            return
        self.refresh(select=name)
        self.message.emit(INFO, f"Added {len(sources)} to '{name}'. Index it to include them.")

    def prompt_add_folder(self) -> None:
        folder = self._dialogs.choose_folder(self, "Add a folder of documents")
        if folder is not None:
            self.add_sources([folder])

    def prompt_add_files(self) -> None:
        self.add_sources(self._dialogs.choose_files(self, "Add documents"))

    # ---- indexing ----------------------------------------------------------------------------
    def index(self, rebuild: bool = False) -> bool:
        name, embedder = self.current_name(), self._picker.embedder
        if name is None:
            return False
        if embedder is None:
            self.message.emit(WARNING, "Load an embedding model first.")
            return False
        store = self.store

        def run(progress: ProgressFn, should_stop: StopFn) -> IndexReport:
            return index_collection(store, name, embedder, rebuild=rebuild, progress=progress,
                                    should_stop=should_stop)

        return self._runner.submit(Task(
            f"{'Re-indexing' if rebuild else 'Indexing'} '{name}'", run, key=f"index:{name}",
            on_finished=self._indexed, on_failed=self._index_failed(name),
            on_cancelled=self._index_cancelled(name)))

    def _indexed(self, report: IndexReport) -> None:
        self.last_report = report
        self.refresh(select=report.collection)
        self.message.emit(SUCCESS if not report.skipped else INFO, summary(report))

    def _index_failed(self, name: str) -> Callable[[str], None]:
        def failed(text: str) -> None:
            self.refresh(select=name)
            self.message.emit(ERROR, text)
        return failed

    def _index_cancelled(self, name: str) -> Callable[[], None]:
        def cancelled() -> None:
            self.refresh(select=name)
            self.message.emit(INFO, f"Indexing '{name}' stopped; what was done is kept. Index again to finish.")
        return cancelled

    def _update(self) -> None:
        chosen, busy, loaded = self.current_name() is not None, self._runner.busy, self._picker.embedder is not None
        for button in (self.add_folder_button, self.add_files_button):
            button.setEnabled(chosen)
        for button, tip in ((self.index_button, INDEX_TIP), (self.reindex_button, REINDEX_TIP)):
            button.setEnabled(chosen and loaded and not busy)
            button.setToolTip(tip if loaded else "Load an embedding model first")
        self.search_panel.set_enabled(chosen, busy)
