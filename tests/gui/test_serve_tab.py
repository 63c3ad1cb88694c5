"""Settings → Serve: start and stop the local API server from the tab, the key, network access, snippets."""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication

from hearth.core.netguard import GUARD
from hearth.core.paths import Paths
from hearth.core.secrets import SERVE_KEY, SERVICE
from hearth.core.settings import DEFAULT_SERVE_PORT, SettingsStore
from hearth.engine.gateway import ALL_INTERFACES, LOOPBACK
from hearth.engine.supervisor import EngineRole, api_model_name
from hearth.ui.main_window import MainWindow
from hearth.ui.serve.section import MISSING, ServeSection
from hearth.ui.serve.snippets import mask
from tests.gui.conftest import WAIT_MS, FakeDialogs
from tests.helpers.engines import entry_for
from tests.helpers.gguf_factory import write_tiny_gguf


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def serve(window: MainWindow, memory_keyring: Any, qtbot: Any) -> Iterator[ServeSection]:
    window.show_page("settings")
    window.settings_page.show_tab("serve")
    window.show()
    qtbot.waitExposed(window)
    section = window.settings_page.serve
    qtbot.waitUntil(lambda: section.controller.key is not None and not section.controller.busy, timeout=WAIT_MS)
    yield section
    section.controller.gateway.stop()


def saved(paths: Paths) -> Any:
    return SettingsStore(paths.config / "settings.json").load()


def models_status(port: int, key: str | None) -> int:
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=30)
    try:
        connection.request("GET", "/v1/models", headers={"Authorization": f"Bearer {key}"} if key else {})
        response = connection.getresponse()
        json.loads(response.read())
        return response.status
    finally:
        connection.close()


def test_the_key_is_required_by_default_and_masked(serve: ServeSection, memory_keyring: Any) -> None:
    key = serve.controller.key
    assert key and memory_keyring.store[(SERVICE, SERVE_KEY)] == key  # made on first use, kept in the keyring
    assert serve.key.require.isChecked() and not serve.key.warning.isVisible()
    assert serve.key.field.text() == mask(key)
    assert key not in serve.snippets.curl.text.toPlainText() and key not in serve.snippets.python.text.toPlainText()
    assert f"127.0.0.1:{DEFAULT_SERVE_PORT}/v1" in serve.snippets.curl.text.toPlainText()
    assert not serve.network.lan.isChecked() and serve.server.status.text() == "Stopped"
    assert serve.server.chat.text() == MISSING[EngineRole.CHAT]


def test_start_and_stop_from_the_tab(serve: ServeSection, qtbot: Any, window: MainWindow) -> None:
    port = free_port()
    serve.server.port.setValue(port)
    assert saved(window.services.paths).serve_port == port
    assert f"127.0.0.1:{port}/v1" in serve.snippets.curl.text.toPlainText()
    assert f'base_url="http://127.0.0.1:{port}/v1"' in serve.snippets.python.text.toPlainText()
    serve.server.toggle.click()
    qtbot.waitUntil(lambda: serve.controller.serving and not serve.controller.busy, timeout=WAIT_MS)
    assert serve.server.status.text().startswith(f"Serving at http://127.0.0.1:{port}/v1")
    assert serve.server.toggle.text() == "Stop" and not serve.server.port.isEnabled()
    assert serve.controller.gateway.host == LOOPBACK
    assert models_status(port, serve.controller.key) == 200
    assert models_status(port, "wrong") == 401
    qtbot.waitUntil(lambda: serve.server.status.text().endswith("· 2 requests"), timeout=WAIT_MS)
    serve.server.toggle.click()
    qtbot.waitUntil(lambda: not serve.controller.serving and not serve.controller.busy, timeout=WAIT_MS)
    assert serve.server.status.text() == "Stopped" and serve.server.port.isEnabled()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((LOOPBACK, port), timeout=5).close()


def test_copy_gives_the_real_key(serve: ServeSection) -> None:
    key = str(serve.controller.key)
    clipboard = QGuiApplication.clipboard()
    serve.key.copy.click()
    assert clipboard.text() == key
    serve.snippets.curl.copy.click()
    assert f"Authorization: Bearer {key}" in clipboard.text()
    serve.snippets.python.copy.click()
    assert f'api_key="{key}"' in clipboard.text() and key not in serve.snippets.python.text.toPlainText()
    serve.key.show.click()
    assert serve.key.field.text() == key and key in serve.snippets.curl.text.toPlainText()


