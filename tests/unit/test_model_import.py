"""Importing models: copy and move, sha256, progress, refusals, cancel and disk-space cleanup."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from hearth.core import model_import
from hearth.core.errors import Cancelled, LibraryError
from hearth.core.library import Library
from hearth.core.model_entry import SOURCE_IMPORTED
from hearth.core.model_import import IMPORTED_PUBLISHER, import_model
from hearth.core.services import Services
from tests.helpers.expected import expected_parameters

TinyGGUF = Callable[..., Path]
SplitGGUF = Callable[..., list[Path]]


@pytest.fixture
def library(services: Services) -> Library:
    return services.library


@pytest.fixture
def imported(services: Services) -> Path:
    return services.paths.models / IMPORTED_PUBLISHER


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(folder: Path) -> list[str]:
    """Every file or folder under ``folder`` (relative), to prove nothing was left behind."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def test_import_copies_with_sha256_and_provenance(library: Library, imported: Path,
                                                  tiny_gguf: TinyGGUF) -> None:
    src = tiny_gguf("my-model.gguf", name="Mine")
    before = src.read_bytes()
    entry = import_model(library, src)
    target = imported / "my-model" / "my-model.gguf"
    assert entry.path == target.resolve()
    assert target.read_bytes() == before
    assert src.read_bytes() == before  # a copy leaves the source alone
    assert entry.source.kind == SOURCE_IMPORTED
    assert entry.source.origin == str(src.resolve())
    assert entry.source.filename == "my-model.gguf"
    assert entry.source.sha256 == hashlib.sha256(before).hexdigest()
    assert entry.name == "Mine" and entry.usable
    assert library.get(entry.id) == entry
    assert leftovers(imported) == ["my-model", "my-model/my-model.gguf"]  # no .part files


def test_provenance_survives_a_restart(library: Library, tiny_gguf: TinyGGUF) -> None:
    src = tiny_gguf("m.gguf")
    entry = import_model(library, src)
    (again,) = Services.open().library.scan()
    assert again.source == entry.source
    assert again.added_at == entry.added_at


def test_progress_reaches_the_total(library: Library, tiny_gguf: TinyGGUF,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_import, "CHUNK", 16 << 10)  # several chunks for a tiny file
    src = tiny_gguf()
    calls: list[tuple[int, int]] = []
    import_model(library, src, progress=lambda done, total, _p: calls.append((done, total)))
    size = src.stat().st_size
    assert len(calls) > 3
    assert {total for _, total in calls} == {size}
    assert calls[-1][0] == size
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_move_takes_the_file(library: Library, imported: Path, tiny_gguf: TinyGGUF) -> None:
    src = tiny_gguf("moving.gguf")
    digest = sha256(src)
    entry = import_model(library, src, move=True)
    assert not src.exists()
    assert sha256(entry.path) == digest
    assert entry.path == (imported / "moving" / "moving.gguf").resolve()
    assert entry.source.origin == str(src.resolve())


def test_move_across_file_systems_copies_then_deletes(library: Library, tiny_gguf: TinyGGUF,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_import, "_same_device", lambda a, b: False)
    src = tiny_gguf("far.gguf")
    digest = sha256(src)
    entry = import_model(library, src, move=True)
    assert not src.exists()
    assert entry.source.sha256 == digest == sha256(entry.path)


def test_split_import_copies_every_part(library: Library, imported: Path, split_gguf: SplitGGUF) -> None:
    parts = split_gguf("big", parts=3)
    entry = import_model(library, parts[1])  # any part brings the whole model
    assert [p.name for p in entry.parts] == [p.name for p in parts]
    for src, dest in zip(parts, entry.parts):
        assert dest.parent == (imported / "big").resolve()
        assert sha256(dest) == sha256(src)
    assert entry.facts is not None and entry.facts.parameters == expected_parameters()
    assert entry.usable
    assert entry.source.sha256 is None  # one digest cannot describe several files


def test_split_import_with_a_missing_part(library: Library, imported: Path, split_gguf: SplitGGUF) -> None:
    parts = split_gguf("big", parts=3)
    parts[2].unlink()
    with pytest.raises(LibraryError, match="big-00003-of-00003.gguf"):
        import_model(library, parts[0])
    assert leftovers(imported) == []


# ---- refusals ------------------------------------------------------------------------------------

def test_import_of_a_missing_file(library: Library, tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match="is not a file"):
        import_model(library, tmp_path / "nowhere.gguf")


def test_import_of_a_folder(library: Library, tmp_path: Path) -> None:
    (tmp_path / "dir.gguf").mkdir()
    with pytest.raises(LibraryError, match="is not a file"):
        import_model(library, tmp_path / "dir.gguf")


