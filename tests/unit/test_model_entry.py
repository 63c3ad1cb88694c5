"""ModelEntry and ModelSource: ids, provenance text, usability and the JSON the CLI prints."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from hearth.core.gguf_facts import read_facts
from hearth.core.model_entry import SOURCE_HUB, SOURCE_IMPORTED, ModelEntry, ModelSource, model_id

TinyGGUF = Callable[..., Path]


def entry_for(path: Path, **changes: object) -> ModelEntry:
    fields: dict[str, object] = dict(
        id=model_id(path), path=path, parts=[path], size_bytes=path.stat().st_size,
        added_at="2026-01-01T00:00:00+00:00", source=ModelSource(), folder=path.parent,
        facts=read_facts(path),
    )
    fields.update(changes)
    return ModelEntry(**fields)  # type: ignore[arg-type]


def test_model_id_is_short_stable_and_path_specific(tmp_path: Path) -> None:
    a, b = tmp_path / "a.gguf", tmp_path / "b.gguf"
    assert model_id(a) == model_id(a)
    assert model_id(a) != model_id(b)
    assert len(model_id(a)) == 12 and int(model_id(a), 16) >= 0


def test_source_descriptions() -> None:
    assert ModelSource(SOURCE_HUB, repo_id="org/repo", revision="0123456789abcdef").describe() == "org/repo@0123456789"
    assert ModelSource(SOURCE_HUB, repo_id="org/repo").describe() == "org/repo"
    assert ModelSource(SOURCE_IMPORTED).describe() == "imported"
    assert ModelSource().describe() == "found in folder"
    assert ModelSource("not in library").describe() == "not in library"


def test_source_from_dict_drops_unknown_keys_and_odd_values() -> None:
    source = ModelSource.from_dict({"kind": "hub", "repo_id": "o/r", "sha256": 5, "future": "x"})
    assert source == ModelSource("hub", repo_id="o/r")


def test_usable_model_json(tiny_gguf: TinyGGUF) -> None:
    entry = entry_for(tiny_gguf("m.gguf", license="mit"))
    data = entry.to_json()
    assert entry.usable and data["usable"] is True and data["problems"] == []
    assert data["id"] == entry.id and data["path"] == str(entry.path)
    assert data["license"] == "mit" and data["chat_template"] is True and data["embedding"] is False
    assert data["source"] == asdict(ModelSource()) and data["source"]["kind"] == "folder"


def test_unusable_entries(tiny_gguf: TinyGGUF, tmp_path: Path) -> None:
    path = tiny_gguf("m.gguf")
    assert not entry_for(path, missing_parts=[2, 3]).usable
    assert "split model is missing part(s) 2, 3" in entry_for(path, missing_parts=[2, 3]).problems
    broken = entry_for(path, facts=None, error="not a GGUF file")
    assert not broken.usable and broken.problems == ["not a GGUF file"]
    assert broken.name == "m"
    data = broken.to_json()
    assert data["architecture"] is None and data["chat_template"] is False and data["split_count"] == 1

    cut = tmp_path / "cut.gguf"
    cut.write_bytes(path.read_bytes()[:-100])
    truncated = entry_for(cut)
    assert not truncated.usable and truncated.to_json()["data_complete"] is False
