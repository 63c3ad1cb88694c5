"""The Discover page against the loopback Hub emulator: search, pages, details, fit, download, errors, offline."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl

from hearth.core import hardware, privacy
from hearth.core.downloads import DownloadManager, JobState, transfer
from hearth.core.hub import HubClient
from hearth.core.hub_models import RepoSummary, SearchPage
from hearth.core.services import Services
from hearth.ui.discover import links
from hearth.ui.discover.detail_pane import GATED_TEXT
from hearth.ui.discover.quant_section import NO_GGUF_TEXT
from hearth.ui.discover.page import DiscoverPage
from hearth.ui.discover.quant_model import FIT_ROLE, RECOMMENDED_ROLE, Column
from hearth.ui.discover.results_model import ID_ROLE
from hearth.ui.discover.results_model import Column as ResultColumn
from hearth.ui.main_window import MainWindow
from tests.gui.conftest import WAIT_MS
from tests.helpers.fake_hardware import LAPTOP_8GB
from tests.helpers.hub_emulator import HubEmulator
from tests.helpers.hub_publish import publish_tiny
from tests.helpers.hub_showcase import REPOS, publish_showcase

LLAMA, GEMMA, SMOLVLM = REPOS[0], REPOS[2], REPOS[3]


@pytest.fixture(autouse=True)
def imaginary_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same 8 GB laptop everywhere, so fit verdicts and the recommendation do not depend on the host."""
    monkeypatch.setattr(hardware, "probe", lambda refresh=False: LAPTOP_8GB)
    monkeypatch.setattr(transfer, "SPACE_MARGIN", 0)


@pytest.fixture
def online_again() -> Iterator[None]:
    yield
    privacy.apply_to_hub_client(False)


@pytest.fixture
def make_page(services: Services, qtbot: Any) -> Iterator[Callable[..., DiscoverPage]]:
    """Factory: a Discover page on its own (a whole window costs more to build), optionally shown."""
    made: list[tuple[DiscoverPage, DownloadManager]] = []

    def make(*, show: bool = False) -> DiscoverPage:
        manager = DownloadManager.from_services(services)
        page = DiscoverPage(services, HubClient.from_services(services), manager)
        qtbot.addWidget(page)
        made.append((page, manager))
        if show:
            page.resize(1100, 700)
            page.show()
            qtbot.waitExposed(page)
        return page

    yield make
    for page, manager in made:
        page.shutdown()
        manager.shutdown()


@pytest.fixture
def page(make_page: Callable[..., DiscoverPage]) -> DiscoverPage:
    return make_page()


def shown_ids(page: DiscoverPage) -> list[str]:
    return [page.proxy.index(row, 0).data(ID_ROLE) for row in range(page.proxy.rowCount())]


def searches(hub: HubEmulator) -> list[Any]:
    return [r for r in hub.requests(host="hub") if r.path == "/api/models"]


def search(qtbot: Any, page: DiscoverPage, text: str = "") -> None:
    page.search(text)
    qtbot.waitUntil(lambda: not page.loading_page and page.session is not None and bool(page.session.pages),
                    timeout=WAIT_MS)


def open_repo(qtbot: Any, page: DiscoverPage, repo_id: str) -> None:
    assert page.select_repo(repo_id)
    qtbot.waitUntil(lambda: page.detail.result is not None and page.detail.result.detail.id == repo_id,
                    timeout=WAIT_MS)


