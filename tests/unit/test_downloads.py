"""Downloads end to end against the emulator: verified install, resume, restart, integrity, gates."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hearth.core import secrets
from hearth.core.downloads import DownloadEvent, DownloadManager, JobState, RetryPolicy
from hearth.core.downloads.install import destination
from hearth.core.hub import HubClient
from hearth.core.hub_errors import OfflineError
from hearth.core.hub_models import RepoDetail
from hearth.core.services import Services
from tests.helpers.hub_emulator import HubEmulator
from tests.helpers.hub_publish import publish_split, publish_tiny
from tests.helpers.hub_repos import sha256_of

FAST = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)
WAIT = 20.0


@pytest.fixture
def make_manager(services: Services) -> Iterator[Callable[..., DownloadManager]]:
    made: list[DownloadManager] = []

    def make(**options: object) -> DownloadManager:
        options.setdefault("retry", FAST)
        manager = DownloadManager.from_services(services, **options)
        made.append(manager)
        return manager

    yield make
    for manager in made:
        manager.shutdown()


@pytest.fixture(autouse=True)
def no_space_margin(monkeypatch: pytest.MonkeyPatch) -> None:
    from hearth.core.downloads import transfer

    monkeypatch.setattr(transfer, "SPACE_MARGIN", 0)


def detail_of(services: Services, repo_id: str = "acme/tiny-GGUF") -> RepoDetail:
    return HubClient.from_services(services).repo_detail(repo_id, fresh=True)


def test_verified_download_enters_the_library(hub: HubEmulator, tiny_gguf: Callable[..., Path],
                                              services: Services, make_manager: Callable[..., DownloadManager]) -> None:
    repo = publish_tiny(hub, tiny_gguf, license="apache-2.0")
    detail = detail_of(services)
    manager = make_manager()
    events: list[DownloadEvent] = []
    manager.subscribe(events.append)
    job = manager.wait(manager.add(detail, detail.group("Q8_0")).id, WAIT)

    assert job.state is JobState.DONE and job.done_bytes == job.total_bytes == repo.files["tiny-Q8_0.gguf"].size
    target = destination(services.paths, "acme/tiny-GGUF", "tiny-Q8_0.gguf")
    assert job.installed == (str(target),) and sha256_of(target) == repo.files["tiny-Q8_0.gguf"].sha256
    assert not (services.paths.data / "downloads" / job.id).exists()
    (entry,) = services.library.scan()
    assert entry.path == target and entry.usable
    assert (entry.source.kind, entry.source.repo_id, entry.source.revision) == ("hub", repo.repo_id, repo.sha)
    assert entry.source.sha256 == repo.files["tiny-Q8_0.gguf"].sha256 and entry.source.license == "apache-2.0"
    kinds = [(e.kind, e.job.state.value) for e in events]
    assert kinds[0] == ("added", "queued") and kinds[-1] == ("state", "done") and ("state", "verifying") in kinds
    assert all("authorization" not in r.headers for r in hub.requests(host="cdn"))


def test_split_group_downloads_as_one_job(hub: HubEmulator, split_gguf: Callable[..., list[Path]],
                                          services: Services, make_manager: Callable[..., DownloadManager]) -> None:
    publish_split(hub, split_gguf, folder="Q8_0", parts=3)
    detail = detail_of(services, "acme/split-GGUF")
    manager = make_manager()
    job = manager.wait(manager.add(detail, detail.group("Q8_0")).id, WAIT)
    assert job.state is JobState.DONE and len(job.installed) == 3
    assert all(Path(p).parent.name == "Q8_0" for p in job.installed)
    (entry,) = services.library.scan()
    assert entry.usable and len(entry.parts) == 3 and entry.source.repo_id == "acme/split-GGUF"


def test_dropped_connection_resumes_with_a_range_request(hub: HubEmulator, tiny_gguf: Callable[..., Path],
                                                         services: Services,
                                                         make_manager: Callable[..., DownloadManager]) -> None:
    publish_tiny(hub, tiny_gguf)
    hub.cut("/blobs/", after_bytes=40_000, times=2)
    detail = detail_of(services)
    manager = make_manager()
    job = manager.wait(manager.add(detail, detail.group("Q8_0")).id, WAIT)
    assert job.state is JobState.DONE
    ranges = [r.range for r in hub.requests("/blobs/", method="GET")]
    assert ranges == [None, "bytes=40000-", "bytes=80000-"]


def test_killed_download_is_resumed_by_a_fresh_manager(hub: HubEmulator, tiny_gguf: Callable[..., Path],
                                                        services: Services,
                                                        make_manager: Callable[..., DownloadManager]) -> None:
    repo = publish_tiny(hub, tiny_gguf)
    hub.cut("/blobs/", after_bytes=50_000, times=None)
    detail = detail_of(services)
    first = make_manager(retry=RetryPolicy(attempts=0))
    job = first.wait(first.add(detail, detail.group("Q8_0")).id, WAIT)
    assert job.state is JobState.FAILED and job.message.startswith("Could not reach the Hub")
    part = services.paths.data / "downloads" / job.id / "0.part"
    assert part.stat().st_size == 50_000
    first.shutdown()
    hub.clear_faults()
    hub.clear_log()

    second = make_manager()  # a new process would build a new manager just like this
    (reloaded,) = second.jobs()
    assert reloaded.id == job.id and reloaded.done_bytes == 50_000
    resumed = second.wait(second.add(detail, detail.group("Q8_0")).id, WAIT)
    assert resumed.state is JobState.DONE
    assert [r.range for r in hub.requests("/blobs/", method="GET")] == ["bytes=50000-"]
    assert sha256_of(Path(resumed.installed[0])) == repo.files["tiny-Q8_0.gguf"].sha256


def test_job_running_when_the_process_died_comes_back_paused(hub: HubEmulator, tiny_gguf: Callable[..., Path],
                                                              services: Services,
                                                              make_manager: Callable[..., DownloadManager]) -> None:
    publish_tiny(hub, tiny_gguf)
    hub.cut("/blobs/", after_bytes=10_000, times=None)
    detail = detail_of(services)
    first = make_manager(retry=RetryPolicy(attempts=0))
    job = first.wait(first.add(detail, detail.group("Q8_0")).id, WAIT)
    record = services.paths.data / "downloads" / job.id / "job.json"
    raw = json.loads(record.read_text())
    raw["state"] = "running"  # what a kill -9 in the middle of a transfer leaves behind
    record.write_text(json.dumps(raw))
    hub.clear_faults()
    second = make_manager()
    assert second.get(job.id).state is JobState.PAUSED and "Interrupted" in second.get(job.id).message
    assert second.wait(second.resume(job.id).id, WAIT).state is JobState.DONE


def test_tampered_file_is_quarantined_and_never_installed(hub: HubEmulator, tiny_gguf: Callable[..., Path],
                                                           services: Services,
                                                           make_manager: Callable[..., DownloadManager]) -> None:
    repo = publish_tiny(hub, tiny_gguf)
    repo.tamper("tiny-Q8_0.gguf")
    detail = detail_of(services)
    manager = make_manager()
    job = manager.wait(manager.add(detail, detail.group("Q8_0")).id, WAIT)
    assert job.state is JobState.FAILED
    assert "tiny-Q8_0.gguf failed verification (its sha256 does not match the Hub's record)" in job.message
    kept = list((services.paths.data / "quarantine").iterdir())
    assert len(kept) == 1 and kept[0].stat().st_size == repo.files["tiny-Q8_0.gguf"].size
    assert not destination(services.paths, repo.repo_id, "tiny-Q8_0.gguf").exists()
    assert services.library.scan() == []


def test_disk_full_midway_pauses_and_keeps_the_partial(hub: HubEmulator, tiny_gguf: Callable[..., Path],
                                                        services: Services, monkeypatch: pytest.MonkeyPatch,
                                                        make_manager: Callable[..., DownloadManager]) -> None:
    import errno

    from hearth.core.downloads import transfer

    publish_tiny(hub, tiny_gguf)
    real_write = transfer.write_chunk
    written = 0

    def fill_up(handle, data):  # type: ignore[no-untyped-def]
        nonlocal written
        room = 30_000 - written
        if len(data) > room:  # a short write, then the disk is full
            real_write(handle, data[:room])
            written += room
            raise OSError(errno.ENOSPC, "No space left on device")
        written += len(data)
        real_write(handle, data)

    monkeypatch.setattr(transfer, "write_chunk", fill_up)
    detail = detail_of(services)
    manager = make_manager()
    job = manager.wait(manager.add(detail, detail.group("Q8_0")).id, WAIT)
    assert job.state is JobState.PAUSED and "disk is full" in job.message
    part = services.paths.data / "downloads" / job.id / "0.part"
    assert part.stat().st_size == written == 30_000 and job.done_bytes == written

    monkeypatch.setattr(transfer, "write_chunk", real_write)  # the user freed some space
    assert manager.wait(manager.resume(job.id).id, WAIT).state is JobState.DONE


def test_free_space_is_checked_before_starting(hub: HubEmulator, tiny_gguf: Callable[..., Path],
                                               services: Services, monkeypatch: pytest.MonkeyPatch,
                                               make_manager: Callable[..., DownloadManager]) -> None:
    from hearth.core.downloads import transfer
    from hearth.core.hub_errors import DiskFullError

    publish_tiny(hub, tiny_gguf)
    detail = detail_of(services)
    monkeypatch.setattr(transfer, "free_bytes", lambda folder: 1000)
    with pytest.raises(DiskFullError, match="Not enough free space"):
        make_manager().add(detail, detail.group("Q8_0"))
    assert hub.requests(host="cdn") == []


def test_gated_repo_needs_an_accepted_token(hub: HubEmulator, tiny_gguf: Callable[..., Path], services: Services,
                                            make_manager: Callable[..., DownloadManager]) -> None:
    publish_tiny(hub, tiny_gguf, "meta/Gated-GGUF", gated="manual")
    detail = detail_of(services, "meta/Gated-GGUF")
    manager = make_manager()
    refused = manager.wait(manager.add(detail, detail.group("Q8_0")).id, WAIT)
    assert refused.state is JobState.FAILED
    assert refused.message == f"This model requires accepting its terms on the Hub: {hub.url}/meta/Gated-GGUF"

    assert "authorization" not in hub.requests("/resolve/")[0].headers
    hub.add_token("hf_granted", grant=["meta/Gated-GGUF"])
    secrets.set_token("hf_granted")
    hub.clear_log()
    done = manager.wait(manager.resume(refused.id).id, WAIT)
    assert done.state is JobState.DONE
    assert [r.headers.get("authorization") for r in hub.requests("/resolve/")] == ["Bearer hf_granted"]
    assert all("authorization" not in r.headers for r in hub.requests(host="cdn"))


def test_offline_refuses_to_download_without_a_request(hub: HubEmulator, tiny_gguf: Callable[..., Path],
                                                        services: Services, monkeypatch: pytest.MonkeyPatch,
                                                        make_manager: Callable[..., DownloadManager]) -> None:
    publish_tiny(hub, tiny_gguf)
    detail = detail_of(services)
    hub.clear_log()
    monkeypatch.setenv("HEARTH_OFFLINE", "1")
    with pytest.raises(OfflineError):
        make_manager().add(detail, detail.group("Q8_0"))
    assert hub.requests() == []


def test_server_errors_are_retried(hub: HubEmulator, tiny_gguf: Callable[..., Path], services: Services,
                                   make_manager: Callable[..., DownloadManager]) -> None:
    publish_tiny(hub, tiny_gguf)
    hub.fail("/blobs/", status=503, times=2)
    detail = detail_of(services)
    manager = make_manager()
    assert manager.wait(manager.add(detail, detail.group("Q8_0")).id, WAIT).state is JobState.DONE
    assert len(hub.requests("/blobs/", method="GET")) == 3
