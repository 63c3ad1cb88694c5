"""The library: scanning folders, split grouping, the manifest cache, lookups, removal, folders."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from hearth.core import library as library_module
from hearth.core.errors import Cancelled, LibraryError
from hearth.core.gguf_facts import GGUFFacts
from hearth.core.library import Library
from hearth.core.model_entry import SOURCE_FOLDER, model_id
from hearth.core.services import Services
from hearth.core.settings import SettingsStore
from tests.helpers.expected import expected_parameters
from tests.helpers.watchdog import watchdog

TinyGGUF = Callable[..., Path]
SplitGGUF = Callable[..., list[Path]]


def names(entries: list) -> list[str]:
    return sorted(e.path.name for e in entries)


@pytest.fixture
def library(services: Services) -> Library:
    return services.library


@pytest.fixture
def models(services: Services) -> Path:
    return services.paths.models


@pytest.fixture
def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every file whose facts the library reads from disk."""
    calls: list[Path] = []
    real = library_module.read_facts

    def counting(path: str | Path) -> GGUFFacts:
        calls.append(Path(path))
        return real(path)

    monkeypatch.setattr(library_module, "read_facts", counting)
    return calls


# ---- scanning ---------------------------------------------------------------------------------

def test_empty_library(library: Library) -> None:
    assert library.scan() == []
    assert library.entries() == []


def test_scan_finds_models_in_the_library_folder(library: Library, models: Path, tiny_gguf: TinyGGUF) -> None:
    tiny_gguf("top.gguf", folder=models)
    path = tiny_gguf("model-Q8_0.gguf", folder=models / "publisher" / "repo", quant="Q8_0", name="Nested")
    entries = library.scan()
    assert names(entries) == ["model-Q8_0.gguf", "top.gguf"]
    nested = next(e for e in entries if e.path.name == "model-Q8_0.gguf")
    assert nested.path == path.resolve()
    assert nested.id == model_id(path.resolve())
    assert nested.name == "Nested"
    assert nested.size_bytes == path.stat().st_size
    assert nested.folder == models
    assert nested.facts is not None and nested.facts.quantization == "Q8_0"
    assert nested.usable and nested.problems == []
    assert nested.source.kind == SOURCE_FOLDER
    assert library.entries() == entries


def test_scan_finds_models_in_extra_folders_recursively(library: Library, tmp_path: Path,
                                                        tiny_gguf: TinyGGUF) -> None:
    lm_studio = tmp_path / "lmstudio" / "models"
    tiny_gguf("Llama-3.2-1B-Q4_K_M.gguf", folder=lm_studio / "lmstudio-community" / "Llama-3.2-1B-GGUF")
    tiny_gguf("deep.gguf", folder=lm_studio / "a" / "b" / "c" / "d")
    library.add_folder(lm_studio)
    entries = library.scan()
    assert names(entries) == ["Llama-3.2-1B-Q4_K_M.gguf", "deep.gguf"]
    assert all(e.folder == lm_studio.resolve() for e in entries)


def test_scan_skips_hidden_tool_and_foreign_files(library: Library, models: Path, tiny_gguf: TinyGGUF) -> None:
    tiny_gguf("seen.gguf", folder=models)
    tiny_gguf("UPPER.GGUF", folder=models)
    tiny_gguf("hidden-dir.gguf", folder=models / ".hidden")
    tiny_gguf("in-git.gguf", folder=models / "repo" / ".git")
    tiny_gguf("in-node.gguf", folder=models / "node_modules")
    tiny_gguf(".hidden-file.gguf", folder=models)
    (models / "notes.txt").write_text("not a model")
    (models / "weights.bin").write_bytes(b"\0" * 64)
    (models / "partial.gguf.part").write_bytes(b"GGUF")
    assert names(library.scan()) == ["UPPER.GGUF", "seen.gguf"]