def test_typing_a_query_searches_once_after_a_pause(page: DiscoverPage, hub: HubEmulator,
                                                    tiny_gguf: Callable[..., Path], qtbot: Any,
                                                    qtmodeltester: Any) -> None:
    publish_tiny(hub, tiny_gguf, "acme/gemma-tiny-GGUF", downloads=20)
    publish_tiny(hub, tiny_gguf, "acme/qwen-tiny-GGUF", downloads=10)
    assert hub.requests() == [], "opening the page sends nothing to the Hub"
    assert page.stack.currentWidget() is page.empty

    qtbot.keyClicks(page.search_box, "gemma")
    assert page.session is None, "nothing is sent while the user is typing"
    qtbot.waitUntil(lambda: shown_ids(page) == ["acme/gemma-tiny-GGUF"], timeout=WAIT_MS)
    assert len(searches(hub)) == 1, "five keystrokes make one request"
    assert "search=gemma" in searches(hub)[0].query
    assert page.model.index(0, 0).data() == "gemma-tiny-GGUF"
    assert "1 model" in page.status.text()
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.proxy)

    qtbot.keyClicks(page.search_box, "x")
    qtbot.keyClick(page.search_box, Qt.Key.Key_Return)  # Enter searches at once
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.no_results, timeout=WAIT_MS)
    assert "gemmax" in page.no_results.text.text()


def test_sort_order_comes_from_the_hub(page: DiscoverPage, hub: HubEmulator, tiny_gguf: Callable[..., Path],
                                       qtbot: Any) -> None:
    publish_tiny(hub, tiny_gguf, "acme/popular-GGUF", downloads=900, likes=1)
    publish_tiny(hub, tiny_gguf, "acme/loved-GGUF", downloads=5, likes=80)
    search(qtbot, page)
    assert shown_ids(page) == ["acme/popular-GGUF", "acme/loved-GGUF"]
    page.sort.setCurrentIndex(page.sort.findData("likes"))
    qtbot.waitUntil(lambda: shown_ids(page) == ["acme/loved-GGUF", "acme/popular-GGUF"], timeout=WAIT_MS)
    assert "sort=likes" in searches(hub)[-1].query


def test_scrolling_down_loads_the_next_page(make_page: Callable[..., DiscoverPage], hub: HubEmulator,
                                            qtbot: Any) -> None:
    for i in range(40):
        hub.add_repo(f"org/model-{i:02d}-GGUF", {f"model-{i:02d}-Q4_K_M.gguf": b"GGUF" + bytes(64)},
                     downloads=1000 - i)
    page = make_page(show=True)
    page.flow.page_size = 10
    search(qtbot, page)
    bar = page.table.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and not page.loading_page, timeout=WAIT_MS)
    loaded = page.model.rowCount()
    assert 10 <= loaded < 40, "only what fills the view is loaded"

    while page.session is not None and page.session.has_more:
        before = page.model.rowCount()
        bar.setValue(bar.maximum())
        qtbot.waitUntil(lambda before=before: page.model.rowCount() > before and not page.loading_page,
                        timeout=WAIT_MS)
    ids = shown_ids(page)
    assert ids == [f"org/model-{i:02d}-GGUF" for i in range(40)], "every page once, in the Hub's order"
    assert len(searches(hub)) == 4, "one request per page, none twice"
    assert "scroll for more" not in page.status.text()


def test_a_repo_shows_its_card_quants_fit_and_one_recommendation(make_page: Callable[..., DiscoverPage],
                                                                  hub: HubEmulator, tmp_path: Path, qtbot: Any,
                                                                  qtmodeltester: Any) -> None:
    publish_showcase(hub, tmp_path / "hub", repos=(LLAMA, SMOLVLM))
    page = make_page(show=True)
    search(qtbot, page)
    open_repo(qtbot, page, LLAMA.repo_id)
    detail = page.detail
    card = detail.readme.toPlainText()
    assert "Prompt format" in card and "llama-cli" in card and "Image: Benchmark chart" in card
    assert "base_model:" not in card, "the YAML front matter is not shown"
    assert detail.header.title.text() == LLAMA.repo_id
    assert detail.header.license_badge.text() == "Use-restricted"

    model = detail.files.model
    qtmodeltester.check(model)
    assert sorted(model.index(r, Column.QUANT).data() for r in range(model.rowCount())) == sorted(LLAMA.quants)
    assert all(model.index(r, 0).data(FIT_ROLE) is not None for r in range(model.rowCount()))
    assert all(model.index(r, Column.FIT).data().startswith("CPU") for r in range(model.rowCount()))
    rows = [model.index(r, 0) for r in range(model.rowCount())]
    recommended = [index.data() for index in rows if index.data(RECOMMENDED_ROLE)]
    assert recommended == ["Q8_0"]
    assert detail.files.selected_group() is not None and detail.files.selected_group().label == "Q8_0"
    assert detail.files.download_button.text().startswith("Download Q8_0")
    assert "Recommended here: Q8_0" in detail.files.recommendation.text()
    assert detail.files.projectors.isHidden()
    assert not page.table.viewport().grab().isNull() and not detail.files.table.viewport().grab().isNull()  # delegates

    open_repo(qtbot, page, SMOLVLM.repo_id)
    projectors = detail.files.projectors
    assert not projectors.isHidden() and "mmproj-SmolVLM-256M-Instruct-F16.gguf" in projectors.text()


