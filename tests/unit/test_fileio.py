"""Atomic writes and moving broken files aside: the two ways stores touch the disk."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from hearth.core import fileio
from hearth.core.fileio import atomic_write_json, atomic_write_text, move_aside


def test_atomic_write_creates_folders_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "file.json"
    atomic_write_json(target, {"x": 1})
    atomic_write_json(target, {"x": 2, "y": [1]})
    assert json.loads(target.read_text()) == {"x": 2, "y": [1]}
    assert target.read_text().endswith("\n")
    assert os.listdir(target.parent) == ["file.json"]


def test_failed_write_keeps_the_old_file_and_no_temporary(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "file.txt"
    atomic_write_text(target, "old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fileio.os, "replace", broken_replace)
    with pytest.raises(OSError):
        atomic_write_text(target, "new")
    monkeypatch.undo()
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["file.txt"]


def test_move_aside_keeps_every_copy(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    kept = []
    for text in ("one", "two", "three"):
        target.write_text(text)
        kept.append(move_aside(target))
    assert not target.exists()
    assert len(set(kept)) == 3
    assert [p.read_text() for p in kept] == ["one", "two", "three"]
    assert all(p.name.startswith("settings.json.corrupt-") for p in kept)


def test_move_aside_names_the_reason(tmp_path: Path) -> None:
    target = tmp_path / "chats.db"
    target.write_text("x")
    assert move_aside(target, "old").name.startswith("chats.db.old-")
