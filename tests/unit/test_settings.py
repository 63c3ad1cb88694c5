"""Settings: typed defaults, atomic round trips, and recovery from broken files.

A broken settings file is never deleted: it is moved aside with its content
intact, defaults are used, and the notice is shown once (the next start finds
no broken file).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from hearth.core.errors import SettingsError
from hearth.core.settings import DEFAULT_SERVE_PORT, SETTINGS_VERSION, Settings, SettingsStore


@pytest.fixture
def store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(tmp_path / "config" / "settings.json")


def aside_files(store: SettingsStore) -> list[Path]:
    return sorted(store.path.parent.glob(store.path.name + ".corrupt-*"))


def test_defaults() -> None:
    s = Settings()
    assert s.version == SETTINGS_VERSION
    assert s.model_folders == []
    assert s.offline is False
    assert s.theme == "system"
    assert s.ui_state == {}
    assert Settings().model_folders is not s.model_folders  # no shared mutable default


def test_missing_file_gives_defaults_without_notice(store: SettingsStore) -> None:
    assert store.load() == Settings()
    assert store.notice is None
    assert not store.path.exists()  # loading alone writes nothing


def test_round_trip(store: SettingsStore) -> None:
    wanted = Settings(model_folders=["/models/a", "/models/b"], offline=True, theme="dark",
                      ui_state={"geometry": "AAAA"})
    store.save(wanted)
    on_disk = json.loads(store.path.read_text(encoding="utf-8"))
    assert on_disk == asdict(wanted)
    again = SettingsStore(store.path)
    assert again.load() == wanted
    assert again.notice is None


def test_save_leaves_no_temporary_files(store: SettingsStore) -> None:
    store.save(Settings(theme="light"))
    store.save(Settings(theme="dark"))
    assert [p.name for p in store.path.parent.iterdir()] == ["settings.json"]


def test_save_refuses_an_invalid_theme(store: SettingsStore) -> None:
    with pytest.raises(ValueError, match="theme"):
        store.save(Settings(theme="neon"))
    assert not store.path.exists()


def test_save_failure_is_a_settings_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the config folder should be")
    store = SettingsStore(blocker / "settings.json")
    with pytest.raises(SettingsError, match="Could not save settings") as info:
        store.save(Settings())
    assert "\n" not in str(info.value)


def test_corrupt_json_is_moved_aside_once(store: SettingsStore) -> None:
    store.path.parent.mkdir(parents=True)
    broken = '{"theme": "dark", '
    store.path.write_text(broken, encoding="utf-8")

    assert store.load() == Settings()
    assert store.notice is not None
    assert "not valid JSON" in store.notice and "\n" not in store.notice
    kept = aside_files(store)
    assert len(kept) == 1
    assert kept[0].read_text(encoding="utf-8") == broken  # the user's data is kept as it was
    assert kept[0].name in store.notice
    assert not store.path.exists()

    fresh = SettingsStore(store.path)
    assert fresh.load() == Settings()
    assert fresh.notice is None  # shown once, not at every start
    assert len(aside_files(store)) == 1


def test_second_corruption_keeps_both_copies(store: SettingsStore) -> None:
    store.path.parent.mkdir(parents=True)
    for text in ("{", "[1, 2"):
        store.path.write_text(text, encoding="utf-8")
        SettingsStore(store.path).load()
    assert sorted(p.read_text() for p in aside_files(store)) == ["[1, 2", "{"]


@pytest.mark.parametrize("text", ["[]", '"dark"', "42", "null", "true"])
def test_json_that_is_not_an_object(store: SettingsStore, text: str) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_text(text, encoding="utf-8")
    assert store.load() == Settings()
    assert store.notice and "does not hold a settings object" in store.notice
    assert [p.read_text() for p in aside_files(store)] == [text]


def test_bytes_that_are_not_utf8(store: SettingsStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(b'{"theme": "\xff\xfe"}')
    assert store.load() == Settings()
    assert store.notice and "could not be read" in store.notice
    assert [p.read_bytes() for p in aside_files(store)] == [b'{"theme": "\xff\xfe"}']


def test_wrong_field_types_fall_back_per_field(store: SettingsStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_text(json.dumps({
        "version": "one",
        "model_folders": ["/ok", 3],      # one bad item spoils the list
        "offline": "yes",                 # a string is not a bool
        "theme": "dark",                  # this one is fine and must be kept
        "ui_state": {"geometry": 12},
        "unknown_field": True,            # ignored
    }), encoding="utf-8")
    settings = store.load()
    assert settings == Settings(theme="dark")
    assert store.notice is None  # valid JSON with odd values is not "corrupt"
    assert aside_files(store) == []


def test_good_fields_survive_next_to_bad_ones(store: SettingsStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_text(json.dumps({"model_folders": ["/a"], "offline": 1, "ui_state": {"k": "v"}}))
    settings = store.load()
    assert settings.model_folders == ["/a"]
    assert settings.offline is False  # 1 is not a bool
    assert settings.ui_state == {"k": "v"}


def test_unknown_theme_falls_back_to_system(store: SettingsStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_text(json.dumps({"theme": "neon", "offline": True}), encoding="utf-8")
    settings = store.load()
    assert settings.theme == "system"
    assert settings.offline is True


def test_serve_defaults_and_round_trip(store: SettingsStore) -> None:
    defaults = Settings()
    assert (defaults.serve_port, defaults.serve_require_key, defaults.serve_lan) == (DEFAULT_SERVE_PORT, True, False)
    store.save(Settings(serve_port=9100, serve_require_key=False, serve_lan=True))
    loaded = store.load()
    assert (loaded.serve_port, loaded.serve_require_key, loaded.serve_lan) == (9100, False, True)


@pytest.mark.parametrize("port", [0, 80, 70000, True, "8642"])
def test_a_bad_serve_port_falls_back_alone(store: SettingsStore, port: object) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_text(json.dumps({"serve_port": port, "theme": "dark", "serve_lan": True}), encoding="utf-8")
    settings = store.load()
    assert settings.serve_port == DEFAULT_SERVE_PORT
    assert settings.theme == "dark" and settings.serve_lan is True
    with pytest.raises(ValueError, match="serve_port"):
        store.save(Settings(serve_port=80))


def test_future_version_number_is_normalised(store: SettingsStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_text(json.dumps({"version": 99, "theme": "light"}), encoding="utf-8")
    settings = store.load()
    assert settings.version == SETTINGS_VERSION
    assert settings.theme == "light"


def test_a_folder_in_place_of_the_file(store: SettingsStore) -> None:
    store.path.mkdir(parents=True)
    (store.path / "inside.txt").write_text("keep me")
    assert store.load() == Settings()
    assert store.notice and "could not be read" in store.notice
    kept = aside_files(store)
    assert len(kept) == 1 and (kept[0] / "inside.txt").read_text() == "keep me"
    store.save(Settings(theme="dark"))  # the place is free again
    assert SettingsStore(store.path).load().theme == "dark"


def test_load_resets_a_previous_notice(store: SettingsStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_text("{oops", encoding="utf-8")
    store.load()
    assert store.notice
    store.load()
    assert store.notice is None
