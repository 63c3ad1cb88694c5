"""The installed ``hearth`` command, end to end, in subprocesses with their own HEARTH_HOME.

Successful commands print what a user or a script needs (JSON that parses);
failing ones print exactly one line on stderr, exit non-zero and never show a
traceback.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import hearth
from tests.helpers.cli_runner import Result, run_hearth
from tests.helpers.expected import expected_parameters

pytestmark = pytest.mark.e2e

TinyGGUF = Callable[..., Path]
REQUIRED_KEYS = {"id", "path", "size_bytes", "architecture", "parameters", "quantization",
                 "context_length", "license", "chat_template", "embedding"}


def ok(*args: str | Path) -> Result:
    result = run_hearth(*args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def ok_json(*args: str | Path) -> Any:
    return json.loads(ok(*args).stdout)


def fails(*args: str | Path) -> str:
    """Run a command that must fail cleanly; return its one stderr line."""
    result = run_hearth(*args)
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert len(result.stderr_lines) == 1, result.stderr
    line = result.stderr_lines[0]
    assert line.startswith("hearth: error: "), line
    return line


# ---- basics ---------------------------------------------------------------------------------------

def test_version() -> None:
    result = ok("--version")
    assert result.stdout.strip() == f"Hearth {hearth.__version__}"


def test_python_dash_m_version() -> None:
    result = run_hearth("--version", module=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Hearth {hearth.__version__}"


def test_empty_library(hearth_home: Path) -> None:
    assert ok_json("list", "--json") == []
    assert "No models yet" in ok("list").stdout
    assert (hearth_home / "data" / "models").is_dir()  # the first run made its folders


def test_data_dir_flag_beats_hearth_home(hearth_home: Path, tmp_path: Path, tiny_gguf: TinyGGUF) -> None:
    other = tmp_path / "portable"
    ok("--data-dir", other, "import", tiny_gguf("m.gguf"))
    assert len(ok_json("--data-dir", other, "list", "--json")) == 1
    assert ok_json("list", "--json") == []
    assert (other / "data" / "models" / "imported" / "m" / "m.gguf").is_file()


# ---- import, list, info, rm ---------------------------------------------------------------------------

def test_import_then_list(hearth_home: Path, tiny_gguf: TinyGGUF) -> None:
    src = tiny_gguf("tiny-chat.gguf", name="Tiny Chat", license="mit", quant="Q8_0", context_length=1024)
    result = ok("import", src)
    assert "Imported Tiny Chat as " in result.stdout
    assert src.exists()

    (model,) = ok_json("list", "--json")
    assert REQUIRED_KEYS <= set(model)
    assert Path(model["path"]).is_file()
    assert Path(model["path"]).is_relative_to(hearth_home.resolve() / "data" / "models")
    assert model["size_bytes"] == src.stat().st_size
    assert model["architecture"] == "llama"
    assert model["parameters"] == expected_parameters()
    assert model["quantization"] == "Q8_0"
    assert model["context_length"] == 1024
    assert model["license"] == "mit"
    assert model["chat_template"] is True
    assert model["embedding"] is False
    assert model["usable"] is True and model["problems"] == []
    assert model["source"]["kind"] == "imported" and len(model["source"]["sha256"]) == 64

    table = ok("list").stdout
    assert model["id"] in table and "Tiny Chat" in table and "Q8_0" in table


def test_list_json_types(tiny_gguf: TinyGGUF) -> None:
    ok("import", tiny_gguf(chat_template=None, license=None, extra={"llama.pooling_type": 1}))
    (model,) = ok_json("list", "--json")
    assert model["chat_template"] is False
    assert model["embedding"] is True
    assert model["license"] is None
    assert isinstance(model["size_bytes"], int) and isinstance(model["parameters"], int)


def test_info_by_id_and_by_path(tiny_gguf: TinyGGUF) -> None:
    ok("import", tiny_gguf("m.gguf", name="Info Model"))
    (listed,) = ok_json("list", "--json")
    by_id = ok_json("info", listed["id"], "--json")
    by_prefix = ok_json("info", listed["id"][:6], "--json")
    by_path = ok_json("info", listed["path"], "--json")
    assert all(info.pop("badges") for info in (by_id, by_prefix, by_path))  # info adds risk badges
    assert by_id == by_prefix == by_path == listed

    text = ok("info", listed["id"]).stdout
    assert "Info Model" in text and "llama" in text and listed["id"] in text


def test_info_of_a_file_outside_the_library(tiny_gguf: TinyGGUF) -> None:
    path = tiny_gguf("outside.gguf", context_length=2048)
    info = ok_json("info", path, "--json")
    assert info["path"] == str(path.resolve())
    assert info["context_length"] == 2048
    assert info["source"]["kind"] == "not in library"
    assert ok_json("list", "--json") == []  # looking is not importing
    assert "not in library" in ok("info", path).stdout


def test_import_move(tiny_gguf: TinyGGUF) -> None:
    src = tiny_gguf("moving.gguf")
    size = src.stat().st_size
    assert "Moved" in ok("import", "--move", src).stdout
    assert not src.exists()
    (model,) = ok_json("list", "--json")
    assert model["size_bytes"] == size and Path(model["path"]).name == "moving.gguf"


def test_rm_deletes_the_model(tiny_gguf: TinyGGUF) -> None:
    ok("import", tiny_gguf("a.gguf"))
    ok("import", tiny_gguf("b.gguf"))
    models = ok_json("list", "--json")
    victim = next(m for m in models if Path(m["path"]).name == "a.gguf")
    result = ok("rm", victim["id"])
    assert victim["id"] in result.stdout
    assert not Path(victim["path"]).exists()
    assert [Path(m["path"]).name for m in ok_json("list", "--json")] == ["b.gguf"]


def test_split_model_through_the_command(split_gguf: Callable[..., list[Path]]) -> None:
    parts = split_gguf("big", parts=2)
    ok("import", parts[0])
    (model,) = ok_json("list", "--json")
    assert len(model["parts"]) == 2
    assert model["size_bytes"] == sum(p.stat().st_size for p in parts)
    ok("rm", model["id"])
    assert not any(Path(p).exists() for p in model["parts"])


# ---- folders --------------------------------------------------------------------------------------------

def test_folders_add_list_remove(hearth_home: Path, tmp_path: Path, tiny_gguf: TinyGGUF) -> None:
    extra = tmp_path / "lmstudio"
    model_file = tiny_gguf("found.gguf", folder=extra / "pub" / "repo")

    assert str(extra.resolve()) in ok("folders", "add", extra).stdout
    lines = ok("folders", "list").stdout.splitlines()
    assert lines[0].endswith("(Hearth's own)")
    assert lines[1] == str(extra.resolve())

    (model,) = ok_json("list", "--json")
    assert model["path"] == str(model_file.resolve())
    assert model["source"]["kind"] == "folder"

    ok("folders", "remove", extra)
    assert ok_json("list", "--json") == []
    assert model_file.exists()  # removing a folder never deletes files
    assert len(ok("folders", "list").stdout.splitlines()) == 1


def test_folders_list_marks_a_missing_folder(tmp_path: Path) -> None:
    extra = tmp_path / "usb-stick"
    extra.mkdir()
    ok("folders", "add", extra)
    extra.rmdir()
    assert ok("folders", "list").stdout.splitlines()[1].endswith("(missing)")


# ---- errors: one line, non-zero, no traceback -------------------------------------------------------------

def test_unknown_id() -> None:
    assert "No model 'feedfacecafe'" in fails("info", "feedfacecafe")
    assert "No model" in fails("rm", "feedfacecafe")


def test_info_of_a_malformed_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF" + b"\xff" * 20)
    assert "bad.gguf" in fails("info", bad)
    (tmp_path / "zero.gguf").write_bytes(b"")
    assert "empty" in fails("info", tmp_path / "zero.gguf")


def test_info_of_a_folder(tmp_path: Path) -> None:
    assert "folder" in fails("info", tmp_path)


def test_import_of_a_missing_file(tmp_path: Path) -> None:
    assert "nowhere.gguf" in fails("import", tmp_path / "nowhere.gguf")


def test_import_of_a_malformed_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"definitely not a model")
    assert "cannot be imported" in fails("import", bad)
    assert ok_json("list", "--json") == []


def test_import_twice(tiny_gguf: TinyGGUF) -> None:
    src = tiny_gguf("twice.gguf")
    ok("import", src)
    assert "already in the library" in fails("import", src)


def test_folders_add_of_a_file(tmp_path: Path) -> None:
    file = tmp_path / "file.txt"
    file.write_text("x")
    assert "is not a folder" in fails("folders", "add", file)


def test_folders_remove_of_an_unknown_folder(tmp_path: Path) -> None:
    assert "not one of your model folders" in fails("folders", "remove", tmp_path)


def test_name_too_long_to_be_a_path() -> None:
    assert "No model" in fails("info", "x" * 300)


def test_broken_model_in_the_library_does_not_break_list(hearth_home: Path, tiny_gguf: TinyGGUF) -> None:
    ok("import", tiny_gguf("good.gguf"))
    models_dir = hearth_home / "data" / "models"
    (models_dir / "broken.gguf").write_bytes(b"GGUF\x03\x00\x00\x00")
    models = {Path(m["path"]).name: m for m in ok_json("list", "--json")}
    assert models["broken.gguf"]["usable"] is False and models["broken.gguf"]["problems"]
    assert models["good.gguf"]["usable"] is True
    result = ok("list")
    assert "unreadable" in result.stdout
    assert [line for line in result.stderr_lines if "broken.gguf" in line]


def test_corrupt_settings_warn_once(hearth_home: Path) -> None:
    settings = hearth_home / "config" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text("{ this is not json", encoding="utf-8")

    first = run_hearth("list", "--json")
    assert first.returncode == 0
    assert json.loads(first.stdout) == []  # stdout stays machine-readable
    warnings = [line for line in first.stderr_lines if line.startswith("hearth: warning: ")]
    assert len(warnings) == 1 and len(first.stderr_lines) == 1, first.stderr
    assert "settings" in warnings[0]
    kept = list(settings.parent.glob("settings.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_text() == "{ this is not json"

    second = run_hearth("list", "--json")
    assert second.returncode == 0 and second.stderr == ""


def test_unusable_data_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert "Cannot create the folder" in fails("--data-dir", blocker / "home", "list")
