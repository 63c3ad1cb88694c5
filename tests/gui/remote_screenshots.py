"""Renders Settings → Remote engines and a chat running on a remote engine.

Run under a display (or ``xvfb-run``):

    python -m tests.gui.remote_screenshots OUT_DIR

The "remote" is a real OpenAI-compatible server on loopback (a Hearth engine
process on a tiny model, reached by address and key); a second entry points at
Ollama's default port, where nothing runs, so its models are not listed yet.
Keys go to an in-memory keyring. Writes remote-engines.png and remote-chat.png (1280×800).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import keyring
from PySide6.QtCore import Qt

from hearth.app import create_application, create_main_window
from hearth.core.services import Services
from tests.gui.hub_screenshots import wait
from tests.helpers.chat_page import WORDS_ONLY
from tests.helpers.memory_keyring import MemoryKeyring
from tests.helpers.remote import remote_server

SIZE = (1280, 800)


def shoot(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = create_application()
    keyring.set_keyring(MemoryKeyring())
    with tempfile.TemporaryDirectory() as tmp, remote_server(Path(tmp)) as engine:
        os.environ["HEARTH_HOME"] = str(Path(tmp) / "hearth")
        services = Services.open()
        window = create_main_window(services)
        window.resize(*SIZE)
        window.show()
        section = window.settings_page.remote
        section.remotes.add("Workstation", engine.endpoint.base_url, engine.endpoint.api_key)
        section.remotes.add("Ollama", "http://127.0.0.1:11434/v1")
        section.model.refresh()
        section.changed.emit()
        section.test("Workstation")
        wait(app, lambda: section._worker is None, settle_ms=200)
        window.show_page("settings")
        window.settings_page.show_tab("remote")
        section.select("Workstation")
        wait(app, lambda: True, settle_ms=300)
        window.grab().save(str(out / "remote-engines.png"))

        window.show_page("chat")
        page, bar = window.chat, window.chat.model_bar
        bar.select(f"remote:Workstation/{engine.api_name}")
        bar.load_button.click()
        wait(app, lambda: page.handle() is not None, settle_ms=200)
        page.turns.extra_params = {"logit_bias": WORDS_ONLY}
        page.params.fields["max_tokens"].setValue(24)
        page.params.fields["seed"].setValue(3)
        page.composer.edit.setPlainText("Summarise the meeting notes in three lines.")
        page.composer.edit.setFocus()
        page.composer.send.emit(page.composer.edit.toPlainText())
        page.composer.edit.clear()
        wait(app, lambda: not page.turns.busy, settle_ms=400)
        page.composer.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        window.grab().save(str(out / "remote-chat.png"))
        window.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    shoot(parser.parse_args().out)