def test_download_goes_to_downloads_and_then_the_library(window: MainWindow, hub: HubEmulator,
                                                         tiny_gguf: Callable[..., Path], qtbot: Any) -> None:
    publish_tiny(hub, tiny_gguf, "acme/tiny-GGUF", quants=("Q8_0",))
    assert hub.requests() == [], "opening the window sends nothing to the Hub"
    page = window.discover
    window.show_page("discover")
    search(qtbot, page, "tiny")
    open_repo(qtbot, page, "acme/tiny-GGUF")
    page.detail.files.download_button.click()
    downloads = window.downloads.model
    qtbot.waitUntil(lambda: downloads.rowCount() == 1, timeout=WAIT_MS)
    assert window.current_page() == "discover", "downloading does not leave the page"
    qtbot.waitUntil(lambda: page.detail.files.download_note.text() == "Added to Downloads.", timeout=WAIT_MS)
    assert "added to Downloads" in window.message_bar.text()
    qtbot.waitUntil(lambda: downloads.jobs()[0].state is JobState.DONE, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: any(e.source.repo_id == "acme/tiny-GGUF" for e in window.library.model.entries()),
                    timeout=WAIT_MS)
    assert page.detail.files.download_button.text() == "Q8_0 is in your library"
    assert not page.detail.files.download_button.isEnabled()


def test_a_gated_repo_says_its_terms_must_be_accepted(page: DiscoverPage, hub: HubEmulator, tmp_path: Path,
                                                      qtbot: Any) -> None:
    publish_showcase(hub, tmp_path / "hub", repos=(GEMMA,))
    search(qtbot, page)
    open_repo(qtbot, page, GEMMA.repo_id)
    notice = page.detail.gate_notice
    assert not notice.isHidden() and notice.text.text().startswith(GATED_TEXT)
    assert f"{hub.url}/{GEMMA.repo_id}" in notice.link.text()
    assert page.detail.readme.toPlainText().startswith("The model card can be read on the Hub once"), \
        "the card of a gated repository cannot be read without accepted terms"


def test_a_hub_error_shows_inline_and_retry_works_once_it_clears(page: DiscoverPage, hub: HubEmulator,
                                                                 tiny_gguf: Callable[..., Path], qtbot: Any) -> None:
    publish_tiny(hub, tiny_gguf, "acme/tiny-GGUF")
    hub.fail("/api/models", 500, times=None, host="hub")
    page.search("tiny")
    qtbot.waitUntil(lambda: not page.notice.isHidden() and page.notice.severity == "error", timeout=WAIT_MS)
    assert "HTTP 500" in page.notice.text.text()
    assert page.notice.button.text() == "Retry" and not page.notice.button.isHidden()
    assert page.model.rowCount() == 0

    hub.clear_faults()
    qtbot.mouseClick(page.notice.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shown_ids(page) == ["acme/tiny-GGUF"], timeout=WAIT_MS)
    assert page.notice.isHidden()


def test_a_repo_that_fails_to_load_offers_retry(page: DiscoverPage, hub: HubEmulator,
                                                tiny_gguf: Callable[..., Path], qtbot: Any) -> None:
    publish_tiny(hub, tiny_gguf, "acme/tiny-GGUF")
    hub.fail("/api/models/acme/tiny-GGUF", 503, times=None, host="hub")
    search(qtbot, page, "tiny")
    notice = page.detail.status_notice
    qtbot.waitUntil(lambda: not notice.isHidden() and notice.severity == "error", timeout=WAIT_MS)
    assert "HTTP 503" in notice.text.text() and page.detail.result is None
    hub.clear_faults()
    qtbot.mouseClick(notice.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.detail.result is not None, timeout=WAIT_MS)
    assert notice.isHidden()


