"""The Downloads page against the loopback Hub emulator: progress, pause/resume, cancel, restart, Library."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from hearth.core.downloads import DownloadManager, JobSnapshot, JobState, transfer
from hearth.core.hub import HubClient
from hearth.core.services import Services
from hearth.ui.downloads import texts
from hearth.ui.downloads.page import DownloadsPage
from hearth.ui.main_window import MainWindow
from tests.gui.conftest import WAIT_MS
from tests.helpers.hub_emulator import HubEmulator
from tests.helpers.hub_publish import publish_tiny

REPO = "acme/tiny-GGUF"


@pytest.fixture(autouse=True)
def no_space_margin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transfer, "SPACE_MARGIN", 0)


@pytest.fixture
def published(hub: HubEmulator, tiny_gguf: Callable[..., Path]) -> HubEmulator:
    publish_tiny(hub, tiny_gguf, REPO, quants=("Q8_0",))
    return hub


@pytest.fixture
def make_page(services: Services, qtbot: Any) -> Iterator[Callable[..., DownloadsPage]]:
    """Factory: a Downloads page on its own with its own manager (a whole window costs more to build)."""
    made: list[DownloadsPage] = []

    def make(*, show: bool = False) -> DownloadsPage:
        page = DownloadsPage(services, DownloadManager.from_services(services))
        qtbot.addWidget(page)
        made.append(page)
        if show:
            page.resize(1000, 600)
            page.show()
            qtbot.waitExposed(page)
        return page

    yield make
    for page in made:
        page.shutdown()
        page.manager.shutdown()


def start(manager: DownloadManager, services: Services, repo_id: str = REPO, label: str = "Q8_0") -> JobSnapshot:
    detail = HubClient.from_services(services).repo_detail(repo_id, fresh=True)
    return manager.add(detail, detail.group(label))


def job(page: DownloadsPage, job_id: str) -> JobSnapshot:
    found = page.model.job(job_id)
    assert found is not None
    return found


def click(qtbot: Any, page: DownloadsPage, job_id: str, key: str) -> None:
    """Click a row's painted button where the user would."""
    index = page.model.index(page.model.row_of(job_id), 0)
    box = page.delegate.button_rect(index, page.list.visualRect(index), key)
    assert box is not None, f"no {key} button on this row"
    qtbot.mouseMove(page.list.viewport(), box.center())
    qtbot.mouseClick(page.list.viewport(), Qt.MouseButton.LeftButton, pos=box.center())


def part_files(services: Services, job_id: str) -> list[Path]:
    return sorted((services.paths.data / "downloads" / job_id).glob("*.part"))


def test_empty_page_points_to_discover_and_the_concurrency_is_a_setting(window: MainWindow) -> None:
    page = window.downloads
    assert page.stack.currentWidget() is page.empty
    assert page.empty.title.text() == "No downloads yet" and "Discover" in page.empty.text.text()
    (button,) = [b for b in page.empty.findChildren(QPushButton) if b.text() == "Open Discover"]
    button.click()
    assert window.current_page() == "discover"
    assert (page.concurrency.minimum(), page.concurrency.maximum(), page.concurrency.value()) == (1, 4, 2)
    page.concurrency.setValue(3)
    assert Services.open().settings.settings.download_concurrency == 3
    assert window.download_manager.concurrency == 3, "the window's one manager follows the setting"


def test_a_download_progresses_in_place_finishes_and_shows_in_the_library(
        make_window: Callable[..., MainWindow], services: Services, published: HubEmulator, qtbot: Any,
        qtmodeltester: Any) -> None:
    window = make_window(services, show=True)
    window.show_page("downloads")
    page = window.downloads
    published.slow("/blobs/", 60_000)
    added = start(window.download_manager, services)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT_MS)
    assert page.stack.currentWidget() is not page.empty
    qtbot.waitUntil(lambda: job(page, added.id).state is JobState.RUNNING and job(page, added.id).done_bytes > 0,
                    timeout=WAIT_MS)
    running = job(page, added.id)
    assert "of" in texts.amounts(running) and page.model.rowCount() == 1, "progress updates the row in place"
    assert "downloading" in page.header.subtitle.text()
    qtmodeltester.check(page.model)
    assert not page.list.viewport().grab().isNull()  # paints a running row

    qtbot.waitUntil(lambda: job(page, added.id).state is JobState.DONE, timeout=WAIT_MS)
    done = job(page, added.id)
    assert texts.amounts(done).endswith("SHA-256 verified") and [a.key for a in texts.actions_for(done)] == [
        texts.SHOW, texts.REMOVE]
    qtbot.waitUntil(lambda: any(e.source.repo_id == REPO for e in window.library.model.entries()), timeout=WAIT_MS)
    assert not page.list.viewport().grab().isNull()

    click(qtbot, page, added.id, texts.SHOW)
    assert window.current_page() == "library"
    entry = window.library.current_entry()
    assert entry is not None and str(entry.path) == done.installed[0]


