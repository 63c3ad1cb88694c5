"""The Discover page's background calls as plain callables ``fn(progress, should_stop)`` for a Worker.

No Qt here: each composes core calls (the Hub client, fit verdicts, the download
manager), all of which block on the network, the disk or a hardware probe.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from hearth.core import hardware
from hearth.core.downloads import DownloadManager, JobSnapshot
from hearth.core.hub import HubClient
from hearth.core.hub_errors import GatedRepoError
from hearth.core.hub_fit import GroupFits, assess_groups
from hearth.core.hub_models import QuantGroup, RepoDetail, SearchPage
from hearth.core.hub_search import SearchSession

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
ShouldStop = Callable[[], bool]
Job = Callable[[Progress, ShouldStop], object]


@dataclass
class DetailResult:
    """A repository's details with the fit of each quant here and the quants already installed."""

    detail: RepoDetail
    fits: GroupFits | None
    installed: set[str] = field(default_factory=set)  # labels whose files are already in the models folder


def page_job(session: SearchSession) -> Job:
    """The next page of a search (the first on the first call): exactly one request, or the cache."""

    def run(_progress: Progress, _should_stop: ShouldStop) -> SearchPage:
        return session.next_page()

    return run


@dataclass(frozen=True)
class Gated:
    """The Hub refused the repository until its terms are accepted (shown as a notice, not an error)."""

    message: str
    repo_url: str


def detail_job(client: HubClient, manager: DownloadManager, repo_id: str, *, fresh: bool = False) -> Job:
    def run(_progress: Progress, _should_stop: ShouldStop) -> DetailResult | Gated:
        try:
            detail = client.repo_detail(repo_id, fresh=fresh)
        except GatedRepoError as exc:
            return Gated(str(exc), exc.repo_url)
        fits = assess_groups(detail)  # may probe the hardware the first time
        installed = {g.label for g in detail.quant_groups if manager.installed_paths(detail, g) is not None}
        return DetailResult(detail, fits, installed)

    return run


def add_download_job(manager: DownloadManager, detail: RepoDetail, group: QuantGroup) -> Job:
    """Queue a download; the manager checks the free space and the offline switch first."""

    def run(_progress: Progress, _should_stop: ShouldStop) -> JobSnapshot:
        return manager.add(detail, group)

    return run


def hardware_job() -> Job:
    def run(_progress: Progress, _should_stop: ShouldStop) -> hardware.HardwareProfile:
        return hardware.probe()

    return run
