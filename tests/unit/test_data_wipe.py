"""Data locations: what each covers, its size, and deleting exactly that (plus the keyring on Delete all)."""

from __future__ import annotations

from typing import Any

import keyring

from hearth.core import data_wipe, secrets
from hearth.core.paths import Paths
from hearth.core.services import Services


def fill(paths: Paths) -> None:
    (paths.models / "acme" / "tiny").mkdir(parents=True)
    (paths.models / "acme" / "tiny" / "m.gguf").write_bytes(b"m" * 1000)
    (paths.data / "chats.sqlite3").write_bytes(b"c" * 100)
    (paths.data / "chats.sqlite3-wal").write_bytes(b"w" * 10)
    (paths.data / "documents.sqlite3").write_bytes(b"d" * 50)
    (paths.cache / "hub").mkdir(parents=True)
    (paths.cache / "hub" / "search.json").write_bytes(b"s" * 20)
    (paths.data / "quarantine").mkdir()
    (paths.data / "quarantine" / "bad.gguf").write_bytes(b"q" * 7)


def test_every_location_is_listed_with_its_size(paths: Paths) -> None:
    fill(paths)
    found = {loc.key: loc for loc in data_wipe.data_locations(paths)}
    assert list(found) == ["models", "chats", "documents", "settings", "logs", "cache", "downloads", "quarantine"]
    assert data_wipe.size_of(found["models"].targets) == 1000
    assert data_wipe.size_of(found["chats"].targets) == 110  # the database and its write-ahead log
    assert data_wipe.size_of(found["quarantine"].targets) == 7
    assert data_wipe.size_of(found["downloads"].targets) == 0  # missing counts as empty
    assert found["chats"].folder == paths.data


def test_delete_removes_exactly_the_named_targets(paths: Paths) -> None:
    fill(paths)
    report = data_wipe.delete_location(data_wipe.location(paths, "chats"))
    assert sorted(p.name for p in report.deleted) == ["chats.sqlite3", "chats.sqlite3-wal"]
    assert report.freed_bytes == 110 and not report.failed
    assert (paths.data / "documents.sqlite3").is_file() and (paths.models / "acme").is_dir()
    assert "2 item(s)" in report.summary()


def test_delete_all_empties_every_folder_and_forgets_the_secrets(services: Services, memory_keyring: Any) -> None:
    paths = services.paths
    fill(paths)
    secrets.set_token("hf_secretsecretsecret")
    keyring.set_password("hearth", "remote:lan", "sk-remote")
    keyring.set_password("other-app", "remote:lan", "not ours")
    services.settings.settings.remote_engines = [{"name": "lan", "base_url": "http://127.0.0.1:9/v1"}]
    services.settings.save()

    report = data_wipe.delete_all_data(paths, services.settings)

    assert sorted(report.secrets_removed) == ["huggingface-token", "remote:lan"]
    assert secrets.get_token() is None and keyring.get_password("hearth", "remote:lan") is None
    assert keyring.get_password("other-app", "remote:lan") == "not ours"
    for root in (paths.data, paths.config, paths.cache, paths.logs):
        assert [p for p in root.rglob("*") if p.is_file()] == [], root
    assert paths.models.is_dir(), "the folders exist again, empty"
    assert services.settings.settings.remote_engines == []
    assert report.freed_bytes >= 1187 and not report.failed
