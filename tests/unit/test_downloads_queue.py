"""The download queue: pause, resume, cancel, concurrency, offline switch, unsafe paths, listeners."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hearth.core.downloads import DownloadEvent, DownloadManager, JobState, RetryPolicy
from hearth.core.downloads.job import DownloadJob
from hearth.core.hub import HubClient
from hearth.core.hub_errors import DownloadError
from hearth.core.hub_models import HubFile, QuantGroup, RepoDetail, RepoSummary
from hearth.core.services import Services
from tests.helpers.hub_emulator import HubEmulator
from tests.helpers.hub_publish import publish_tiny

WAIT = 20.0


@pytest.fixture(autouse=True)
def no_space_margin(monkeypatch: pytest.MonkeyPatch) -> None:
    from hearth.core.downloads import transfer

    monkeypatch.setattr(transfer, "SPACE_MARGIN", 0)


@pytest.fixture
def manager(services: Services) -> Iterator[DownloadManager]:
    made = DownloadManager.from_services(services, retry=RetryPolicy(2, 0.01), progress_interval=0.01)
    yield made
    made.shutdown()


@pytest.fixture
def slow_repo(hub: HubEmulator, tiny_gguf: Callable[..., Path], services: Services) -> RepoDetail:
    publish_tiny(hub, tiny_gguf, quants=("Q8_0", "F16"))
    hub.slow("/blobs/", bytes_per_s=200_000)
    return HubClient.from_services(services).repo_detail("acme/tiny-GGUF", fresh=True)


def started(manager: DownloadManager, job_id: str) -> threading.Event:
    """Set once the job has received some bytes."""
    event = threading.Event()
    manager.subscribe(lambda e: event.set() if e.job.id == job_id and e.job.done_bytes > 0 else None)
    return event


def test_pause_keeps_the_partial_and_resume_finishes(manager: DownloadManager, slow_repo: RepoDetail,
                                                     services: Services, hub: HubEmulator) -> None:
    job = manager.add(slow_repo, slow_repo.group("Q8_0"))
    assert started(manager, job.id).wait(WAIT)
    manager.pause(job.id)
    paused = manager.wait(job.id, WAIT)
    assert paused.state is JobState.PAUSED and 0 < paused.done_bytes < paused.total_bytes
    assert (services.paths.data / "downloads" / job.id / "0.part").stat().st_size == paused.done_bytes
    hub.clear_faults()
    done = manager.wait(manager.resume(job.id).id, WAIT)
    assert done.state is JobState.DONE
    assert hub.requests("/blobs/", method="GET")[-1].range == f"bytes={paused.done_bytes}-"


def test_cancel_deletes_the_partial(manager: DownloadManager, slow_repo: RepoDetail, services: Services) -> None:
    job = manager.add(slow_repo, slow_repo.group("Q8_0"))
    assert started(manager, job.id).wait(WAIT)
    manager.cancel(job.id)
    cancelled = manager.wait(job.id, WAIT)
    assert cancelled.state is JobState.CANCELLED and cancelled.finished
    assert not (services.paths.data / "downloads" / job.id).exists()
    assert services.library.scan() == []
    manager.forget(job.id)
    assert manager.jobs() == []


def test_concurrency_limits_running_jobs(services: Services, slow_repo: RepoDetail, hub: HubEmulator) -> None:
    services.settings.settings.download_concurrency = 1
    manager = DownloadManager.from_services(services, retry=RetryPolicy(2, 0.01))
    try:
        first = manager.add(slow_repo, slow_repo.group("Q8_0"))
        second = manager.add(slow_repo, slow_repo.group("F16"))
        assert manager.get(first.id).state is JobState.RUNNING
        assert manager.get(second.id).state is JobState.QUEUED
        manager.pause(second.id)
        assert manager.get(second.id).state is JobState.PAUSED
        hub.clear_faults()  # the second one may go fast
        manager.resume(second.id)
        assert manager.wait(first.id, WAIT).state is JobState.DONE
        assert manager.wait(second.id, WAIT).state is JobState.DONE
    finally:
        manager.shutdown()


def test_going_offline_pauses_a_running_download(manager: DownloadManager, slow_repo: RepoDetail,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    job = manager.add(slow_repo, slow_repo.group("Q8_0"))
    assert started(manager, job.id).wait(WAIT)
    monkeypatch.setenv("HEARTH_OFFLINE", "1")
    paused = manager.wait(job.id, WAIT)
    assert paused.state is JobState.PAUSED and "offline" in paused.message


def test_adding_the_same_files_again_returns_the_same_job(manager: DownloadManager, slow_repo: RepoDetail) -> None:
    first = manager.add(slow_repo, slow_repo.group("Q8_0"))
    again = manager.add(slow_repo, slow_repo.group("Q8_0"))
    assert again.id == first.id and len(manager.jobs()) == 1


def test_shutdown_pauses_running_jobs_for_the_next_run(services: Services, slow_repo: RepoDetail) -> None:
    manager = DownloadManager.from_services(services)
    job = manager.add(slow_repo, slow_repo.group("Q8_0"))
    assert started(manager, job.id).wait(WAIT)
    manager.shutdown()
    assert manager.get(job.id).state is JobState.PAUSED
    later = DownloadManager.from_services(services)
    assert later.get(job.id).state is JobState.PAUSED and later.get(job.id).done_bytes > 0


def test_a_failing_listener_does_not_break_downloads(manager: DownloadManager, hub: HubEmulator,
                                                     tiny_gguf: Callable[..., Path], services: Services) -> None:
    publish_tiny(hub, tiny_gguf)
    detail = HubClient.from_services(services).repo_detail("acme/tiny-GGUF")
    seen: list[DownloadEvent] = []

    def broken(event: DownloadEvent) -> None:
        raise RuntimeError("view bug")

    manager.subscribe(broken)
    unsubscribe = manager.subscribe(seen.append)
    job = manager.wait(manager.add(detail, detail.group("Q8_0")).id, WAIT)
    assert job.state is JobState.DONE and seen[-1].job.state is JobState.DONE
    unsubscribe()


@pytest.mark.parametrize("bad", ["../escape.gguf", "/etc/evil.gguf", "a/../../b.gguf"])
def test_unsafe_paths_from_the_hub_are_refused(bad: str) -> None:
    detail = RepoDetail(RepoSummary("acme/x"), "0" * 40, [], [], [])
    group = QuantGroup("Q8_0", None, [HubFile(bad, 10, "0" * 64)])
    with pytest.raises(DownloadError, match="unsafe path"):
        DownloadJob.for_group(detail, group)


def test_a_job_running_in_another_process_is_not_touched(manager: DownloadManager, hub: HubEmulator,
                                                        tiny_gguf: Callable[..., Path], services: Services) -> None:
    import filelock

    publish_tiny(hub, tiny_gguf)
    detail = HubClient.from_services(services).repo_detail("acme/tiny-GGUF")
    job_id = DownloadJob.for_group(detail, detail.group("Q8_0")).id
    folder = services.paths.data / "downloads" / job_id
    folder.mkdir(parents=True)
    with filelock.FileLock(str(folder / ".lock")):  # what another Hearth process holds
        job = manager.wait(manager.add(detail, detail.group("Q8_0")).id, WAIT)
    assert job.state is JobState.FAILED and "running in another Hearth" in job.message
    assert hub.requests(host="cdn") == []
    assert manager.wait(manager.resume(job.id).id, WAIT).state is JobState.DONE
