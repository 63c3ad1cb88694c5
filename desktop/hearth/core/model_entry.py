"""One model in the library: its files, facts, provenance and the JSON shape the CLI prints."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from hearth.core.gguf_facts import GGUFFacts

SOURCE_HUB = "hub"
SOURCE_IMPORTED = "imported"
SOURCE_FOLDER = "folder"


@dataclass
class ModelSource:
    """Where a model came from: a Hub download, an import, or a file found in a user folder."""

    kind: str = SOURCE_FOLDER
    repo_id: str | None = None
    revision: str | None = None
    filename: str | None = None
    sha256: str | None = None
    origin: str | None = None  # the original path of an imported file
    license: str | None = None  # the Hub card's license when the file was downloaded

    def describe(self) -> str:
        if self.kind == SOURCE_HUB and self.repo_id:
            rev = f"@{self.revision[:10]}" if self.revision else ""
            return f"{self.repo_id}{rev}"
        if self.kind == SOURCE_IMPORTED:
            return "imported"
        if self.kind == SOURCE_FOLDER:
            return "found in folder"
        return self.kind

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> ModelSource:
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in raw.items() if k in known and (v is None or isinstance(v, str))})


def model_id(path: Path) -> str:
    """A short id that stays the same while the file stays where it is (like a git hash)."""
    return hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:12]


@dataclass
class ModelEntry:
    """A model as the library lists it; a split model is one entry with several parts."""

    id: str
    path: Path
    parts: list[Path]
    size_bytes: int
    added_at: str
    source: ModelSource
    folder: Path  # the library root or extra folder it was found under
    facts: GGUFFacts | None = None
    error: str | None = None
    missing_parts: list[int] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.facts.display_name if self.facts else self.path.stem

    @property
    def problems(self) -> list[str]:
        found = [self.error] if self.error else []
        if self.missing_parts:
            numbers = ", ".join(str(n) for n in self.missing_parts)
            found.append(f"split model is missing part(s) {numbers}")
        if self.facts:
            found.extend(self.facts.problems)
        return found

    @property
    def usable(self) -> bool:
        """Whether llama.cpp can be asked to load it: readable, complete, all parts present."""
        return (
            self.facts is not None
            and self.error is None
            and not self.missing_parts
            and self.facts.data_complete
        )

    def to_json(self) -> dict[str, Any]:
        """The object ``hearth info --json`` and ``hearth list --json`` print."""
        f = self.facts
        return {
            "id": self.id,
            "name": self.name,
            "path": str(self.path),
            "parts": [str(p) for p in self.parts],
            "size_bytes": self.size_bytes,
            "architecture": f.architecture if f else None,
            "parameters": f.parameters if f else None,
            "size_label": f.size_label if f else None,
            "quantization": f.quantization if f else None,
            "context_length": f.context_length if f else None,
            "embedding_length": f.embedding_length if f else None,
            "block_count": f.block_count if f else None,
            "head_count": f.head_count if f else None,
            "head_count_kv": f.head_count_kv if f else None,
            "license": f.license if f else None,
            "chat_template": f.has_chat_template if f else False,
            "embedding": f.is_embedding if f else False,
            "split_count": f.split_count if f else len(self.parts),
            "data_complete": f.data_complete if f else False,
            "usable": self.usable,
            "problems": self.problems,
            "source": asdict(self.source),
            "added_at": self.added_at,
        }
