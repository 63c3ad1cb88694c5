"""Download throughput: Hearth's manager (resumable, sha256 while streaming) vs plain hf_hub_download.

Both fetch the same ~250 MB file (the Gemma 3 270M GGUF) from the loopback Hub
emulator in the same run, alternating, best of three each. The ratio
hearth/baseline (throughput) is printed; the goal is >= 0.9. Nothing asserts a time.
Run with ``pytest -m benchmark tests/benchmarks/test_download_speed.py -s``.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from hearth.core.downloads import DownloadManager, JobState
from hearth.core.hub import HubClient
from hearth.core.services import Services
from tests.helpers.hub_emulator import HubEmulator

pytestmark = pytest.mark.benchmark

ROUNDS = 3


def test_manager_throughput_against_hf_hub_download(hub: HubEmulator, gemma_gguf: Path, services: Services,
                                                    tmp_path: Path, record_property: Callable) -> None:
    from huggingface_hub import hf_hub_download

    hub.add_repo("google/gemma-3-270m-it-GGUF", {"gemma-3-270m-it-Q4_K_M.gguf": gemma_gguf}, license="gemma")
    size = gemma_gguf.stat().st_size
    detail = HubClient.from_services(services).repo_detail("google/gemma-3-270m-it-GGUF")
    group = detail.group("Q4_K_M")

    def baseline() -> float:
        cache = tmp_path / "hf-cache"
        start = time.perf_counter()
        hf_hub_download(detail.id, group.files[0].path, revision=detail.sha, cache_dir=cache,
                        endpoint=hub.url, token=False)
        elapsed = time.perf_counter() - start
        shutil.rmtree(cache)
        return elapsed

    def hearth() -> float:
        manager = DownloadManager.from_services(services)
        start = time.perf_counter()
        job = manager.wait(manager.add(detail, group).id, timeout=300)
        elapsed = time.perf_counter() - start
        assert job.state is JobState.DONE, job.message
        Path(job.installed[0]).unlink()  # the next round downloads it again
        manager.forget(job.id)
        return elapsed

    base_times, hearth_times = [], []
    for _ in range(ROUNDS):
        base_times.append(baseline())
        hearth_times.append(hearth())
    base_mbs = size / min(base_times) / 1e6
    hearth_mbs = size / min(hearth_times) / 1e6
    ratio = hearth_mbs / base_mbs
    record_property("throughput_ratio", round(ratio, 3))
    print(f"\ndownload of {size / 1e6:.0f} MB over loopback, best of {ROUNDS}: "
          f"hf_hub_download {base_mbs:.0f} MB/s, Hearth manager (with sha256) {hearth_mbs:.0f} MB/s, "
          f"ratio {ratio:.2f} (goal >= 0.9)")