def test_vision_projectors_are_not_listed(library: Library, models: Path, tiny_gguf: TinyGGUF) -> None:
    tiny_gguf("model.gguf", folder=models / "p" / "r")
    tiny_gguf("mmproj-model-f16.gguf", folder=models / "p" / "r")
    assert names(library.scan()) == ["model.gguf"]


def test_missing_extra_folder_is_skipped(library: Library, services: Services, tmp_path: Path,
                                         tiny_gguf: TinyGGUF) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    library.add_folder(gone)
    gone.rmdir()
    tiny_gguf("here.gguf", folder=services.paths.models)
    assert names(library.scan()) == ["here.gguf"]


def test_broken_files_are_listed_with_an_error(library: Library, models: Path, tiny_gguf: TinyGGUF) -> None:
    (models / "garbage.gguf").write_bytes(b"not a gguf at all")
    (models / "empty.gguf").write_bytes(b"")
    good = tiny_gguf("good.gguf", folder=models)
    truncated = models / "truncated.gguf"
    truncated.write_bytes(good.read_bytes()[:-500])
    entries = {e.path.name: e for e in library.scan()}
    assert set(entries) == {"garbage.gguf", "empty.gguf", "good.gguf", "truncated.gguf"}

    for name in ("garbage.gguf", "empty.gguf"):
        broken = entries[name]
        assert broken.facts is None and broken.error and not broken.usable
        assert broken.name == Path(name).stem
        as_json = broken.to_json()
        assert as_json["problems"] == [broken.error] and as_json["usable"] is False
    assert "not a GGUF file" in (entries["garbage.gguf"].error or "")

    cut = entries["truncated.gguf"]
    assert cut.facts is not None and cut.error is None
    assert not cut.usable and any("missing" in p for p in cut.problems)
    assert entries["good.gguf"].usable


def test_progress_and_cancel(library: Library, models: Path, tiny_gguf: TinyGGUF) -> None:
    for i in range(3):
        tiny_gguf(f"m{i}.gguf", folder=models)
    seen: list[tuple[int, int]] = []
    library.scan(progress=lambda done, total, _path: seen.append((done, total)))
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)

    with pytest.raises(Cancelled):
        library.scan(should_stop=lambda: True)


# ---- split models -----------------------------------------------------------------------------

def test_split_parts_are_one_entry(library: Library, models: Path, split_gguf: SplitGGUF) -> None:
    parts = split_gguf("big-model", parts=3, folder=models / "pub" / "repo")
    (entry,) = library.scan()
    assert entry.path == parts[0].resolve()
    assert entry.parts == [p.resolve() for p in parts]
    assert entry.size_bytes == sum(p.stat().st_size for p in parts)
    assert entry.facts is not None
    assert entry.facts.parameters == expected_parameters()
    assert entry.facts.split_count == 3
    assert entry.facts.file_size == entry.size_bytes
    assert entry.missing_parts == [] and entry.usable
    assert entry.to_json()["parts"] == [str(p.resolve()) for p in parts]


def test_missing_split_part_is_reported(library: Library, models: Path, split_gguf: SplitGGUF) -> None:
    parts = split_gguf("big-model", parts=3, folder=models)
    parts[1].unlink()
    (entry,) = library.scan()
    assert entry.missing_parts == [2]
    assert not entry.usable
    assert any("missing part(s) 2" in p for p in entry.problems)


def test_two_split_models_side_by_side(library: Library, models: Path, split_gguf: SplitGGUF) -> None:
    split_gguf("one", parts=2, folder=models)
    split_gguf("two", parts=3, folder=models)
    entries = library.scan()
    assert sorted(len(e.parts) for e in entries) == [2, 3]


# ---- the manifest -----------------------------------------------------------------------------

def test_manifest_survives_a_restart_without_rereading(models: Path, tiny_gguf: TinyGGUF,
                                                       count_reads: list[Path]) -> None:
    tiny_gguf("a.gguf", folder=models)
    (models / "broken.gguf").write_bytes(b"nope")
    first = Services.open().library.scan()
    assert len(count_reads) == 2

    count_reads.clear()
    again = Services.open().library.scan()
    assert count_reads == []  # unchanged files, broken ones included, are not read again
    assert [e.to_json() for e in again] == [e.to_json() for e in first]  # added_at too


