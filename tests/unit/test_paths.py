"""Paths.resolve(): explicit data dir, then HEARTH_HOME, then the platform's folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from hearth.core.errors import HearthError
from hearth.core.paths import HOME_ENV, Paths


def test_hearth_home_puts_everything_under_one_folder(hearth_home: Path) -> None:
    paths = Paths.resolve()
    root = hearth_home.resolve()
    assert paths == Paths(root / "data", root / "config", root / "cache", root / "logs")
    assert paths.models == root / "data" / "models"
    assert paths.library_manifest == root / "data" / "library.json"
    assert paths.settings_file == root / "config" / "settings.json"
    assert paths.log_file == root / "logs" / "hearth.log"


def test_explicit_data_dir_beats_hearth_home(tmp_path: Path, hearth_home: Path) -> None:
    paths = Paths.resolve(tmp_path / "portable")
    assert paths.data == (tmp_path / "portable" / "data").resolve()
    assert not paths.data.is_relative_to(hearth_home)


def test_data_dir_is_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert Paths.resolve("relative").config == tmp_path.resolve() / "relative" / "config"


def test_data_dir_expands_the_user_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert Paths.resolve("~/hearth").data == tmp_path.resolve() / "hearth" / "data"


@pytest.mark.parametrize("value", [None, ""])
def test_without_a_home_the_platform_folders_are_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                      value: str | None) -> None:
    if value is None:
        monkeypatch.delenv(HOME_ENV, raising=False)
    else:
        monkeypatch.setenv(HOME_ENV, value)  # an empty variable counts as unset
    paths = Paths.resolve()
    # conftest points XDG_DATA_HOME and XDG_CONFIG_HOME at the test's temp folder.
    assert paths.data == tmp_path / "xdg-data" / "hearth"
    assert paths.config == tmp_path / "xdg-config" / "hearth"
    assert paths.models == paths.data / "models"


def test_ensure_creates_every_folder(tmp_path: Path) -> None:
    paths = Paths.resolve(tmp_path / "fresh")
    assert not (tmp_path / "fresh").exists()
    assert paths.ensure() is paths
    for folder in (paths.data, paths.config, paths.cache, paths.logs, paths.models):
        assert folder.is_dir()
    paths.ensure()  # a second call is harmless


def test_as_dict_names_every_folder(paths: Paths) -> None:
    assert paths.as_dict() == {
        "data": str(paths.data), "config": str(paths.config), "cache": str(paths.cache),
        "logs": str(paths.logs), "models": str(paths.models),
    }


def test_ensure_explains_a_folder_it_cannot_create(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(HearthError, match="Cannot create the folder") as info:
        Paths.resolve(blocker / "home").ensure()
    assert "\n" not in str(info.value)
