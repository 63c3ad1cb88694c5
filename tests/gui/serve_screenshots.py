"""Renders the Settings → Serve screenshot while serving a loaded tiny model.

Run under a display (or ``xvfb-run``):

    python -m tests.gui.serve_screenshots OUT_DIR

It loads a tiny chat model through the Chat page, starts the local API server
from the Serve tab (on port 8642 when free), sends it two requests with the
``openai`` client and writes serve.png (1280×800). The API key lives in an
in-memory keyring: the real one is never touched.
"""

from __future__ import annotations

import argparse
import os
import socket
import tempfile
from pathlib import Path

import keyring
import openai

from hearth.app import create_application, create_main_window
from hearth.core.services import Services
from hearth.core.settings import DEFAULT_SERVE_PORT
from hearth.engine.load_settings import LoadSettings
from tests.gui.chat_screenshots import settle, wait
from tests.helpers.gguf_factory import write_tiny_gguf
from tests.helpers.memory_keyring import MemoryKeyring

SIZE = (1280, 800)


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def shoot(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    keyring.set_keyring(MemoryKeyring())
    app = create_application()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HEARTH_HOME"] = str(Path(tmp) / "hearth")
        services = Services.open()
        model = write_tiny_gguf(services.paths.models / "acme" / "Tiny-Chat-GGUF" / "tiny-chat-Q8_0.gguf",
                                name="Tiny Chat 1B", context_length=2048)
        window = create_main_window(services)
        window.resize(*SIZE)
        window.show()
        page = window.chat
        entry = services.library.add_paths([model])
        page.models.load_settings.set(entry.id, LoadSettings(context_length=2048, threads=1))
        page.models.refresh()
        page.model_bar.select(entry.id)
        page.model_bar.load_button.click()
        wait(app, lambda: page.models.handle() is not None and not page.models.bridge.loading)

        window.show_page("settings")
        window.settings_page.show_tab("serve")
        serve = window.settings_page.serve
        wait(app, lambda: serve.controller.key is not None and not serve.controller.busy)
        port = DEFAULT_SERVE_PORT if port_free(DEFAULT_SERVE_PORT) else DEFAULT_SERVE_PORT + 1
        serve.server.port.setValue(port)
        serve.server.toggle.click()
        wait(app, lambda: serve.controller.serving and not serve.controller.busy)
        with openai.OpenAI(base_url=serve.controller.gateway.url, api_key=serve.controller.key,
                           max_retries=0) as client:
            client.models.list()
            client.chat.completions.create(model="any", messages=[{"role": "user", "content": "hi"}],
                                           max_tokens=4)
        wait(app, lambda: serve.server.status.text().endswith("2 requests"))
        settle(app)
        window.grab().save(str(out / "serve.png"))
        window.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    shoot(parser.parse_args().out)