def test_pause_keeps_the_partial_file_and_resume_continues_it(
        make_page: Callable[..., DownloadsPage], services: Services, published: HubEmulator, qtbot: Any) -> None:
    page = make_page(show=True)
    published.slow("/blobs/", 20_000)
    added = start(page.manager, services)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and job(page, added.id).done_bytes > 0, timeout=WAIT_MS)
    click(qtbot, page, added.id, texts.PAUSE)
    qtbot.waitUntil(lambda: job(page, added.id).state is JobState.PAUSED, timeout=WAIT_MS)
    (partial,) = part_files(services, added.id)
    kept = partial.stat().st_size
    assert kept > 0 and "paused" in page.header.subtitle.text()

    published.clear_faults()
    published.clear_log()
    click(qtbot, page, added.id, texts.RESUME)
    qtbot.waitUntil(lambda: job(page, added.id).state is JobState.DONE, timeout=WAIT_MS)
    ranges = [r.range for r in published.requests(host="cdn") if r.range]
    assert ranges and ranges[0].startswith(f"bytes={kept}-"), "resuming asks only for the missing bytes"


def test_cancel_asks_first_then_deletes_the_partial_file(
        make_page: Callable[..., DownloadsPage], services: Services, published: HubEmulator, qtbot: Any) -> None:
    page = make_page(show=True)
    asked: list[JobSnapshot] = []
    answer = [False]
    page.confirm = lambda _parent, snapshot: asked.append(snapshot) or answer[0]
    published.slow("/blobs/", 20_000)
    added = start(page.manager, services)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and job(page, added.id).done_bytes > 0, timeout=WAIT_MS)

    click(qtbot, page, added.id, texts.CANCEL)
    assert len(asked) == 1 and job(page, added.id).state is JobState.RUNNING, "saying no keeps it running"
    answer[0] = True
    click(qtbot, page, added.id, texts.CANCEL)
    qtbot.waitUntil(lambda: job(page, added.id).state is JobState.CANCELLED, timeout=WAIT_MS)
    assert not (services.paths.data / "downloads" / added.id).exists(), "the partial file is deleted"
    assert "partial files were deleted" in texts.message(job(page, added.id))

    click(qtbot, page, added.id, texts.REMOVE)
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=WAIT_MS)
    assert page.stack.currentWidget() is page.empty


def test_closing_pauses_downloads_and_they_come_back_after_a_restart(
        make_window: Callable[..., MainWindow], make_page: Callable[..., DownloadsPage], services: Services,
        published: HubEmulator, qtbot: Any) -> None:
    first = make_window(services)
    published.slow("/blobs/", 20_000)
    added = start(first.download_manager, services)
    qtbot.waitUntil(lambda: first.downloads.model.rowCount() == 1
                    and job(first.downloads, added.id).done_bytes > 0, timeout=WAIT_MS)
    first.close()
    assert first.download_manager.get(added.id).state is JobState.PAUSED
    assert part_files(services, added.id), "the partial file stays for next time"

    second = make_page()  # a new manager reads what the first left on disk, as after a restart
    restored = job(second, added.id)
    assert restored.state is JobState.PAUSED and restored.done_bytes > 0
    assert "resume to continue" in texts.message(restored)
    published.clear_faults()
    assert second.resume(added.id)
    qtbot.waitUntil(lambda: job(second, added.id).state is JobState.DONE, timeout=WAIT_MS)


def test_a_failed_download_says_why_and_offers_retry(make_page: Callable[..., DownloadsPage], services: Services,
                                                     hub: HubEmulator, tiny_gguf: Callable[..., Path],
                                                     qtbot: Any) -> None:
    publish_tiny(hub, tiny_gguf, "acme/gated-GGUF", gated="auto")
    page = make_page()
    added = start(page.manager, services, "acme/gated-GGUF")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and job(page, added.id).state is JobState.FAILED,
                    timeout=WAIT_MS)
    failed = job(page, added.id)
    assert "requires accepting its terms" in texts.message(failed) and texts.is_problem(failed)
    assert [a.key for a in texts.actions_for(failed)] == [texts.RESUME, texts.CANCEL]
    assert texts.resume_text(failed) == "Retry"
    assert "failed" in page.header.subtitle.text()
    accessible = page.model.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert "Failed" in accessible and "requires accepting its terms" in accessible
