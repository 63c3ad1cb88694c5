"""The Discover page: search the Hub, filter and scroll the results, open a repository, download a quant.

Every Hub call runs in the background (:class:`~hearth.ui.background.Background`):
searches through :class:`~hearth.ui.discover.search_flow.SearchFlow`, which drops
the answers of older searches; each repository opened gets a generation number
too, so a slow answer for a repository the user already left is dropped. Nothing
is sent until the user searches (typing, Enter, a sort change or "Show popular
models"): opening the page alone makes no request.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hearth.core.downloads import DownloadManager, JobSnapshot
from hearth.core.hub import HubClient
from hearth.core.hub_filters import ResultFilters
from hearth.core.hub_models import QuantGroup, RepoSummary, SearchPage
from hearth.core.hub_search import SearchSession
from hearth.core.services import Services
from hearth.ui import icons, theme
from hearth.ui.background import Background
from hearth.ui.common_widgets import PAGE_MARGINS, SPACING, EmptyState, PageHeader, label
from hearth.ui.discover.detail_pane import DetailPane
from hearth.ui.discover.filter_bar import FilterBar
from hearth.ui.discover.jobs import DetailResult, Gated, add_download_job, detail_job, hardware_job
from hearth.ui.discover.notice import InlineNotice, saved_at_text
from hearth.ui.discover.results_filter import ResultsFilterProxy
from hearth.ui.discover.results_model import SUMMARY_ROLE, ResultsModel
from hearth.ui.discover.results_view import ResultsView
from hearth.ui.discover.search_flow import SearchFlow
from hearth.ui.message_bar import SUCCESS

log = logging.getLogger(__name__)

DEBOUNCE_MS = 350
SORTS = (("downloads", "Most downloaded"), ("likes", "Most liked"), ("trending", "Trending"),
         ("updated", "Recently updated"))
SUBTITLE = "Find open GGUF models on the Hugging Face Hub and download them safely."


class DiscoverPage(QWidget):
    message = Signal(str, str)  # level, text: for the window's message bar
    download_added = Signal(object)  # JobSnapshot

    def __init__(self, services: Services, client: HubClient, manager: DownloadManager,
                 parent: QWidget | None = None, *, page_size: int = 30) -> None:
        super().__init__(parent)
        self.services = services
        self.client = client
        self.manager = manager
        self.background = Background(self)
        self.flow = SearchFlow(client, self.background, self, page_size=page_size)
        self._detail_generation = 0
        self._profile_requested = False
        self.model = ResultsModel(self)
        self.proxy = ResultsFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.search)
        self._build()
        self._connect()

    # ---- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        self.header = PageHeader("Discover", SUBTITLE, self)
        self.search_box = QLineEdit(self)
        self.search_box.setPlaceholderText("Search GGUF models on the Hugging Face Hub (e.g. gemma, qwen coder)")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName("Search the Hub")
        self._search_action = self.search_box.addAction(icons.icon("search"),
                                                        QLineEdit.ActionPosition.LeadingPosition)
        self.sort = QComboBox(self)
        self.sort.setAccessibleName("Sort results")
        for key, text in SORTS:
            self.sort.addItem(text, key)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.search_box, 1)
        top.addWidget(label("Sort", "caption", parent=self))
        top.addWidget(self.sort)
        self.filters = FilterBar(self)
        self.status = label("", "muted", parent=self)
        second = QHBoxLayout()
        second.setSpacing(8)
        second.addWidget(self.filters, 1)
        second.addWidget(self.status)
        self.notice = InlineNotice(self)
        self.table = ResultsView(self.proxy, self)
        self.detail = DetailPane(self)
        self.detail.setMinimumWidth(320)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setSizes([610, 470])
        browse = QPushButton("Show popular models", self)
        browse.setProperty("primary", True)
        browse.clicked.connect(lambda: self.search(""))
        self.empty = EmptyState(
            "discover", "Search the Hugging Face Hub",
            "Type a model's name above, or browse the most downloaded GGUF models. Nothing is sent "
            "to the Hub until you search.", buttons=[browse], parent=self)
        self.no_results = EmptyState("search", "No GGUF models found", "", parent=self)
        self.stack = QStackedWidget(self)
        for widget in (self.empty, self.no_results, self.splitter):
            self.stack.addWidget(widget)
        page = QVBoxLayout(self)
        page.setContentsMargins(*PAGE_MARGINS)
        page.setSpacing(SPACING)
        page.addWidget(self.header)
        page.addLayout(top)
        page.addLayout(second)
        page.addWidget(self.notice)
        page.addWidget(self.stack, 1)

    def _connect(self) -> None:
        self.search_box.textEdited.connect(lambda _text: self._debounce.start())
        self.search_box.returnPressed.connect(self.search)
        self.sort.currentIndexChanged.connect(lambda _index: self.search())
        self.filters.changed.connect(self._filters_changed)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.wants_more.connect(self._wants_more)
        self.flow.page_loaded.connect(self._page_loaded)
        self.flow.failed.connect(self._page_failed)
        self.flow.loading_changed.connect(lambda _loading: self._update_status())
        self.proxy.rowsInserted.connect(lambda *_args: self._update_status())
        self.proxy.modelReset.connect(self._update_status)
        self.detail.files.download_requested.connect(self.download)

    # ---- searching -----------------------------------------------------------------------
    @property
    def session(self) -> SearchSession | None:
        return self.flow.session

    @property
    def loading_page(self) -> bool:
        return self.flow.loading

    @property
    def generation(self) -> int:
        return self.flow.generation

    def search(self, text: str | None = None) -> None:
        """Start a new search for ``text`` (default: the search box); older answers are dropped."""
        self._debounce.stop()
        if text is not None and text != self.search_box.text():
            self.search_box.setText(text)
        self.model.clear()
        self._close_repo()
        self.notice.hide()
        self.table.reset_fill()
        self.stack.setCurrentWidget(self.splitter)
        self.flow.start(self.search_box.text().strip(), str(self.sort.currentData()))
        self._ensure_profile()

    def _page_loaded(self, page: SearchPage) -> None:
        first = page.index == 0
        self.model.append(page.items)
        self.filters.set_architectures(self.model.architectures())
        if page.from_cache:
            why = "Offline" if self.client.offline else "Could not reach the Hub"
            self.notice.show_notice("info", f"{why} — showing saved results from {saved_at_text(page.fetched_at)}.")
        elif first:
            self.notice.hide()
        if first and not page.items:
            query = self.search_box.text().strip()
            self.no_results.text.setText(f"Nothing on the Hub matches “{query}” with GGUF files. Try other or "
                                         "fewer words." if query else "The Hub listed no GGUF models.")
            self.stack.setCurrentWidget(self.no_results)
        if first and self.proxy.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self._update_status()
        QTimer.singleShot(0, self.table.check_more)  # once the view has laid out the new rows

    def _page_failed(self, message: str) -> None:
        self.notice.show_notice("error", message, action_text="Retry", action=self.retry)

    def retry(self) -> None:
        self.notice.hide()
        self.flow.retry()

    def _wants_more(self, filling: bool) -> None:
        if not self.notice.isHidden() and self.notice.severity == "error":
            return  # wait for Retry instead of failing again on every scroll
        if self.flow.load_more() and filling:
            self.table.counted_fill()

    def _filters_changed(self, filters: ResultFilters) -> None:
        self.proxy.set_filters(filters)
        self.table.reset_fill()
        if filters.fits_here:
            self._ensure_profile()
        if not self.table.selectionModel().hasSelection() and self.proxy.rowCount():
            self.table.selectRow(0)
        self._update_status()
        QTimer.singleShot(0, self.table.check_more)

    def _ensure_profile(self) -> None:
        """Probe the hardware once, in the background, for the "fits this computer" filter."""
        if not self._profile_requested:
            self._profile_requested = True
            self.background.run(hardware_job(), on_finished=self.proxy.set_profile,
                                on_failed=lambda message: log.warning("hardware probe failed: %s", message))

    def _update_status(self, *_args: object) -> None:
        session = self.flow.session
        if session is None:
            self.status.setText("")
            return
        loaded, shown = self.model.rowCount(), self.proxy.rowCount()
        parts = [f"{loaded} model{'' if loaded == 1 else 's'}"] if loaded else []
        if shown != loaded:
            parts.append(f"{shown} shown")
        if self.flow.loading:
            parts.append("loading…")
        elif session.has_more and session.pages:
            parts.append("scroll for more")
        self.status.setText(" · ".join(parts))

    # ---- one repository ------------------------------------------------------------------
    def select_repo(self, repo_id: str) -> bool:
        row = self.model.row_of(repo_id)
        index = self.proxy.mapFromSource(self.model.index(row, 0)) if row >= 0 else QModelIndex()
        if not index.isValid():
            return False
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                 | QItemSelectionModel.SelectionFlag.Current)
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)
        return True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        summary = current.data(SUMMARY_ROLE) if current.isValid() else None
        if summary is None:
            self._close_repo()
        elif self.detail.summary is None or self.detail.summary.id != summary.id:
            self.open_repo(summary)

    def _close_repo(self) -> None:
        self._detail_generation += 1  # a repository still loading is no longer wanted
        self.detail.show_placeholder()

    def open_repo(self, summary: RepoSummary, *, fresh: bool = False) -> None:
        self._detail_generation += 1
        generation = self._detail_generation
        self.detail.show_loading(summary, self.client.repo_url(summary.id))
        self.background.run(
            detail_job(self.client, self.manager, summary.id, fresh=fresh),
            on_finished=lambda result: self._detail_loaded(generation, summary, result),
            on_failed=lambda message: self._detail_failed(generation, summary, message))

    def _detail_loaded(self, generation: int, summary: RepoSummary, result: DetailResult | Gated) -> None:
        if generation != self._detail_generation:
            return  # the user has opened another repository since
        url = self.client.repo_url(summary.id)
        if isinstance(result, Gated):
            self.detail.show_error(summary, url, result.message, lambda: self.open_repo(summary, fresh=True),
                                   gated=True)
        else:
            self.detail.show_detail(result, url)

    def _detail_failed(self, generation: int, summary: RepoSummary, message: str) -> None:
        if generation == self._detail_generation:
            self.detail.show_error(summary, self.client.repo_url(summary.id), message,
                                   lambda: self.open_repo(summary, fresh=True))

    # ---- downloading ---------------------------------------------------------------------
    def download(self, group: QuantGroup) -> None:
        """Queue ``group`` of the open repository in the Downloads page, staying on this page."""
        result = self.detail.result
        if result is None:
            return
        detail, files = result.detail, self.detail.files
        files.set_note(f"Adding {group.label} to Downloads…")
        files.download_button.setEnabled(False)

        def added(job: JobSnapshot) -> None:
            if self.detail.result is result:  # the user may have opened another repository meanwhile
                files.set_note("Added to Downloads.", theme.SUCCESS)
                files.refresh_button()
            self.message.emit(SUCCESS, f"{detail.id} {group.label} was added to Downloads.")
            self.download_added.emit(job)

        def refused(message: str) -> None:
            if self.detail.result is result:
                files.set_note(message, theme.ERROR)
                files.refresh_button()

        self.background.run(add_download_job(self.manager, detail, group), on_finished=added, on_failed=refused)

    # ---- life ----------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_search_action"):
            self._search_action.setIcon(icons.icon("search"))
        super().changeEvent(event)

    def shutdown(self) -> None:
        self._debounce.stop()
        self.background.shutdown()
