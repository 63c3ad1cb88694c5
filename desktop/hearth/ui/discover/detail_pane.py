"""The pane beside the search results: one repository's header, quants with their fit, and model card.

It shows what it is given and asks for nothing itself: the page loads the
details in the background and calls :meth:`DetailPane.show_loading`,
:meth:`show_detail` or :meth:`show_error`. A Download click (the button, a
double-click or Enter on a quant) is emitted as :attr:`download_requested`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hearth.core.hub_models import QuantGroup, RepoSummary
from hearth.core.units import human_bytes
from hearth.ui.common_widgets import label
from hearth.ui.discover.detail_header import DetailHeader
from hearth.ui.discover.jobs import DetailResult
from hearth.ui.discover.notice import InlineNotice, saved_at_text
from hearth.ui.discover.quant_delegate import QuantDelegate
from hearth.ui.discover.quant_model import Column, QuantTableModel
from hearth.ui.discover.readme_view import ReadmeView

GATED_TEXT = "This model requires accepting its terms on the Hub."
NO_GGUF_TEXT = "This repository has no GGUF model files, so Hearth cannot run it."


class DetailPane(QFrame):
    download_requested = Signal(object)  # QuantGroup

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DetailsPanel")
        self.result: DetailResult | None = None
        self.summary: RepoSummary | None = None
        self.placeholder = label("Select a model to see its quants, how well each fits this computer, "
                                 "and its model card.", "muted", wrap=True, parent=self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.header = DetailHeader(self)
        self.gate_notice = InlineNotice(self)
        self.status_notice = InlineNotice(self)
        self.loading = label("Loading the files and the model card…", "muted", parent=self)
        self.loading.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.model = QuantTableModel(self)
        self.table = self._make_table()
        self.projectors = label("", "muted", selectable=True, wrap=True, parent=self)
        self.no_gguf = label(NO_GGUF_TEXT, wrap=True, parent=self)
        self.no_gguf.hide()
        self.projectors.hide()
        self.download_button = QPushButton("Download", self)
        self.download_button.setProperty("primary", True)
        self.download_button.clicked.connect(self._download_clicked)
        self.download_note = label("", "muted", wrap=True, parent=self)
        self.readme = ReadmeView(self)
        self.body = QStackedWidget(self)
        self.body.addWidget(self.loading)
        self.body.addWidget(self._make_sections())
        self.body.addWidget(QWidget(self))  # nothing below the error notice
        inner = QWidget(self)
        column = QVBoxLayout(inner)
        column.setContentsMargins(16, 14, 16, 12)
        column.setSpacing(10)
        column.addWidget(self.header)
        column.addWidget(self.gate_notice)
        column.addWidget(self.status_notice)
        column.addWidget(self.body, 1)
        # Scrolls only when the window is too short for the header, notices, quants and card together,
        # so a long notice never forces the whole window taller.
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(scroll)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(1, 1, 1, 1)
        outer.addWidget(self.stack)
        self.show_placeholder()

    def _make_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.model)
        table.setItemDelegate(QuantDelegate(table))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(30)
        table.setAccessibleName("Quants")
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.FIT, QHeaderView.ResizeMode.Stretch)
        table.doubleClicked.connect(lambda _index: self._download_clicked())
        table.activated.connect(lambda _index: self._download_clicked())
        table.selectionModel().currentRowChanged.connect(lambda *_args: self.refresh_button())
        return table

    def _make_sections(self) -> QWidget:
        files = QWidget(self)
        layout = QVBoxLayout(files)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.setSpacing(6)
        self.files_heading = label("Files", "heading", parent=files)
        layout.addWidget(self.files_heading)
        layout.addWidget(self.no_gguf)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.projectors)
        row = QHBoxLayout()
        row.setSpacing(10)
        row.addWidget(self.download_button)
        row.addWidget(self.download_note, 1)
        layout.addLayout(row)
        card = QWidget(self)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(0, 0, 0, 0)
        card_layout.setSpacing(4)
        card_layout.addWidget(label("Model card", "heading", parent=card))
        frame = QFrame(card)
        frame.setObjectName("Card")
        inside = QVBoxLayout(frame)
        inside.setContentsMargins(1, 1, 1, 1)
        inside.addWidget(self.readme)
        card_layout.addWidget(frame, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(files)
        self.splitter.addWidget(card)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        return self.splitter

    # ---- states --------------------------------------------------------------------------
    def show_placeholder(self) -> None:
        self.result = self.summary = None
        self.model.set_groups([], None)
        self.stack.setCurrentWidget(self.placeholder)

    def show_loading(self, summary: RepoSummary, repo_url: str) -> None:
        self.result, self.summary = None, summary
        self.header.show_summary(summary, repo_url)
        self._show_gate(summary, repo_url)
        self.status_notice.hide()
        self.set_download_note("")
        self.body.setCurrentWidget(self.loading)
        self.stack.setCurrentIndex(1)

    def show_error(self, summary: RepoSummary, repo_url: str, message: str, retry: Callable[[], None],
                   gated: bool = False) -> None:
        self.show_loading(summary, repo_url)
        if gated:
            self.gate_notice.show_notice("warning", GATED_TEXT, link=repo_url,
                                         link_text="Review the terms on the Hub ↗")
        self.status_notice.show_notice("error", message, action_text="Retry", action=retry)
        self.body.setCurrentIndex(2)

    def show_detail(self, result: DetailResult, repo_url: str) -> None:
        detail = result.detail
        self.result, self.summary = result, detail.summary
        self.header.show_summary(detail.summary, repo_url)
        self._show_gate(detail.summary, repo_url)
        if detail.from_cache:
            self.status_notice.show_notice(
                "info", f"Offline — showing the saved copy from {saved_at_text(detail.fetched_at)}.")
        else:
            self.status_notice.hide()
        self.model.set_groups(detail.quant_groups, result.fits, result.installed)
        has_gguf = bool(detail.quant_groups)
        self.no_gguf.setVisible(not has_gguf)
        self.table.setVisible(has_gguf)
        self.download_button.setVisible(has_gguf)
        reason = self.model.recommendation_reason
        self.files_heading.setText("Files" if not reason else f"Files — recommended: {reason}")
        self.files_heading.setWordWrap(True)
        self.projectors.setText(self._projector_text(result))
        self.projectors.setVisible(bool(detail.projectors))
        self.readme.show_card(detail.readme, repo_url, "This repository has no model card.")
        self._select_default()
        self.set_download_note("")
        self.body.setCurrentIndex(1)
        self.stack.setCurrentIndex(1)

    def _show_gate(self, summary: RepoSummary, repo_url: str) -> None:
        if summary.gated:
            self.gate_notice.show_notice("warning", GATED_TEXT + " Accept them there, then add your Hugging Face "
                                         "token in Settings to download.", link=repo_url,
                                         link_text="Review the terms on the Hub ↗")
        else:
            self.gate_notice.hide()

    @staticmethod
    def _projector_text(result: DetailResult) -> str:
        files = result.detail.projectors
        if not files:
            return ""
        listed = ", ".join(f"{f.path} ({human_bytes(f.size)})" for f in files)
        noun = "Vision projector" if len(files) == 1 else "Vision projectors"
        return f"{noun} (for image input, downloaded separately): {listed}"

    # ---- quants and the Download button ----------------------------------------------------
    def _select_default(self) -> None:
        row = self.model.row_of(self.model.recommended or "")
        if row < 0:
            row = next((r for r, g in enumerate(self.model.groups()) if g.complete), 0)
        if self.model.rowCount():
            flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                     | QItemSelectionModel.SelectionFlag.Current)
            self.table.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)
            self.table.scrollTo(self.model.index(row, 0))
        self.refresh_button()

    def select_group(self, label_text: str) -> bool:
        row = self.model.row_of(label_text)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.selectionModel().setCurrentIndex(self.model.index(row, 0),
                                                    QItemSelectionModel.SelectionFlag.NoUpdate)
        self.refresh_button()
        return True

    def selected_group(self) -> QuantGroup | None:
        index: QModelIndex = self.table.selectionModel().currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return None
        return self.model.group(index.row())

    def refresh_button(self) -> None:
        group = self.selected_group()
        if group is None:
            self.download_button.setEnabled(False)
            self.download_button.setText("Download")
            return
        installed = self.model.is_installed(group.label)
        self.download_button.setEnabled(group.complete and not installed)
        if installed:
            self.download_button.setText(f"{group.label} is in your library")
        elif not group.complete:
            self.download_button.setText(f"{group.label} is incomplete on the Hub")
        else:
            self.download_button.setText(f"Download {group.label} ({human_bytes(group.total_size)})")

    def _download_clicked(self) -> None:
        group = self.selected_group()
        if group is not None and self.download_button.isEnabled():
            self.download_requested.emit(group)

    def set_download_note(self, text: str, color: str | None = None) -> None:
        """A line beside the button: "Added to Downloads" (``color`` theme.SUCCESS) or why it was not."""
        self.download_note.setText(text)
        self.download_note.setStyleSheet(f"color: {color};" if color else "")

    def mark_installed(self, repo_id: str, label_text: str) -> None:
        if self.result is not None and self.result.detail.id == repo_id:
            self.model.mark_installed(label_text)
            self.refresh_button()