def test_a_new_key_replaces_the_old_one(serve: ServeSection, qtbot: Any, memory_keyring: Any) -> None:
    old = serve.controller.key
    serve.key.renew.click()
    qtbot.waitUntil(lambda: serve.controller.key != old, timeout=WAIT_MS)
    assert memory_keyring.store[(SERVICE, SERVE_KEY)] == serve.controller.key


def test_turning_the_key_off_is_saved_and_applies(serve: ServeSection, qtbot: Any, window: MainWindow) -> None:
    port = free_port()
    serve.server.port.setValue(port)
    serve.server.toggle.click()
    qtbot.waitUntil(lambda: serve.controller.serving and not serve.controller.busy, timeout=WAIT_MS)
    assert models_status(port, None) == 401
    serve.key.require.setChecked(False)
    assert saved(window.services.paths).serve_require_key is False
    assert serve.key.warning.isVisible() and "Authorization" not in serve.snippets.curl.text.toPlainText()
    assert models_status(port, None) == 200  # the running server follows at once


def test_a_port_in_use_is_reported(serve: ServeSection, qtbot: Any, window: MainWindow) -> None:
    with socket.socket() as taken:
        taken.bind((LOOPBACK, 0))
        taken.listen()
        port = taken.getsockname()[1]
        serve.server.port.setValue(port)
        serve.server.toggle.click()
        qtbot.waitUntil(lambda: "already in use" in window.message_bar.text(), timeout=WAIT_MS)
    assert window.message_bar.text() == f"Port {port} is already in use by another program: choose another port"
    assert not serve.controller.serving and serve.server.status.text() == "Stopped"


def test_network_access_asks_first_and_offline_forces_loopback(
        serve: ServeSection, qtbot: Any, window: MainWindow, dialogs: FakeDialogs,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)  # the offline switch sets it; restored afterwards
    serve.server.port.setValue(free_port())
    serve.server.toggle.click()
    qtbot.waitUntil(lambda: serve.controller.serving and not serve.controller.busy, timeout=WAIT_MS)
    serve.network.lan.click()  # cancelled
    assert dialogs.lan_calls == 1 and not serve.network.lan.isChecked()
    assert saved(window.services.paths).serve_lan is False and serve.controller.gateway.host == LOOPBACK
    dialogs.lan_answer = True
    serve.network.lan.click()
    qtbot.waitUntil(lambda: serve.controller.gateway.host == ALL_INTERFACES and not serve.controller.busy,
                    timeout=WAIT_MS)
    assert saved(window.services.paths).serve_lan is True
    assert "also on your network" in serve.server.status.text()
    window.settings_page.offline.setChecked(True)
    assert GUARD.offline and not serve.network.lan.isEnabled() and serve.network.offline_note.isVisible()
    qtbot.waitUntil(lambda: serve.controller.gateway.host == LOOPBACK and not serve.controller.busy,
                    timeout=WAIT_MS)
    assert serve.controller.serving and not serve.network.addresses.isVisible()
    assert serve.network.lan.isChecked()  # the choice is kept for when Hearth goes online again
    window.settings_page.offline.setChecked(False)
    qtbot.waitUntil(lambda: serve.controller.gateway.host == ALL_INTERFACES and not serve.controller.busy,
                    timeout=WAIT_MS)
    assert serve.network.lan.isEnabled() and not serve.network.offline_note.isVisible()


@pytest.mark.llama
def test_the_tab_follows_the_loaded_models(serve: ServeSection, qtbot: Any, window: MainWindow,
                                           tmp_path: Path) -> None:
    entry = entry_for(write_tiny_gguf(tmp_path / "tiny-serve.gguf"))
    window.supervisor.start(entry)  # the Chat page would do this in a worker
    qtbot.waitUntil(lambda: serve.server.chat.text() == f"Chat: {entry.name}", timeout=WAIT_MS)
    assert f"model=\"{api_model_name(entry)}\"" in serve.snippets.python.text.toPlainText()
    window.supervisor.stop(EngineRole.CHAT)
    qtbot.waitUntil(lambda: serve.server.chat.text() == MISSING[EngineRole.CHAT], timeout=WAIT_MS)


def test_closing_the_window_stops_the_server(serve: ServeSection, qtbot: Any, window: MainWindow) -> None:
    serve.server.port.setValue(free_port())
    serve.server.toggle.click()
    qtbot.waitUntil(lambda: serve.controller.serving and not serve.controller.busy, timeout=WAIT_MS)
    window.close()
    assert not serve.controller.serving