def test_offline_shows_saved_results_and_sends_nothing(page: DiscoverPage, services: Services, hub: HubEmulator,
                                                       tiny_gguf: Callable[..., Path], qtbot: Any,
                                                       online_again: None) -> None:
    publish_tiny(hub, tiny_gguf, "acme/tiny-GGUF")
    search(qtbot, page, "tiny")
    qtbot.waitUntil(lambda: page.detail.result is not None, timeout=WAIT_MS)

    services.settings.settings.offline = True  # what the Settings switch does
    privacy.apply_to_hub_client(True)
    hub.clear_log()
    search(qtbot, page, "tiny")
    assert shown_ids(page) == ["acme/tiny-GGUF"]
    assert not page.notice.isHidden() and page.notice.text.text().startswith("Offline — showing saved results from")
    qtbot.waitUntil(lambda: page.detail.result is not None, timeout=WAIT_MS)
    assert page.detail.status_notice.text.text().startswith("Offline — showing the saved copy from")

    page.detail.files.download_button.click()
    qtbot.waitUntil(lambda: "offline" in page.detail.files.download_note.text(), timeout=WAIT_MS)
    page.search("never searched")
    qtbot.waitUntil(lambda: page.notice.severity == "error" and "no saved results" in page.notice.text.text(),
                    timeout=WAIT_MS)
    assert hub.requests() == [], "offline, not one request reaches the Hub"


def test_an_older_search_answering_late_is_dropped(page: DiscoverPage, hub: HubEmulator,
                                                   tiny_gguf: Callable[..., Path], qtbot: Any) -> None:
    publish_tiny(hub, tiny_gguf, "acme/alpha-GGUF")
    publish_tiny(hub, tiny_gguf, "acme/bravo-GGUF")
    page.search("alpha")
    older = page.generation
    search(qtbot, page, "bravo")
    assert shown_ids(page) == ["acme/bravo-GGUF"]
    page.flow._loaded(older, SearchPage(0, [RepoSummary("acme/alpha-GGUF")], has_more=False))
    assert shown_ids(page) == ["acme/bravo-GGUF"], "the older search's answer is stale"


def test_filters_hide_loaded_results(page: DiscoverPage, hub: HubEmulator, qtbot: Any) -> None:
    for repo_id, license_id, params, arch, downloads in (
            ("acme/small-GGUF", "mit", 500_000_000, "llama", 30),
            ("acme/medium-GGUF", "cc-by-nc-4.0", 7_000_000_000, "qwen2", 20),
            ("acme/huge-GGUF", "apache-2.0", 70_000_000_000, "llama", 10)):
        hub.add_repo(repo_id, {"model-Q4_K_M.gguf": b"GGUF" + bytes(64)}, license=license_id, downloads=downloads,
                     gguf={"total": params, "architecture": arch, "context_length": 8192})
    search(qtbot, page)
    bar = page.filters
    assert [bar.architecture.itemText(i) for i in range(bar.architecture.count())] == [
        "Any architecture", "llama", "qwen2"]

    bar.license.setCurrentIndex(bar.license.findData("non-commercial"))
    assert shown_ids(page) == ["acme/medium-GGUF"]
    assert page.model.index(1, ResultColumn.LICENSE).data() == "Non-commercial"
    bar.license.setCurrentIndex(0)
    bar.size_filter.setCurrentIndex(1)  # under 1B
    assert shown_ids(page) == ["acme/small-GGUF"]
    bar.size_filter.setCurrentIndex(0)
    bar.architecture.setCurrentIndex(bar.architecture.findData("llama"))
    assert shown_ids(page) == ["acme/small-GGUF", "acme/huge-GGUF"]
    bar.architecture.setCurrentIndex(0)
    bar.fits.setChecked(True)
    qtbot.waitUntil(lambda: page.proxy.profile is not None, timeout=WAIT_MS)
    assert shown_ids(page) == ["acme/small-GGUF", "acme/medium-GGUF"], "70B does not fit in 8 GB"
    assert "2 shown" in page.status.text()


