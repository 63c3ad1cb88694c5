"""The Hugging Face token: only in the keyring (or memory), checked against the Hub emulator."""

from __future__ import annotations

import logging

import keyring
import pytest
from keyring.backends import fail

from hearth.core import secrets
from hearth.core.hub_errors import OfflineError
from hearth.core.paths import Paths
from tests.helpers.hub_emulator import HubEmulator
from tests.helpers.memory_keyring import MemoryKeyring

TOKEN = "hf_testtoken123"


def test_token_lives_in_the_keyring(memory_keyring: MemoryKeyring, paths: Paths) -> None:
    assert secrets.get_token() is None
    assert secrets.set_token(f"  {TOKEN}\n") is True
    assert memory_keyring.store == {("hearth", "huggingface-token"): TOKEN}
    assert secrets.get_token() == TOKEN
    assert "MemoryKeyring" in secrets.backend_description() or "keyring" in secrets.backend_description()
    assert secrets.delete_token() is True and secrets.get_token() is None
    assert secrets.delete_token() is False
    on_disk = [p for p in paths.data.parent.rglob("*") if p.is_file()]
    assert all(TOKEN not in p.read_text(errors="ignore") for p in on_disk)


def test_without_a_keyring_the_token_is_kept_in_memory_only(memory_keyring: MemoryKeyring) -> None:
    keyring.set_keyring(fail.Keyring())
    assert not secrets.keyring_available()
    assert "in memory for this run only" in secrets.backend_description()
    assert secrets.set_token(TOKEN) is False
    assert secrets.get_token() == TOKEN
    assert secrets.delete_token() is True and secrets.get_token() is None


@pytest.mark.parametrize("bad", ["", "   ", "hf_two words"])
def test_bad_tokens_are_refused(memory_keyring: MemoryKeyring, bad: str) -> None:
    with pytest.raises(secrets.TokenError):
        secrets.set_token(bad)


def test_token_test_asks_whoami(hub: HubEmulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    hub.add_token(TOKEN, user="ada")
    assert not secrets.test_token().valid  # nothing stored yet: no request either
    assert hub.requests() == []
    secrets.set_token(TOKEN)
    check = secrets.test_token()
    assert check.valid and check.username == "ada" and check.role == "read"
    (request,) = hub.requests("/api/whoami-v2")
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    wrong = secrets.test_token("hf_wrong")
    assert not wrong.valid and "does not accept" in wrong.message
    assert TOKEN not in caplog.text


def test_token_test_offline_sends_nothing(hub: HubEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    secrets.set_token(TOKEN)
    monkeypatch.setenv("HEARTH_OFFLINE", "1")
    with pytest.raises(OfflineError):
        secrets.test_token()
    assert hub.requests() == []
