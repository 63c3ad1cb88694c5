"""Renders the Discover and Downloads screenshots against a loopback Hub emulator.

Run under a display (or ``xvfb-run``):

    python -m tests.gui.hub_screenshots OUT_DIR [--dark]

It serves a few realistic repositories (one gated, one with a vision projector),
opens one in Discover, then starts two downloads through a throttled emulator
and pauses one. Writes discover.png and downloads.png (1280×800), or
discover-dark.png and downloads-dark.png with ``--dark``. Nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QElapsedTimer
from PySide6.QtWidgets import QApplication

from hearth.app import create_application, create_main_window
from hearth.core.downloads import JobState
from hearth.core.services import Services
from tests.helpers.hub_emulator import HubEmulator
from tests.helpers.hub_showcase import publish_showcase

SIZE = (1280, 800)
OPENED = "bartowski/Llama-3.2-1B-Instruct-GGUF"


def wait(app: QApplication, condition: Callable[[], bool], timeout_ms: int = 30_000, settle_ms: int = 0) -> None:
    timer = QElapsedTimer()
    timer.start()
    while not condition():
        if timer.elapsed() > timeout_ms:
            raise TimeoutError("the window did not reach the expected state")
        app.processEvents()
    timer.restart()
    while timer.elapsed() < settle_ms:
        app.processEvents()


def shoot(out: Path, dark: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    suffix = "-dark" if dark else ""
    app = create_application()
    with tempfile.TemporaryDirectory() as tmp:
        hub = HubEmulator().start()
        try:
            os.environ["HEARTH_HOME"] = str(Path(tmp) / "hearth")
            os.environ["HF_ENDPOINT"] = hub.url
            publish_showcase(hub, Path(tmp) / "hub-files", sparse=True)
            services = Services.open()
            services.settings.settings.theme = "dark" if dark else "light"
            window = create_main_window(services)
            window.resize(*SIZE)
            window.show()
            window.show_page("discover")
            page = window.discover
            page.search("")
            wait(app, lambda: page.model.rowCount() > 0 and not page.loading_page)
            page.select_repo(OPENED)
            wait(app, lambda: page.detail.result is not None, settle_ms=400)
            window.grab().save(str(out / f"discover{suffix}.png"))

            hub.slow("/blobs/", 3_000_000)
            manager = window.download_manager
            for repo_id, label in (("Qwen/Qwen2.5-0.5B-Instruct-GGUF", "Q4_K_M"), (OPENED, "Q4_K_M")):
                page.select_repo(repo_id)
                wait(app, lambda repo_id=repo_id: page.detail.result is not None
                     and page.detail.result.detail.id == repo_id)
                page.detail.files.select_group(label)
                page.detail.files.download_button.click()
                wait(app, lambda repo_id=repo_id: any(j.repo_id == repo_id for j in manager.jobs()))
            first = next(j for j in manager.jobs() if j.repo_id.startswith("Qwen"))
            wait(app, lambda: manager.get(first.id).done_bytes > 40_000_000)
            window.downloads.pause(first.id)
            wait(app, lambda: manager.get(first.id).state is JobState.PAUSED)
            window.show_page("downloads")
            wait(app, lambda: all(j.speed_bps > 0 for j in manager.jobs() if j.state is JobState.RUNNING),
                 settle_ms=1500)
            window.grab().save(str(out / f"downloads{suffix}.png"))
            window.close()
        finally:
            hub.stop()  # before the folder it serves from goes away


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--dark", action="store_true", help="use the dark theme")
    args = parser.parse_args()
    shoot(args.out, args.dark)