def test_changed_file_is_read_again(models: Path, tiny_gguf: TinyGGUF, count_reads: list[Path]) -> None:
    path = tiny_gguf("a.gguf", folder=models, context_length=512)
    library = Services.open().library
    library.scan()
    tiny_gguf("a.gguf", folder=models, context_length=4096, name="Changed")
    count_reads.clear()
    (entry,) = Services.open().library.scan()
    assert count_reads == [path.resolve()]
    assert entry.facts is not None and entry.facts.context_length == 4096 and entry.name == "Changed"


def test_corrupt_manifest_is_moved_aside_and_rebuilt(services: Services, models: Path,
                                                     tiny_gguf: TinyGGUF) -> None:
    tiny_gguf("a.gguf", folder=models)
    services.library.scan()
    manifest = services.paths.library_manifest
    manifest.write_text('{"version": 1, "models": {', encoding="utf-8")

    (entry,) = Services.open().library.scan()
    assert entry.facts is not None and entry.usable
    kept = list(manifest.parent.glob("library.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_text() == '{"version": 1, "models": {'
    rebuilt = json.loads(manifest.read_text())
    assert list(rebuilt["models"]) == [str(entry.path)]


@pytest.mark.parametrize("content", ['[]', '{"models": []}', '{"no_models": {}}', '"text"'])
def test_manifest_of_the_wrong_shape_is_rebuilt(services: Services, models: Path, tiny_gguf: TinyGGUF,
                                                content: str) -> None:
    tiny_gguf("a.gguf", folder=models)
    services.paths.library_manifest.write_text(content, encoding="utf-8")
    assert len(Services.open().library.scan()) == 1
    assert json.loads(services.paths.library_manifest.read_text())["version"] == 1


def test_damaged_manifest_record_is_read_again(services: Services, models: Path, tiny_gguf: TinyGGUF) -> None:
    """A record with a valid stamp but unusable facts/source must not break the scan."""
    tiny_gguf("a.gguf", folder=models)
    services.library.scan()
    manifest = services.paths.library_manifest
    data = json.loads(manifest.read_text())
    (record,) = data["models"].values()
    record.update(facts={"name": "half a record"}, source="not an object", added_at=12)
    manifest.write_text(json.dumps(data))

    (entry,) = Services.open().library.scan()
    assert entry.facts is not None and entry.facts.name == "Tiny Llama"
    assert entry.source.kind == SOURCE_FOLDER
    assert isinstance(entry.added_at, str)


def test_removed_files_are_forgotten(services: Services, models: Path, tiny_gguf: TinyGGUF) -> None:
    path = tiny_gguf("a.gguf", folder=models)
    tiny_gguf("b.gguf", folder=models)
    services.library.scan()
    path.unlink()
    assert names(services.library.scan()) == ["b.gguf"]
    assert str(path.resolve()) not in json.loads(services.paths.library_manifest.read_text())["models"]


# ---- lookups ----------------------------------------------------------------------------------

@pytest.fixture
def two_models(library: Library, models: Path, tiny_gguf: TinyGGUF) -> tuple[Path, Path]:
    a = tiny_gguf("alpha-Q8_0.gguf", folder=models / "p" / "alpha", name="Alpha")
    b = tiny_gguf("beta.gguf", folder=models / "p" / "beta", name="Beta")
    library.scan()
    return a.resolve(), b.resolve()


def test_get_by_id_prefix_path_and_names(library: Library, two_models: tuple[Path, Path]) -> None:
    alpha, _ = two_models
    wanted = model_id(alpha)
    for key in (wanted, wanted[:6], str(alpha), "alpha-Q8_0.gguf", "alpha-Q8_0", "Alpha"):
        assert library.get(key).path == alpha, key


def test_get_by_relative_path(library: Library, two_models: tuple[Path, Path],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    alpha, _ = two_models
    monkeypatch.chdir(alpha.parent.parent)
    assert library.get("alpha/alpha-Q8_0.gguf").path == alpha


def test_get_by_split_part_path(library: Library, models: Path, split_gguf: SplitGGUF) -> None:
    parts = split_gguf("big", parts=3, folder=models)
    library.scan()
    assert library.get(str(parts[2])).path == parts[0].resolve()
    assert library.get("big-00001-of-00003").path == parts[0].resolve()


def test_get_refuses_a_too_short_prefix(library: Library, two_models: tuple[Path, Path]) -> None:
    with pytest.raises(LibraryError, match="No model"):
        library.get(model_id(two_models[0])[:3])


def test_get_unknown_key(library: Library, two_models: tuple[Path, Path]) -> None:
    with pytest.raises(LibraryError, match="No model 'nothing-like-this'") as info:
        library.get("nothing-like-this")
    assert "\n" not in str(info.value)


def test_get_ambiguous_name(library: Library, models: Path, tiny_gguf: TinyGGUF) -> None:
    tiny_gguf("same.gguf", folder=models / "one")
    tiny_gguf("same.gguf", folder=models / "two")
    entries = library.scan()
    with pytest.raises(LibraryError, match="matches 2 models") as info:
        library.get("same.gguf")
    for entry in entries:
        assert entry.id in str(info.value)
    with pytest.raises(LibraryError, match="matches 2 models"):
        library.get("Tiny Llama")  # the factory's default display name, shared by both
    assert library.get(entries[0].id) == entries[0]  # the id still works


def test_get_a_file_outside_the_library(library: Library, two_models: tuple[Path, Path],
                                        tiny_gguf: TinyGGUF) -> None:
    with pytest.raises(LibraryError):
        library.get(str(tiny_gguf("outside.gguf")))


# ---- removing -----------------------------------------------------------------------------------

def test_remove_deletes_the_file_and_empty_folders(library: Library, services: Services,
                                                   two_models: tuple[Path, Path]) -> None:
    alpha, beta = two_models
    removed = library.remove(model_id(alpha))
    assert removed.path == alpha
    assert not alpha.exists() and not alpha.parent.exists()
    assert alpha.parent.parent.is_dir()  # still holds beta's folder
    assert beta.exists()
    assert [e.path for e in library.entries()] == [beta]
    assert str(alpha) not in json.loads(services.paths.library_manifest.read_text())["models"]
    with pytest.raises(LibraryError):
        library.get(model_id(alpha))


def test_remove_never_deletes_the_models_folder(library: Library, models: Path, tiny_gguf: TinyGGUF) -> None:
    nested = tiny_gguf("only.gguf", folder=models / "pub" / "repo")
    top = tiny_gguf("top.gguf", folder=models)
    library.scan()
    library.remove("only.gguf")
    assert not (models / "pub").exists()
    library.remove("top.gguf")
    assert not nested.exists() and not top.exists()
    assert models.is_dir() and list(models.iterdir()) == []


def test_remove_deletes_every_split_part(library: Library, models: Path, split_gguf: SplitGGUF) -> None:
    parts = split_gguf("big", parts=3, folder=models / "pub" / "big")
    library.scan()
    library.remove("big-00001-of-00003.gguf")
    assert not any(p.exists() for p in parts)
    assert not (models / "pub").exists()


def test_remove_from_an_extra_folder_keeps_the_folder(library: Library, tmp_path: Path,
                                                      tiny_gguf: TinyGGUF) -> None:
    extra = tmp_path / "extra"
    path = tiny_gguf("x.gguf", folder=extra / "sub")
    library.add_folder(extra)
    library.scan()
    library.remove("x.gguf")
    assert not path.exists()
    assert (extra / "sub").is_dir()  # only Hearth's own folder is tidied


def test_remove_unknown(library: Library) -> None:
    library.scan()
    with pytest.raises(LibraryError):
        library.remove("deadbeef")


# ---- extra folders -----------------------------------------------------------------------------

def test_add_folder_is_saved_in_settings(library: Library, services: Services, tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    assert library.add_folder(extra) == extra.resolve()
    assert library.folders() == [services.paths.models, extra.resolve()]
    reloaded = SettingsStore(services.paths.settings_file).load()
    assert reloaded.model_folders == [str(extra.resolve())]
    assert Services.open().library.folders()[1] == extra.resolve()


def test_add_folder_twice(library: Library, tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    library.add_folder(extra)
    with pytest.raises(LibraryError, match="already scanned"):
        library.add_folder(str(extra) + "/")


def test_add_a_folder_inside_a_scanned_one(library: Library, models: Path, tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    (extra / "inner").mkdir(parents=True)
    library.add_folder(extra)
    with pytest.raises(LibraryError, match="already scanned"):
        library.add_folder(extra / "inner")
    (models / "pub").mkdir()
    with pytest.raises(LibraryError, match="already scanned"):
        library.add_folder(models / "pub")
    with pytest.raises(LibraryError, match="already scanned"):
        library.add_folder(models)


@pytest.mark.parametrize("kind", ["file", "missing"])
def test_add_something_that_is_not_a_folder(library: Library, tmp_path: Path, kind: str) -> None:
    target = tmp_path / "thing"
    if kind == "file":
        target.write_text("x")
    with pytest.raises(LibraryError, match="is not a folder"):
        library.add_folder(target)
    assert library.settings.settings.model_folders == []


def test_remove_folder_forgets_its_models_but_keeps_files(library: Library, tmp_path: Path,
                                                          tiny_gguf: TinyGGUF) -> None:
    extra = tmp_path / "extra"
    path = tiny_gguf("x.gguf", folder=extra)
    library.add_folder(extra)
    assert len(library.scan()) == 1
    assert library.remove_folder(extra) == extra.resolve()
    assert library.entries() == []
    assert path.exists()
    assert library.scan() == []
    assert library.settings.settings.model_folders == []


def test_remove_folder_that_is_not_scanned(library: Library, tmp_path: Path, models: Path) -> None:
    with pytest.raises(LibraryError, match="not one of your model folders"):
        library.remove_folder(tmp_path)
    with pytest.raises(LibraryError):
        library.remove_folder(models)  # Hearth's own folder cannot be removed


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_named_pipe_in_a_folder_does_not_hang_the_scan(library: Library, models: Path,
                                                         tiny_gguf: TinyGGUF) -> None:
    os.mkfifo(models / "pipe.gguf")
    tiny_gguf("real.gguf", folder=models)
    with watchdog(60):
        entries = {e.path.name: e for e in library.scan()}
    assert entries["real.gguf"].usable
    assert "not a regular file" in (entries["pipe.gguf"].error or "")


def test_a_new_run_lists_the_last_known_models_before_scanning(tiny_gguf, split_gguf) -> None:
    """The window can show the library at once; the scan that follows only confirms it."""
    from hearth.core.services import Services

    first = Services.open()
    tiny_gguf("one.gguf", folder=first.paths.models / "pub" / "repo", name="One")
    split_gguf("two", parts=2, folder=first.paths.models / "pub" / "split")
    scanned = first.library.scan()
    again = Services.open().library.entries()  # no scan
    assert [(e.id, e.name, e.size_bytes, len(e.parts)) for e in again] == [
        (e.id, e.name, e.size_bytes, len(e.parts)) for e in scanned]
    assert all(e.facts is not None and e.usable for e in again)


def test_add_paths_lists_one_model_without_a_full_scan(services, tiny_gguf, monkeypatch) -> None:
    from hearth.core import library as library_module

    path = tiny_gguf("solo.gguf", folder=services.paths.models / "pub" / "solo", name="Solo")
    monkeypatch.setattr(library_module, "_gguf_files", lambda folder: (_ for _ in ()).throw(AssertionError("walked")))
    entry = services.library.add_paths([path])
    assert entry.name == "Solo" and [e.id for e in services.library.entries()] == [entry.id]
