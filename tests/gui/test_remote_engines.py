"""Remote engines in the GUI, against a real OpenAI-compatible server (a Hearth engine process added by URL and key).

Settings → Remote engines: add (through canned dialogs), test, change the key,
remove; the table model passes qtmodeltester. Chat: pick the remote's model,
Connect, send, see the reply stream and get saved as "remote:<name>/<model>";
a wrong key and offline mode give one clear line and the app stays usable.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from hearth.app import create_main_window
from hearth.core.netguard import GUARD
from hearth.core.services import Services
from hearth.engine.supervisor import EngineHandle
from hearth.ui.main_window import MainWindow
from hearth.ui.remote.add_dialog import AddRemoteDialog, RemoteForm
from hearth.ui.remote.model import RemoteEnginesModel
from tests.helpers.chat_page import WAIT_MS, WORDS_ONLY, load_model
from tests.helpers.gguf_factory import write_tiny_gguf
from tests.helpers.remote import RemoteDialogs, dead_port, remote_server

pytestmark = pytest.mark.llama


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineHandle]:
    with remote_server(tmp_path_factory.mktemp("remote-gui")) as handle:
        yield handle


@pytest.fixture
def remote_dialogs() -> RemoteDialogs:
    return RemoteDialogs()


@pytest.fixture
def window(qtbot: Any, services: Services, remote_dialogs: RemoteDialogs, memory_keyring: Any) -> Iterator[MainWindow]:
    made = create_main_window(services, dialogs=remote_dialogs)
    qtbot.addWidget(made)
    made.resize(1200, 800)
    made.show()
    qtbot.waitExposed(made)
    qtbot.waitUntil(lambda: not made.library.runner.busy, timeout=WAIT_MS)
    yield made
    made.close()


def add_remote(qtbot: Any, window: MainWindow, dialogs: RemoteDialogs, form: RemoteForm) -> tuple[str, str]:
    """Add through the Settings tab; returns the (level, text) the test that follows reports."""
    section = window.settings_page.remote
    window.show_page("settings")
    window.settings_page.show_tab("remote")
    dialogs.remote_form = form
    with qtbot.waitSignal(section.message, timeout=WAIT_MS) as told:
        section.add_button.click()
    level, text = told.args
    return level, text


def test_add_test_and_chat_through_a_remote_engine(qtbot: Any, window: MainWindow, remote_dialogs: RemoteDialogs,
                                                   engine: EngineHandle, qtmodeltester: Any) -> None:
    section = window.settings_page.remote
    assert section.model.rowCount() == 0 and section.table.isHidden()
    assert section.empty.text().startswith("No remote engines yet")
    endpoint = engine.endpoint
    level, text = add_remote(qtbot, window, remote_dialogs,
                             RemoteForm("Box", endpoint.base_url + "/", endpoint.api_key))
    assert level == "success" and text.startswith("Added Box: it works and offers 1 model")
    assert remote_dialogs.add_remote_calls == [set()]
    model = section.model
    qtmodeltester.check(model)
    assert [model.index(0, c).data() for c in range(4)] == ["Box", endpoint.base_url, "Stored", engine.api_name]
    assert not section.table.isHidden() and section.selected() == "Box"

    # Test again: lists the models in a worker and keeps them.
    with qtbot.waitSignal(section.message, timeout=WAIT_MS) as told:
        section.test_button.click()
    assert told.args[0] == "success" and told.args[1].startswith("Tested Box")

    # The Chat page's picker offers the remote model after the local ones, and connects to it.
    page = window.chat
    window.show_page("chat")
    bar = page.model_bar
    assert bar.select(f"remote:Box/{engine.api_name}")
    assert bar.combo.currentText() == f"Box · {engine.api_name} (remote)"
    assert bar.load_button.text() == "Connect" and not bar.settings_button.isEnabled()
    assert bar.remote_note.isVisibleTo(page) and endpoint.base_url.split("/")[2] in bar.remote_note.text()
    assert not bar.badges.isVisibleTo(page)
    bar.load_button.click()
    qtbot.waitUntil(lambda: page.handle() is not None, timeout=WAIT_MS)
    assert bar.unload_button.text() == "Disconnect" and "Connected to Box" in bar.status.text()
    assert bar.load_button.text() == "Reconnect" and not bar.settings_button.isEnabled()
    assert page.context_bar.label.text() == "Context: size unknown" and page.context_bar.meter.isHidden()

    page.turns.extra_params = {"logit_bias": WORDS_ONLY}
    page.params.fields["max_tokens"].setValue(8)
    page.composer.edit.setPlainText("hello remote")
    qtbot.keyClick(page.composer.edit, Qt.Key.Key_Return)
    generation = page.turns.generation
    assert generation is not None  # the reply started at once, through the same Turns/Generation path
    streamed: list[str] = []
    generation.text.connect(streamed.append)
    qtbot.waitUntil(lambda: not page.turns.busy, timeout=WAIT_MS)
    reply = page.messages.widgets[-1]
    assert reply.role == "assistant" and reply.stats_text and "8 tokens" in reply.stats_text
    saved = page.store.messages(page.conversation_id)
    assert [m.role for m in saved] == ["user", "assistant"] and saved[-1].content
    assert saved[-1].model_id == f"remote:Box/{engine.api_name}"
    assert streamed and streamed[-1] == saved[-1].content  # the text arrived while streaming
    assert "tokens (size unknown)" in page.context_bar.label.text()

    # Reopened, the reply names its remote model.
    page.turns.open(page.conversation_id)
    assert f"Box · {engine.api_name}" in page.messages.widgets[-1].sender.text()

    # Disconnect: the composer waits for a model again.
    bar.unload_button.click()
    assert page.handle() is None and not page.composer.send_button.isEnabled()
    assert bar.unload_button.text() == "Unload" and "Disconnected from Box" in bar.status.text()


def test_a_wrong_key_is_told_and_the_chat_stays_usable(qtbot: Any, window: MainWindow,
                                                         remote_dialogs: RemoteDialogs, engine: EngineHandle) -> None:
    section = window.settings_page.remote
    level, text = add_remote(qtbot, window, remote_dialogs,
                             RemoteForm("Wrong", engine.endpoint.base_url, "not-the-key"))
    assert level == "warning" and "Added Wrong, but the test failed: Wrong refused the API key" in text
    assert section.model.index(0, 3).data() == "Not listed yet: press Test"
    # Change key… to the right one; Test now lists the model.
    remote_dialogs.secret_answer = engine.endpoint.api_key
    section.key_button.click()
    with qtbot.waitSignal(section.message, timeout=WAIT_MS) as told:
        section.test_button.click()
    assert told.args[0] == "success"
    # The picker has the model; then the key goes wrong again: Connect says why, nothing connects.
    remote_dialogs.secret_answer = "wrong-again"
    section.key_button.click()
    page, bar = window.chat, window.chat.model_bar
    assert bar.select(f"remote:Wrong/{engine.api_name}")
    with qtbot.waitSignal(page.message, timeout=WAIT_MS) as told:
        bar.load_button.click()
    assert told.args == ["error", "Wrong refused the API key (HTTP 401): check the key"]
    assert bar.problem.isVisibleTo(page) and page.handle() is None and bar.load_button.isEnabled()
    assert bar.status.text() == "Not connected"


def test_offline_mode_refuses_a_remote_off_this_computer(qtbot: Any, window: MainWindow,
                                                           remote_dialogs: RemoteDialogs) -> None:
    remotes = window.settings_page.remote.remotes
    remotes.add("Far", "http://192.0.2.1:8080/v1")
    remotes.set_models("Far", ["big-model"])
    window.chat.models.refresh()
    GUARD.offline = True
    page, bar = window.chat, window.chat.model_bar
    assert bar.select("remote:Far/big-model")
    with qtbot.waitSignal(page.message, timeout=WAIT_MS) as told:
        bar.load_button.click()
    assert told.args == ["error", "Hearth is offline: turn off offline mode in Settings → Privacy to use Far"]
    assert page.handle() is None


def test_switching_between_a_local_model_and_a_remote_one(qtbot: Any, window: MainWindow, tmp_path: Path,
                                                           remote_dialogs: RemoteDialogs, engine: EngineHandle) -> None:
    add_remote(qtbot, window, remote_dialogs, RemoteForm("Box", engine.endpoint.base_url, engine.endpoint.api_key))
    page, bar = window.chat, window.chat.model_bar
    window.show_page("chat")
    load_model(qtbot, page, write_tiny_gguf(tmp_path / "local-tiny.gguf", name="Local Tiny", context_length=1024),
               context=1024)
    local = page.handle()
    assert local is not None and local.n_ctx == 1024 and bar.unload_button.text() == "Unload"
    assert bar.select(f"remote:Box/{engine.api_name}")
    bar.load_button.click()
    qtbot.waitUntil(lambda: page.handle() is not None and page.handle() is not local, timeout=WAIT_MS)
    assert page.handle().model_id.startswith("remote:Box/")  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: page.models.bridge.handle() is None, timeout=WAIT_MS)  # the local engine stopped
    assert page.composer.send_button.isEnabled() or not page.composer.edit.toPlainText()
    # And back: loading the local model disconnects the remote.
    load_model(qtbot, page, tmp_path / "local-tiny.gguf", context=1024)
    target = page.handle()
    assert target is not None and not target.model_id.startswith("remote:") and page.models.connector.target is None
    assert bar.unload_button.text() == "Unload" and page.context_bar.meter.isVisibleTo(page)
    # Removing the remote in Settings takes it out of the picker.
    section = window.settings_page.remote
    section.select("Box")
    section.remove_button.click()
    assert remote_dialogs.remove_remote_calls == ["Box"] and section.model.rowCount() == 0
    assert not bar.select(f"remote:Box/{engine.api_name}")


def test_the_add_dialog_fills_presets_and_checks_the_form(qtbot: Any) -> None:
    dialog = AddRemoteDialog({"Taken"})
    qtbot.addWidget(dialog)
    assert dialog.key.echoMode() == dialog.key.EchoMode.Password
    dialog.preset.setCurrentIndex(dialog.preset.findText("Ollama"))
    assert dialog.form() == RemoteForm("Ollama", "http://127.0.0.1:11434/v1", None)
    dialog.preset.setCurrentIndex(dialog.preset.findText("LM Studio"))
    assert dialog.form().name == "LM Studio" and dialog.form().base_url.endswith(":1234/v1")
    dialog.name.setText("Taken")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.click()
    assert dialog.problem.text() == "There is already a remote engine named 'Taken'." and not dialog.result()
    dialog.name.setText("Mine")
    dialog.preset.setCurrentIndex(dialog.preset.findText("vLLM"))
    assert dialog.form().name == "Mine"  # a typed name is kept when a preset is picked
    dialog.url.setText("ftp://box")
    ok.click()
    assert dialog.problem.text().startswith("That address cannot be used") and not dialog.result()
    dialog.url.setText(f"http://127.0.0.1:{dead_port()}/v1")
    dialog.key.setText(" s3cret ")
    with qtbot.waitSignal(dialog.accepted):
        ok.click()
    assert dialog.form().api_key == "s3cret" and "s3cret" not in repr(dialog.form())


def test_the_table_model_and_empty_state(qtbot: Any, services: Services, memory_keyring: Any,
                                         qtmodeltester: Any) -> None:
    from hearth.engine.remote import RemoteEngines

    remotes = RemoteEngines(services.settings)
    model = RemoteEnginesModel(remotes)
    qtmodeltester.check(model)
    assert model.rowCount() == 0
    remotes.add("A", "http://127.0.0.1:1/v1", api_key="k")
    remotes.add("B", "http://127.0.0.1:2/v1")
    remotes.set_models("B", ["m1", "m2", "m3", "m4", "m5"])
    model.refresh()
    qtmodeltester.check(model)
    assert [model.index(r, 2).data() for r in range(2)] == ["Stored", "None"]
    assert model.index(1, 3).data() == "m1, m2, m3 and 2 more"
    assert model.index(1, 3).data(Qt.ItemDataRole.ToolTipRole) == "m1\nm2\nm3\nm4\nm5"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Address" and model.row_of("B") == 1
