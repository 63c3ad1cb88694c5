"""Hearth's client for the Hugging Face Hub: search GGUF models and read a repository.

The one place (with :mod:`hearth.core.downloads`) that talks to the Hub, through
huggingface_hub. Every call first checks the offline switch and refuses with
:class:`OfflineError` before any request, serving the on-disk cache instead
where it has an answer. All methods block; call them from a worker thread.

    client = HubClient.from_services(services)
    session = client.search("gemma", sort="likes")
    page = session.next_page()            # one request per page
    detail = client.repo_detail(page.items[0].id)
    for group in detail.quant_groups: ...
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from hearth.core import hub_http, privacy, secrets
from hearth.core.hub_cache import HubCache
from hearth.core.hub_convert import files_from_info, group_quants, projectors, summary_from_info
from hearth.core.hub_errors import HubError, NetworkError, NoGGUFError, OfflineError, translate
from hearth.core.hub_models import RepoDetail
from hearth.core.hub_search import SearchQuery, SearchSession, SortKey
from hearth.core.settings import SettingsStore

if TYPE_CHECKING:
    from hearth.core.services import Services

log = logging.getLogger(__name__)

#: A model card larger than this is cut (cards are text; this only guards memory).
README_LIMIT = 512 * 1024


def ensure_online(settings: SettingsStore | None = None) -> None:
    """Raise OfflineError when the offline switch is on (call before any request)."""
    if privacy.is_offline(settings.settings if settings else None):
        raise OfflineError("Hearth is offline; turn offline mode off to reach the Hub.")


class HubClient:
    """Search and repository details, with an on-disk cache. Thread-safe (no shared mutable state
    besides the cache, whose writes are atomic)."""

    def __init__(self, cache: HubCache, *, settings: SettingsStore | None = None,
                 token: Callable[[], str | None] = secrets.get_token) -> None:
        self.cache = cache
        self.settings = settings
        self._token = token

    @classmethod
    def from_services(cls, services: Services) -> HubClient:
        """The client an app run uses: cache under ``<cache>/hub``, offline switch from settings."""
        return cls(HubCache(services.paths.cache / "hub"), settings=services.settings)

    @property
    def endpoint(self) -> str:
        return hub_http.endpoint()

    @property
    def offline(self) -> bool:
        return privacy.is_offline(self.settings.settings if self.settings else None)

    def repo_url(self, repo_id: str) -> str:
        return f"{self.endpoint}/{repo_id}"

    # ---- search ------------------------------------------------------------------------
    def search(self, text: str = "", *, author: str | None = None, sort: SortKey = "downloads",
               page_size: int = 30) -> SearchSession:
        """A new search; nothing is sent until ``next_page()`` is called."""
        query = SearchQuery(text, author, sort, max(1, min(page_size, 100)))
        query.params()  # validates the sort name now, not on the first page
        return SearchSession(query, cache=self.cache, token=self._token, offline=lambda: self.offline)

    # ---- one repository ----------------------------------------------------------------
    def repo_detail(self, repo_id: str, revision: str | None = None, *, fresh: bool = False,
                    with_readme: bool = True) -> RepoDetail:
        """Files (sizes, LFS sha256), quant groups, projectors, license and card of a repository.

        ``fresh=True`` skips the cache's young entries (a download wants the current commit).
        Offline, or when the Hub cannot be reached, a cached copy is returned with
        ``from_cache=True``; with none, OfflineError / NetworkError is raised.
        """
        repo_id = repo_id.strip().strip("/")
        if repo_id.count("/") != 1:
            raise HubError(f"'{repo_id}' is not a Hub model id (expected 'publisher/name')")
        key = f"{repo_id}@{revision or 'main'}"
        if self.offline:
            return self._cached_detail(key, OfflineError(
                f"Hearth is offline and has no saved copy of {repo_id}; turn offline mode off to see it."))
        if not fresh and (hit := self.cache.fresh("repo", key)) is not None:
            return RepoDetail.from_json(hit.data)
        try:
            detail = self._fetch_detail(repo_id, revision, with_readme)
        except NetworkError as exc:
            return self._cached_detail(key, exc)
        self.cache.put("repo", key, detail.to_json())
        if revision is None and detail.sha:
            self.cache.put("repo", f"{repo_id}@{detail.sha}", detail.to_json())
        return detail

    def require_gguf(self, detail: RepoDetail) -> RepoDetail:
        if not detail.quant_groups:
            raise NoGGUFError(f"{detail.id} has no GGUF model files; Hearth runs GGUF models only")
        return detail

    def _fetch_detail(self, repo_id: str, revision: str | None, with_readme: bool) -> RepoDetail:
        endpoint = self.endpoint
        token = self._token()
        try:
            info = hub_http.make_api(token).model_info(
                repo_id, revision=revision, files_metadata=True, timeout=hub_http.API_TIMEOUT_S)
        except Exception as exc:
            raise translate(exc, endpoint=endpoint, repo_id=repo_id) from exc
        summary = summary_from_info(info)
        files = files_from_info(info)
        gguf = info.gguf if isinstance(info.gguf, dict) else {}
        template = gguf.get("chat_template")
        readme = None
        if with_readme and any(f.path.lower() == "readme.md" for f in files):
            readme = self._readme(repo_id, info.sha or revision or "main", token)
        return RepoDetail(
            summary=summary, sha=info.sha, files=files,
            quant_groups=group_quants(files, summary.parameters), projectors=projectors(files),
            readme=readme, chat_template=template if isinstance(template, str) else None,
            from_cache=False, fetched_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )

    def _readme(self, repo_id: str, revision: str, token: str | None) -> str | None:
        """The model card text; a card that cannot be fetched is not worth failing the page for."""
        url = hub_http.hf_hub_url(repo_id, "README.md", revision=revision, endpoint=self.endpoint)
        try:
            response = hub_http.get_session().get(url, headers=hub_http.headers(token),
                                                  timeout=hub_http.API_TIMEOUT_S, follow_redirects=True)
            hub_http.hf_raise_for_status(response)
        except Exception as exc:
            log.info("model card of %s not available: %s", repo_id, exc.__class__.__name__)
            return None
        return response.content[:README_LIMIT].decode("utf-8", errors="replace")

    def _cached_detail(self, key: str, reason: HubError) -> RepoDetail:
        hit = self.cache.get("repo", key)
        if hit is None:
            raise reason
        log.info("serving %s from the cache (%s)", key, reason)
        return RepoDetail.from_json(hit.data, from_cache=True)
