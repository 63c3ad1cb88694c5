"""Settings → Privacy: the offline switch, the live network log, data locations, and no telemetry at start."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt
from PySide6.QtWidgets import QApplication, QWidget

from hearth.core import privacy
from hearth.core.netguard import GUARD
from hearth.core.netlog import NETWORK_LOG, NetEvent
from hearth.core.services import Services
from hearth.core.units import human_bytes
from hearth.ui.main_window import MainWindow
from hearth.ui.privacy.log_model import ALL, BLOCKED_TEXT, LOOPBACK, NetworkLogModel
from hearth.ui.privacy.prompts import DELETE_ALL_WORD, PrivacyPrompts, deletion_text
from tests.gui.conftest import WAIT_MS
from tests.helpers.hub_emulator import HubEmulator


class FakePrompts(PrivacyPrompts):
    def __init__(self) -> None:
        self.answer = True
        self.typed = DELETE_ALL_WORD
        self.asked: list[tuple[str, list[Path]]] = []
        self.export_to: Path | None = None

    def confirm_delete(self, parent: QWidget | None, label: str, targets: Sequence[Path], size: int | None) -> bool:
        self.asked.append((label, list(targets)))
        return self.answer

    def confirm_delete_all(self, parent: QWidget | None, detail: str) -> bool:
        self.asked.append(("all", []))
        return self.typed == DELETE_ALL_WORD

    def choose_export_file(self, parent: QWidget | None) -> Path | None:
        return self.export_to


@pytest.fixture(autouse=True)
def fresh_log(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(privacy.OFFLINE_ENV, raising=False)
    NETWORK_LOG.clear()
    yield
    privacy.apply_to_hub_client(False)
    NETWORK_LOG.clear()


def event(host: str, *, status: int | None = 200, blocked: bool = False, loopback: bool | None = None) -> NetEvent:
    from hearth.core.netlog import is_loopback_host

    return NetEvent(1_700_000_000.0, "http", "GET", host, 443, "/api/models?search=tiny", status, 2048,
                    loopback=is_loopback_host(host) if loopback is None else loopback, blocked=blocked,
                    source="hub")


def test_the_log_model_passes_qt_checks_and_updates_live(qtbot: Any, qtmodeltester: Any) -> None:
    NETWORK_LOG.add(event("huggingface.co"))
    model = NetworkLogModel()
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    assert model.index(0, 3).data() == "huggingface.co:443" and model.index(0, 5).data() == "200"
    worker = threading.Thread(target=lambda: NETWORK_LOG.add(event("0.0.0.0", status=None, blocked=True)))
    worker.start()
    worker.join(5)
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=WAIT_MS)
    assert model.index(1, 5).data() == BLOCKED_TEXT
    assert model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    NETWORK_LOG.add(event("127.0.0.1"))  # an engine's request: listed apart
    qtbot.wait(50)
    assert model.rowCount() == 2
    model.set_scope(LOOPBACK)
    assert model.rowCount() == 1 and model.event_at(0).host == "127.0.0.1"
    model.set_scope(ALL)
    assert model.rowCount() == 3
    qtmodeltester.check(model)
    model.close()


def test_a_model_deleted_without_close_stops_listening(qtbot: Any) -> None:
    model = NetworkLogModel()
    model.deleteLater()
    qtbot.waitUntil(lambda: not _alive(model), timeout=WAIT_MS)
    NETWORK_LOG.add(event("huggingface.co"))  # must not raise from the dead model's listener
    assert len(NETWORK_LOG.events()) == 1


def _alive(obj: Any) -> bool:
    from shiboken6 import isValid

    return bool(isValid(obj))


def test_offline_switch_turns_the_guard_on_and_off(window: MainWindow) -> None:
    switch = window.settings_page.offline
    switch.setChecked(True)
    assert GUARD.offline and Services.open().settings.settings.offline
    switch.setChecked(False)
    assert not GUARD.offline and not Services.open().settings.settings.offline


def test_export_and_clear(window: MainWindow, tmp_path: Path) -> None:
    box = window.settings_page.privacy.log_box
    prompts = FakePrompts()
    box.prompts = prompts
    NETWORK_LOG.add(event("huggingface.co"))
    prompts.export_to = tmp_path / "log.json"
    box.export()
    assert '"host": "huggingface.co"' in prompts.export_to.read_text(encoding="utf-8")
    assert "Exported 1 request" in box.status.text()
    box.clear()
    assert box.model.rowCount() == 0 and NETWORK_LOG.events() == []


def test_data_locations_show_sizes_and_delete_after_confirming(window: MainWindow, services: Services,
                                                               qtbot: Any, dialogs: Any) -> None:
    section = window.settings_page.privacy
    boxes = section.locations
    prompts = FakePrompts()
    boxes.prompts = prompts
    folder = services.paths.data / "quarantine"
    folder.mkdir()
    (folder / "bad.gguf").write_bytes(b"x" * 4096)
    boxes.refresh()
    qtbot.waitUntil(lambda: boxes.sizes["quarantine"] == 4096, timeout=WAIT_MS)
    assert boxes.size_labels["quarantine"].text() == human_bytes(4096)

    prompts.answer = False
    boxes.delete_buttons["quarantine"].click()
    assert folder.is_dir() and prompts.asked == [("Quarantine", [folder])]
    prompts.answer = True
    messages: list[tuple[str, str]] = []
    boxes.message.connect(lambda level, text: messages.append((level, text)))
    boxes.delete_buttons["quarantine"].click()
    assert not folder.exists() and messages[-1][1].startswith("Quarantine: Deleted 1 item")
    qtbot.waitUntil(lambda: boxes.sizes["quarantine"] == 0, timeout=WAIT_MS)

    question, detail = deletion_text("Quarantine", [folder], 4096)
    assert question == "Delete quarantine?" and str(folder) in detail and human_bytes(4096) in detail


def test_delete_all_needs_the_typed_word_and_removes_the_token(window: MainWindow, services: Services,
                                                               qtbot: Any, memory_keyring: Any) -> None:
    from hearth.core import secrets

    boxes = window.settings_page.privacy.locations
    prompts = FakePrompts()
    boxes.prompts = prompts
    secrets.set_token("hf_privacytesttoken")
    (services.paths.models / "a.gguf").write_bytes(b"m" * 10)
    prompts.typed = "delete"  # not the word
    assert boxes.delete_all() is None and (services.paths.models / "a.gguf").exists()
    prompts.typed = DELETE_ALL_WORD
    report = boxes.delete_all()
    assert report is not None and "huggingface-token" in report.secrets_removed
    assert not (services.paths.models / "a.gguf").exists() and secrets.get_token() is None
    qtbot.waitUntil(lambda: not boxes.measuring, timeout=WAIT_MS)


def idle(ms: int) -> None:
    timer = QElapsedTimer()
    timer.start()
    while timer.elapsed() < ms:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def test_no_telemetry_starting_the_app_sends_nothing(make_window: Callable[..., MainWindow], hub: HubEmulator,
                                                    qtbot: Any) -> None:
    """With the guard recording every socket, the app starts and idles ~2 s: nothing leaves, nothing reaches the Hub."""
    GUARD.install()
    window = make_window(show=True)
    for key in ("discover", "settings", "library"):
        window.show_page(key)
        idle(700)
    assert NETWORK_LOG.events(loopback=False) == []
    assert hub.requests() == []
    window.close()
