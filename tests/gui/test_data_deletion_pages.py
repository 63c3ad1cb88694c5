"""Deleting data in Settings → Privacy: every page lets go of the files, then shows (and keeps) the empty state."""

from __future__ import annotations

from typing import Any

from hearth.core.chats import ChatStore
from hearth.core.data_wipe import location
from hearth.core.documents import DocumentStore
from hearth.core.services import Services
from hearth.engine.remote import RemoteEngines
from hearth.ui.main_window import MainWindow

from tests.gui.conftest import WAIT_MS
from tests.gui.test_privacy_page import FakePrompts
from tests.helpers.gguf_factory import write_tiny_gguf


def test_deleting_chats_starts_an_empty_database_the_page_keeps_using(window: MainWindow, services: Services,
                                                                      qtbot: Any) -> None:
    store = window.chat.store
    old = store.create_conversation("Before the deletion")
    window.chat.conversations.reload()
    assert window.chat.conversations.model.rowCount() == 1
    boxes = window.settings_page.privacy.locations
    boxes.prompts = FakePrompts()
    report = boxes.delete(location(services.paths, "chats"))
    assert report is not None and not report.failed
    assert window.chat.conversations.model.rowCount() == 0 and window.chat.turns.conversation_id is None
    new = store.create_conversation("After the deletion")  # the page's store writes to the new file
    with ChatStore.open(services.paths) as on_disk:
        assert [c.id for c in on_disk.conversations()] == [new.id] and old.id != new.id
    qtbot.waitUntil(lambda: not boxes.measuring, timeout=WAIT_MS)


def test_delete_all_empties_every_page(window: MainWindow, services: Services, qtbot: Any,
                                       memory_keyring: Any) -> None:
    write_tiny_gguf(services.paths.models / "acme" / "tiny" / "tiny.gguf")
    assert window.library.refresh()
    qtbot.waitUntil(lambda: not window.library.runner.busy, timeout=WAIT_MS)
    assert window.library.model.rowCount() == 1
    window.embeddings.store.create("notes", [services.paths.data])
    window.embeddings.documents.refresh()
    RemoteEngines(services.settings).add("Box", "http://127.0.0.1:8080/v1", "k-1")
    window.settings_page.remote.reload()
    assert window.settings_page.remote.model.rowCount() == 1
    boxes = window.settings_page.privacy.locations
    boxes.prompts = FakePrompts()
    assert boxes.delete_all() is not None
    qtbot.waitUntil(lambda: not window.library.runner.busy, timeout=WAIT_MS)
    assert window.library.model.rowCount() == 0
    assert window.embeddings.store.collections() == []
    assert window.settings_page.remote.model.rowCount() == 0 and services.settings.settings.remote_engines == []
    with DocumentStore.open(services.paths) as on_disk:
        assert on_disk.collections() == []
    qtbot.waitUntil(lambda: not boxes.measuring and not window.settings_page.token_box.background.busy,
                    timeout=WAIT_MS)
