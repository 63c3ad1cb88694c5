"""A search on the Hub that loads more results on demand, one page per request.

``SearchSession.next_page()`` sends exactly one request (following the cursor the
Hub put in the previous page's ``Link`` header), so scrolling a result list costs
one request per page and nothing is fetched ahead. Each page is cached on disk;
offline, or when the Hub cannot be reached, the cached pages are served instead.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Literal

from hearth.core import hub_http
from hearth.core.hub_cache import HubCache
from hearth.core.hub_convert import summary_from_info
from hearth.core.hub_errors import NetworkError, OfflineError, translate
from hearth.core.hub_models import RepoSummary, SearchPage

log = logging.getLogger(__name__)

SortKey = Literal["downloads", "likes", "trending", "updated"]
#: Hearth's sort names -> the Hub's.
SORTS: dict[str, str] = {
    "downloads": "downloads", "likes": "likes", "trending": "trendingScore", "updated": "lastModified",
}
#: Properties asked for each hit (the Hub sends only these, which keeps pages small).
EXPAND = ["author", "downloads", "likes", "trendingScore", "lastModified", "gated", "gguf",
          "cardData", "tags", "pipeline_tag", "baseModels"]


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    author: str | None = None
    sort: SortKey = "downloads"
    page_size: int = 30

    def params(self) -> list[tuple[str, Any]]:
        if self.sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}")
        params: list[tuple[str, Any]] = [("filter", "gguf")]
        if self.text.strip():
            params.append(("search", self.text.strip()))
        if self.author:
            params.append(("author", self.author))
        params += [("sort", SORTS[self.sort]), ("limit", self.page_size)]
        params += [("expand", prop) for prop in EXPAND]
        return params

    def cache_key(self, page: int) -> str:
        return json.dumps([self.text.strip().lower(), self.author, self.sort, self.page_size, page])


class SearchSession:
    """The pages of one search loaded so far. Safe to call from one worker thread at a time
    (a lock serialises overlapping calls)."""

    def __init__(self, query: SearchQuery, *, cache: HubCache, token: Callable[[], str | None],
                 offline: Callable[[], bool]) -> None:
        self.query = query
        self.pages: list[SearchPage] = []
        self._cache = cache
        self._token = token
        self._offline = offline
        self._next_url: str | None = None
        self._lock = threading.Lock()

    @property
    def items(self) -> list[RepoSummary]:
        return [item for page in self.pages for item in page.items]

    @property
    def has_more(self) -> bool:
        return not self.pages or self.pages[-1].has_more

    def next_page(self) -> SearchPage:
        """Load the next page (the first on the first call). Raises HubError/OfflineError."""
        with self._lock:
            if not self.has_more:
                raise IndexError("no more results")
            index = len(self.pages)
            key = self.query.cache_key(index)
            if self._offline():
                page = self._cached(index, key, "Hearth is offline and has no saved results for this search")
            else:
                try:
                    page = self._fetch(index, key)
                except NetworkError as exc:
                    page = self._cached(index, key, str(exc))
            self.pages.append(page)
            return page

    def _fetch(self, index: int, key: str) -> SearchPage:
        endpoint = hub_http.endpoint()
        if index == 0:
            url, params = f"{endpoint}/api/models", self.query.params()
        elif self._next_url:
            url, params = self._next_url, None
        else:  # the earlier pages came from the cache without a cursor
            raise NetworkError("Could not reach the Hub: search again to load more results")
        try:
            raw, next_url = hub_http.get_json_page(url, params, hub_http.headers(self._token()))
        except Exception as exc:
            raise translate(exc, endpoint=endpoint) from exc
        items = [summary_from_info(_model_info(item)) for item in raw]
        self._next_url = next_url
        fetched = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self._cache.put("search", key, {"items": [i.to_json() for i in items], "next_url": next_url})
        return SearchPage(index, items, next_url is not None, from_cache=False, fetched_at=fetched)

    def _cached(self, index: int, key: str, reason: str) -> SearchPage:
        hit = self._cache.get("search", key)
        if hit is None:
            raise OfflineError(reason) if self._offline() else NetworkError(reason)
        data = hit.data
        self._next_url = data.get("next_url")
        items = [RepoSummary.from_json(i) for i in data.get("items", [])]
        log.info("serving search page %d from the cache (%s)", index, reason)
        return SearchPage(index, items, data.get("next_url") is not None, from_cache=True,
                          fetched_at=hit.stored_at_iso)


def _model_info(item: dict[str, Any]) -> Any:
    from huggingface_hub.hf_api import ModelInfo

    item.setdefault("siblings", None)
    return ModelInfo(**item)
