"""Renders the Settings → Privacy screenshot against a loopback Hub emulator.

Run under a display (or ``xvfb-run``):

    python -m tests.gui.privacy_screenshots OUT_DIR

It searches the emulator from Discover (so the network log has rows), puts a
tiny model and a chat in the data folder, then shows Settings scrolled to the
offline switch, the network log and the data locations. Writes privacy.png (1280×1100). Nothing
leaves the machine: the emulator listens on loopback.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path


from hearth.app import create_application, create_main_window
from hearth.core import privacy
from hearth.core.chats import ChatStore
from hearth.core.services import Services
from hearth.ui.discover.results_model import ID_ROLE
from hearth.ui.privacy.log_model import ALL
from tests.gui.hub_screenshots import wait
from tests.helpers.gguf_factory import write_tiny_gguf
from tests.helpers.hub_emulator import HubEmulator
from tests.helpers.hub_showcase import publish_showcase

SIZE = (1280, 1100)  # taller than the other pictures: the switch, the log and the data in one view


def shoot(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = create_application()
    with tempfile.TemporaryDirectory() as tmp:
        hub = HubEmulator().start()
        try:
            os.environ["HEARTH_HOME"] = str(Path(tmp) / "hearth")
            os.environ["HF_ENDPOINT"] = hub.url
            publish_showcase(hub, Path(tmp) / "hub-files", sparse=True)
            services = Services.open()
            privacy.start_guard(services.paths.logs, services.settings.settings)
            write_tiny_gguf(services.paths.models / "acme" / "tiny-GGUF" / "tiny-Q8_0.gguf")
            with ChatStore.open(services.paths) as store:
                talk = store.create_conversation("Trip plans")
                store.add_message(talk.id, "user", "Where should we go in May?")
            window = create_main_window(services)
            window.resize(*SIZE)
            window.show()
            window.show_page("discover")
            page = window.discover
            page.search("llama")
            wait(app, lambda: page.model.rowCount() > 0 and not page.loading_page)
            page.select_repo(str(page.model.index(0, 0).data(ID_ROLE)))
            wait(app, lambda: page.detail.result is not None, settle_ms=500)
            window.show_page("settings")
            section = window.settings_page.privacy
            scope = section.log_box.scope
            scope.setCurrentIndex(scope.findData(ALL))
            wait(app, lambda: not section.locations.measuring, settle_ms=300)
            scroll = window.settings_page.show_tab("privacy")
            if scroll is not None:
                scroll.verticalScrollBar().setValue(section.offline_card.y() - 8)
            wait(app, lambda: True, settle_ms=300)
            window.grab().save(str(out / "privacy.png"))
            window.close()
        finally:
            hub.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    shoot(parser.parse_args().out)
