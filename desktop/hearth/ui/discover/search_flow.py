"""One search at a time, page by page, in the background; answers from an older search are dropped.

:class:`SearchFlow` owns the current :class:`~hearth.core.hub_search.SearchSession`.
Each :meth:`SearchFlow.start` bumps a generation number; a page that arrives
for an older generation is stale and never reaches the page. At most one page
request is in flight, so scrolling fast never asks for the same page twice.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from hearth.core.hub import HubClient
from hearth.core.hub_models import SearchPage
from hearth.core.hub_search import SearchSession
from hearth.ui.background import Background
from hearth.ui.discover.jobs import page_job

log = logging.getLogger(__name__)


class SearchFlow(QObject):
    started = Signal()  # a new search began (the old results are gone)
    loading_changed = Signal(bool)
    page_loaded = Signal(object)  # SearchPage of the current search
    failed = Signal(str)  # one line: why the current search's page did not come

    def __init__(self, client: HubClient, background: Background, parent: QObject | None = None,
                 *, page_size: int = 30) -> None:
        super().__init__(parent)
        self.client = client
        self.background = background
        self.page_size = page_size
        self.session: SearchSession | None = None
        self.generation = 0
        self._loading = False

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def can_load_more(self) -> bool:
        """A next page exists, none is on its way, and the first one has arrived."""
        return self.session is not None and not self._loading and self.session.has_more and bool(self.session.pages)

    def start(self, query: str, sort: str) -> None:
        self.generation += 1
        self.session = self.client.search(query, sort=sort, page_size=self.page_size)  # type: ignore[arg-type]
        self._set_loading(False)
        log.debug("search %d: %r sorted by %s", self.generation, query, sort)
        self.started.emit()
        self._request()

    def load_more(self) -> bool:
        """Fetch the next page; False when none is due or one is already on its way."""
        return self.can_load_more and self._request()

    def retry(self) -> bool:
        """Ask again for the page that failed (the first one, or the next)."""
        if self.session is None or self._loading:
            return False
        return self._request()

    def _request(self) -> bool:
        session, generation = self.session, self.generation
        if session is None:
            return False
        worker = self.background.run(
            page_job(session),
            on_finished=lambda page: self._loaded(generation, page),
            on_failed=lambda message: self._failed(generation, message))
        self._set_loading(worker is not None)
        return worker is not None

    def _loaded(self, generation: int, page: SearchPage) -> None:
        if generation != self.generation:
            return  # an older search: its answer is stale
        self._set_loading(False)
        self.page_loaded.emit(page)

    def _failed(self, generation: int, message: str) -> None:
        if generation != self.generation:
            return
        self._set_loading(False)
        self.failed.emit(message)

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)