def test_a_repo_without_gguf_files_says_so(page: DiscoverPage, hub: HubEmulator, qtbot: Any) -> None:
    hub.add_repo("acme/weights-only", {"model.safetensors": b"x" * 10}, tags=["gguf"], readme="# Weights\n")
    search(qtbot, page)
    qtbot.waitUntil(lambda: page.detail.result is not None, timeout=WAIT_MS)
    assert not page.detail.files.no_gguf.isHidden() and page.detail.files.no_gguf.text() == NO_GGUF_TEXT
    assert page.detail.files.table.isHidden() and page.detail.files.download_button.isHidden()


def test_card_links_open_in_the_browser_and_only_web_links(page: DiscoverPage, hub: HubEmulator,
                                                           tiny_gguf: Callable[..., Path], qtbot: Any,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(links, "open_url", lambda url: opened.append(QUrl(url).toString()) or True)
    publish_tiny(hub, tiny_gguf, "acme/tiny-GGUF")
    search(qtbot, page)
    qtbot.waitUntil(lambda: page.detail.result is not None, timeout=WAIT_MS)
    readme = page.detail.readme
    readme.anchorClicked.emit(QUrl("docs/usage.md"))
    readme.anchorClicked.emit(QUrl("https://example.org/paper"))
    readme.anchorClicked.emit(QUrl("file:///etc/passwd"))
    assert opened == [f"{hub.url}/acme/tiny-GGUF/blob/main/docs/usage.md", "https://example.org/paper"]
    assert f"{hub.url}/acme/tiny-GGUF" in page.detail.header.hub_link.text()


def test_results_carry_repository_badges_for_the_license_column(qtmodeltester: Any) -> None:
    """Discover paints license, provenance, freshness and access pills from the summary alone."""
    from hearth.core.hub_models import RepoSummary
    from hearth.ui.badges import BADGES_ROLE
    from hearth.ui.discover.results_model import Column, ResultsModel

    model = ResultsModel()
    model.append([
        RepoSummary(id="bartowski/Llama-3.2-1B-Instruct-GGUF", author="bartowski", license="llama3.2",
                    last_modified="2020-01-01T00:00:00.000Z", gated=False),
        RepoSummary(id="someone/Mystery-GGUF", author="someone", license="mit", gated=True),
    ])
    qtmodeltester.check(model)
    first = {b.key: b for b in model.index(0, Column.LICENSE).data(BADGES_ROLE)}
    second = {b.key: b for b in model.index(1, Column.LICENSE).data(BADGES_ROLE)}
    assert first["license"].level.value == "caution" and first["provenance"].level.value == "ok"
    assert first["freshness"].level.value == "caution"
    assert second["provenance"].level.value == "caution" and second["access"].level.value != "ok"
    assert model.index(0, Column.NAME).data(BADGES_ROLE) is None


def test_the_detail_header_shows_badges_and_a_passport(qtbot: Any) -> None:
    from hearth.core.hub_models import RepoSummary
    from hearth.ui.discover.detail_header import DetailHeader

    header = DetailHeader()
    qtbot.addWidget(header)
    summary = RepoSummary(id="someone/Mystery-GGUF", author="someone", license="cc-by-nc-4.0", gated=True)
    header.show_summary(summary, "http://127.0.0.1/someone/Mystery-GGUF")
    keys = {b.key: b.level.value for b in header.risk_row.badges()}
    assert keys["provenance"] == "caution" and "access" in keys and "license" in keys
    header.passport_button.click()
    assert header.passport is not None and header.passport.isVisible()
    assert "someone/Mystery-GGUF" in header.passport.text() and "Non-commercial".lower() in header.passport.text().lower()
    header.passport.close()