def test_import_of_another_extension(library: Library, tmp_path: Path, tiny_gguf: TinyGGUF) -> None:
    src = tiny_gguf("model.bin")
    with pytest.raises(LibraryError, match=r"model\.bin is not a \.gguf file"):
        import_model(library, src)


def test_import_of_a_file_that_is_not_gguf(library: Library, imported: Path, tmp_path: Path) -> None:
    fake = tmp_path / "fake.gguf"
    fake.write_bytes(b"PK\x03\x04 definitely a zip")
    with pytest.raises(LibraryError, match="fake.gguf cannot be imported") as info:
        import_model(library, fake)
    assert "\n" not in str(info.value)
    assert leftovers(imported) == []


def test_import_of_a_file_already_in_the_library(library: Library, services: Services,
                                                 tiny_gguf: TinyGGUF) -> None:
    inside = tiny_gguf("in.gguf", folder=services.paths.models / "p" / "r")
    with pytest.raises(LibraryError, match="already in the library"):
        import_model(library, inside)
    assert inside.exists()


def test_import_of_a_file_in_an_extra_folder(library: Library, tmp_path: Path, tiny_gguf: TinyGGUF) -> None:
    extra = tmp_path / "extra"
    path = tiny_gguf("x.gguf", folder=extra / "deep")
    library.add_folder(extra)
    with pytest.raises(LibraryError, match="already in the library"):
        import_model(library, path, move=True)
    assert path.exists()


def test_importing_the_same_name_twice(library: Library, tmp_path: Path, tiny_gguf: TinyGGUF) -> None:
    first = tiny_gguf("dup.gguf", folder=tmp_path / "one")
    second = tiny_gguf("dup.gguf", folder=tmp_path / "two", name="Other")
    entry = import_model(library, first)
    before = sha256(entry.path)
    with pytest.raises(LibraryError, match="dup.gguf is already in the library"):
        import_model(library, second, move=True)
    assert second.exists()
    assert sha256(entry.path) == before  # the first import is untouched


# ---- cancel and failures leave nothing behind -------------------------------------------------

def test_cancel_removes_the_partial_copy(library: Library, imported: Path, tiny_gguf: TinyGGUF,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_import, "CHUNK", 8 << 10)
    src = tiny_gguf("slow.gguf")
    checks = 0

    def stop_after_two_chunks() -> bool:
        nonlocal checks
        checks += 1
        return checks > 2

    with pytest.raises(Cancelled):
        import_model(library, src, should_stop=stop_after_two_chunks)
    assert checks == 3
    assert leftovers(imported) == []  # no .part file, no empty model folder
    assert src.exists()
    assert library.scan() == []


def test_cancel_in_a_later_split_part_removes_earlier_parts(library: Library, imported: Path,
                                                           split_gguf: SplitGGUF) -> None:
    parts = split_gguf("big", parts=3)
    started: list[str] = []

    def progress(done: int, total: int, path: str) -> None:
        started.append(Path(path).name)

    def stop_in_the_second_part() -> bool:
        return len(set(started)) >= 2

    with pytest.raises(Cancelled):
        import_model(library, parts[0], progress=progress, should_stop=stop_in_the_second_part)
    assert leftovers(imported) == []
    assert all(p.exists() for p in parts)


def test_cancelled_move_across_file_systems_keeps_the_source(library: Library, imported: Path,
                                                             tiny_gguf: TinyGGUF,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_import, "_same_device", lambda a, b: False)
    src = tiny_gguf("far.gguf")
    with pytest.raises(Cancelled):
        import_model(library, src, move=True, should_stop=lambda: True)
    assert src.exists()
    assert leftovers(imported) == []


def test_not_enough_disk_space(library: Library, imported: Path, tiny_gguf: TinyGGUF,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_import.shutil, "disk_usage",
                        lambda path: shutil._ntuple_diskusage(10**9, 10**9 - 1000, 1000))  # type: ignore[attr-defined]
    src = tiny_gguf()
    with pytest.raises(LibraryError, match="Not enough disk space") as info:
        import_model(library, src)
    assert "\n" not in str(info.value)
    assert leftovers(imported) == []
    assert src.exists()


def test_disk_full_while_copying(library: Library, imported: Path, tiny_gguf: TinyGGUF,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(model_import.os, "fsync", full)
    with pytest.raises(LibraryError, match="The disk is full"):
        import_model(library, tiny_gguf("m.gguf"))
    assert leftovers(imported) == []
