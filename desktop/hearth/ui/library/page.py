"""The Library page: the models on this computer, their facts, and import, folder and remove actions."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hearth.core.errors import HearthError
from hearth.core.model_entry import ModelEntry
from hearth.core.services import Services
from hearth.core.units import human_bytes
from hearth.ui import icons
from hearth.ui.badges.delegate import BadgeDelegate
from hearth.ui.badges.passport import PassportDialog
from hearth.ui.common_widgets import PAGE_MARGINS, SPACING, ActionButton, EmptyState, PageHeader
from hearth.ui.dialogs import Dialogs
from hearth.ui.library.checks import LibraryChecks
from hearth.ui.library.columns import restore_header, save_header, set_up_columns
from hearth.ui.library.commands import LibraryCommands
from hearth.ui.library.details import DetailsPanel
from hearth.ui.library.table_model import ENTRY_ROLE, Column, LibraryFilterProxy, LibraryTableModel
from hearth.ui.message_bar import ERROR, INFO, SUCCESS, WARNING
from hearth.ui.progress_strip import ProgressStrip
from hearth.ui.task_runner import TaskRunner

log = logging.getLogger(__name__)

_FILTER_MIN = 160
_FILTER_COMFORTABLE = 260  # below this the toolbar buttons drop their text
_TOOLBAR_SPACING = 8


class LibraryPage(QWidget):
    """Shows the library and runs its long tasks through a :class:`TaskRunner`."""

    message = Signal(str, str)  # level, text: shown by the window's message bar

    def __init__(self, services: Services, dialogs: Dialogs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.library = services.library
        self.dialogs = dialogs
        self.runner = TaskRunner(self)
        self.model = LibraryTableModel(own_folder=services.paths.models, parent=self)
        self.proxy = LibraryFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.commands = LibraryCommands(self)
        self.checks = LibraryChecks(self)
        self._build()
        self._connect()
        self.set_entries(self.library.entries())

    # ---- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        a = self.commands
        self.header = PageHeader("Library", "", self)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter by name, architecture, quantization, license or path")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAcceptDrops(False)
        self.filter.setAccessibleName("Filter models")
        self._search_action = self.filter.addAction(icons.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.filter.setMinimumWidth(_FILTER_MIN)
        toolbar = QHBoxLayout()
        toolbar.setSpacing(_TOOLBAR_SPACING)
        toolbar.addWidget(self.filter, 1)
        self.toolbar_buttons = [ActionButton(action, self) for action in (
            a.import_models, a.add_folder, a.manage_folders, a.reveal, a.remove, a.refresh)]
        for button in self.toolbar_buttons:
            toolbar.addWidget(button)
        self.progress = ProgressStrip(self.runner, self)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(32)
        self.table.setAccessibleName("Models")
        self.badge_delegate = BadgeDelegate(self.table)
        self.table.setItemDelegateForColumn(Column.BADGES, self.badge_delegate)
        set_up_columns(self.table)
        self.details = DetailsPanel(self)
        self.details.setMinimumWidth(280)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([760, 310])
        self.empty = EmptyState(
            "library", "No models yet",
            "Discover one, or drop a .gguf file here. You can also import a file you already "
            "have, or add a folder where you keep models (LM Studio, GPT4All, any folder).",
            buttons=[self._button(a.import_models, primary=True), self._button(a.add_folder)], parent=self,
        )
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.splitter)
        page = QVBoxLayout(self)
        page.setContentsMargins(*PAGE_MARGINS)
        page.setSpacing(SPACING)
        page.addWidget(self.header)
        page.addLayout(toolbar)
        page.addWidget(self.progress)
        page.addWidget(self.stack, 1)

    def _button(self, action: QAction, primary: bool = False) -> QPushButton:
        button = QPushButton(action.text(), self)
        button.setProperty("primary", primary)
        button.clicked.connect(action.trigger)
        return button

    def _connect(self) -> None:
        self.filter.textChanged.connect(self._filter_changed)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.selectionModel().currentRowChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.commands.reveal.trigger())
        self.proxy.modelReset.connect(self._selection_changed)
        self.proxy.rowsInserted.connect(self._update_summary)
        self.proxy.rowsRemoved.connect(self._update_summary)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self)
        delete.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        delete.activated.connect(self.commands.remove.trigger)
        self.runner.busy_changed.connect(lambda _busy: self.commands.update_enabled())
        self.details.passport_requested.connect(self.open_passport)

    # ---- entries and selection -----------------------------------------------------------
    def set_entries(self, entries: list[ModelEntry], select_id: str | None = None) -> None:
        """Show ``entries``, keeping the selection (or selecting ``select_id``)."""
        current = self.current_entry()
        keep = select_id or (current.id if current is not None else None)
        self.model.set_entries(entries)
        self.checks.refresh(entries)
        self.stack.setCurrentWidget(self.splitter if entries else self.empty)
        self._update_summary()
        if keep:
            self.select_entry(keep)
        elif self.proxy.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self._selection_changed()

    def select_entry(self, model_id: str) -> bool:
        row = self.model.row_of(model_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                 | QItemSelectionModel.SelectionFlag.Current)
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)
        return True

    def current_entry(self) -> ModelEntry | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            selected = self.selected_entries()
            return selected[0] if selected else None
        return index.siblingAtColumn(0).data(ENTRY_ROLE)

    def selected_entries(self) -> list[ModelEntry]:
        rows = self.table.selectionModel().selectedRows(0)
        return [index.data(ENTRY_ROLE) for index in sorted(rows, key=lambda i: i.row())]

    def _selection_changed(self, *_args: object) -> None:
        entry = self.current_entry()
        self.details.show_entry(entry, self.model.badges(entry.id) if entry is not None else None)
        self.commands.update_enabled()

    def badges_changed(self) -> None:
        """New badges arrived (the subtitle counts risky models)."""
        self._update_summary()

    def badges_known(self) -> bool:
        """Whether every listed model's badges are computed (tests wait for this)."""
        return self.checks.known()

    @property
    def passport(self) -> PassportDialog | None:
        return self.checks.passport

    def open_passport(self, entry: ModelEntry | None = None) -> PassportDialog | None:
        """Open the passport of ``entry`` (the selected model by default) once its badges are known."""
        return self.checks.open_passport(entry or self.current_entry())

    def _filter_changed(self, text: str) -> None:
        self.proxy.set_filter_text(text)
        self._update_summary()
        if not self.table.selectionModel().hasSelection() and self.proxy.rowCount():
            self.table.selectRow(0)
        self._selection_changed()

    def _update_summary(self, *_args: object) -> None:
        entries = self.model.entries()
        if not entries:
            self.header.set_subtitle("Models on this computer, ready for chat and embeddings.")
            return
        total = sum(e.size_bytes for e in entries)
        noun = "model" if len(entries) == 1 else "models"
        parts = [f"{len(entries)} {noun}", human_bytes(total)]
        troubled = sum(1 for e in entries if e.problems or not e.usable)
        if troubled:
            parts.append(f"{troubled} with problems")
        risky = self.checks.risky(entries)
        if risky:
            parts.append(f"{risky} risky")
        shown = self.proxy.rowCount()
        if shown != len(entries):
            parts.append(f"{shown} shown")
        self.header.set_subtitle(" · ".join(parts))

    # ---- messages ------------------------------------------------------------------------
    def info(self, text: str) -> None:
        self.message.emit(INFO, text)

    def success(self, text: str) -> None:
        self.message.emit(SUCCESS, text)

    def warn(self, text: str) -> None:
        self.message.emit(WARNING, text)

    def error(self, text: str | HearthError) -> None:
        self.message.emit(ERROR, str(text))

    # ---- entry points the window and tests use --------------------------------------------
    def refresh(self) -> bool:
        return self.commands.refresh_library()

    def import_paths(self, paths: list[Path]) -> None:
        self.commands.import_paths(paths)

    def resizeEvent(self, event: QResizeEvent) -> None:
        margins = PAGE_MARGINS[0] + PAGE_MARGINS[2]
        full = sum(b.full_width() + _TOOLBAR_SPACING for b in self.toolbar_buttons)
        compact = event.size().width() - margins - full < _FILTER_COMFORTABLE
        for button in self.toolbar_buttons:
            button.set_compact(compact)
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_search_action"):
            self.commands.update_icons()
            self._search_action.setIcon(icons.icon("search"))
        super().changeEvent(event)

    def shutdown(self) -> None:
        self.runner.shutdown()
        self.checks.shutdown()

    def remembered_state(self) -> dict[str, bytes]:
        return {"splitter": bytes(self.splitter.saveState().data()),
                "header": save_header(self.table)}

    def restore_state(self, state: dict[str, bytes]) -> None:
        if "splitter" in state:
            self.splitter.restoreState(state["splitter"])
        if "header" in state:
            restore_header(self.table, state["header"])
