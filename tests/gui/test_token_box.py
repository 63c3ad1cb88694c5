"""Settings → Hugging Face token: store, test against the Hub emulator, remove; no keyring; offline."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtWidgets import QLineEdit

from hearth.core import secrets
from hearth.core.services import Services
from hearth.ui.main_window import MainWindow
from hearth.ui.token_box import MEMORY_ONLY, TokenBox
from tests.gui.conftest import WAIT_MS
from tests.helpers.hub_emulator import HubEmulator
from tests.helpers.memory_keyring import MemoryKeyring

TOKEN = "hf_TestTokenForTheEmulator"


@pytest.fixture
def box(services: Services, qtbot: Any) -> Iterator[TokenBox]:
    made = TokenBox(services)
    qtbot.addWidget(made)
    made.show()  # the keyring is read, in the background, when the box is first shown
    qtbot.waitUntil(lambda: made.checked and not made.background.busy, timeout=WAIT_MS)
    yield made
    made.shutdown()


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    secrets.forget_memory()
    yield
    keyring.set_keyring(previous)
    secrets.forget_memory()


def wait_result(qtbot: Any, box: TokenBox) -> str:
    qtbot.waitUntil(lambda: not box.background.busy and box.result.text() != "Asking the Hub…", timeout=WAIT_MS)
    return box.result.text()


def test_a_pasted_token_is_hidden_saved_in_the_keyring_and_removed(memory_keyring: Any, box: TokenBox) -> None:
    assert box.field.echoMode() == QLineEdit.EchoMode.Password
    assert box.state.text() == "No token is stored."
    assert box.backend.text().startswith("Kept in: System keyring (")
    assert not box.save_button.isEnabled() and not box.remove_button.isEnabled() and not box.test_button.isEnabled()
    box.field.setText(f"  {TOKEN}  ")
    box.save_button.click()
    assert secrets.get_token() == TOKEN and list(memory_keyring.store.values()) == [TOKEN]
    assert box.field.text() == "" and box.state.text() == "A token is stored."
    assert box.result.text() == "Token saved." and TOKEN not in box.result.text()
    assert box.remove_button.isEnabled() and box.test_button.isEnabled()
    box.remove_button.click()
    assert secrets.get_token() is None and box.state.text() == "No token is stored."
    assert box.result.text() == "Token removed."


def test_testing_asks_the_hub_whose_token_it_is(box: TokenBox, hub: HubEmulator, qtbot: Any) -> None:
    hub.add_token(TOKEN, user="ada")
    box.field.setText(TOKEN)
    box.save_button.click()
    box.test_button.click()
    assert wait_result(qtbot, box) == "Valid token for ada (read)"
    assert hub.requests("/api/whoami-v2")[0].headers["authorization"] == f"Bearer {TOKEN}"

    box.field.setText("hf_not_a_real_one")  # a pasted token is tested before it is saved
    box.test_button.click()
    assert wait_result(qtbot, box) == "The Hub does not accept this token."
    assert secrets.get_token() == TOKEN, "testing does not store"


def test_without_a_keyring_the_token_lasts_for_this_run_only(box: TokenBox, no_keyring: None, qtbot: Any) -> None:
    box.refresh()
    qtbot.waitUntil(lambda: not box.background.busy, timeout=WAIT_MS)
    assert box.backend.text() == MEMORY_ONLY
    box.field.setText(TOKEN)
    box.save_button.click()
    assert box.result.text() == MEMORY_ONLY and box.state.text() == "A token is stored."
    assert secrets.get_token() == TOKEN


def test_testing_offline_sends_nothing(services: Services, box: TokenBox, hub: HubEmulator, qtbot: Any) -> None:
    services.settings.settings.offline = True
    box.field.setText(TOKEN)
    box.test_button.click()
    assert "offline" in wait_result(qtbot, box)
    assert hub.requests() == []


def test_the_settings_page_holds_the_token_box(window: MainWindow) -> None:
    assert window.settings_page.token_box.findChild(QLineEdit) is window.settings_page.token_box.field


def test_a_malformed_token_is_refused(memory_keyring: Any, box: TokenBox) -> None:
    box.field.setText("hf_has a space")
    box.save_button.click()
    assert "does not look like a Hugging Face token" in box.result.text()
    assert secrets.get_token() is None


class _CountingKeyring(MemoryKeyring):
    reads = 0

    def get_password(self, service: str, username: str) -> str | None:
        type(self).reads += 1
        return super().get_password(service, username)


def test_the_keyring_is_read_when_the_box_is_shown_not_when_it_is_built(services: Services, qtbot: Any) -> None:
    """A locked keyring asks for its password when read: opening the window must not trigger that."""
    previous = keyring.get_keyring()
    counting = _CountingKeyring()
    counting.set_password(secrets.SERVICE, secrets.USERNAME, TOKEN)
    keyring.set_keyring(counting)
    _CountingKeyring.reads = 0
    try:
        made = TokenBox(services)
        qtbot.addWidget(made)
        assert _CountingKeyring.reads == 0 and made.state.text() == "Checking the system keyring…"
        assert not made.remove_button.isEnabled()
        made.show()
        qtbot.waitUntil(lambda: made.checked and not made.background.busy, timeout=WAIT_MS)
        assert _CountingKeyring.reads >= 1 and made.state.text() == "A token is stored."
        assert made.remove_button.isEnabled()
        made.shutdown()
    finally:
        keyring.set_keyring(previous)
        secrets.forget_memory()
