"""Typed facts about Hub repositories: what a search lists and what a repository page shows.

Everything here is plain data (no network): built from huggingface_hub's
``ModelInfo`` by :mod:`hearth.core.hub`, turned into JSON for the on-disk cache
and the command line, and read back from that cache when Hearth is offline.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from hearth.core.quants import QuantInfo


@dataclass
class RepoSummary:
    """One search hit: enough to list a repository and decide whether to open it."""

    id: str
    author: str | None = None
    downloads: int | None = None
    likes: int | None = None
    trending_score: int | None = None
    last_modified: str | None = None  # ISO 8601, UTC
    license: str | None = None  # the card's SPDX-like id, e.g. "apache-2.0" or "other"
    license_name: str | None = None  # set when license is "other"
    license_link: str | None = None
    gated: bool = False
    gate: str | None = None  # "auto" (click to accept) or "manual" (the author approves)
    parameters: int | None = None  # from the Hub's GGUF summary
    architecture: str | None = None
    context_length: int | None = None
    tags: list[str] = field(default_factory=list)
    pipeline_tag: str | None = None
    base_model: str | None = None

    @property
    def name(self) -> str:
        return self.id.split("/", 1)[-1]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> RepoSummary:
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in raw.items() if k in known})


@dataclass(frozen=True)
class HubFile:
    """A file in a repository at one commit. ``sha256`` is the LFS hash (None for small git files)."""

    path: str
    size: int | None = None
    sha256: str | None = None
    blob_id: str | None = None  # git blob sha1, checkable when there is no LFS sha256

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> HubFile:
        return cls(raw["path"], raw.get("size"), raw.get("sha256"), raw.get("blob_id"))


@dataclass
class QuantGroup:
    """One downloadable model: a single .gguf, or every part of a split model (in order)."""

    label: str  # what people pick, e.g. "Q4_K_M", "UD-Q4_K_XL"; unique within a repository
    quant: QuantInfo | None
    files: list[HubFile]
    bits_per_weight: float | None = None  # nominal for the quant, else measured from size/params
    missing_parts: list[int] = field(default_factory=list)  # split parts the repo lacks

    @property
    def total_size(self) -> int:
        return sum(f.size or 0 for f in self.files)

    @property
    def is_split(self) -> bool:
        return len(self.files) > 1 or bool(self.missing_parts)

    @property
    def complete(self) -> bool:
        return not self.missing_parts and all(f.size is not None for f in self.files)

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "quant": self.quant.name if self.quant else None,
            "dynamic": self.quant.dynamic if self.quant else False,
            "bits_per_weight": self.bits_per_weight,
            "size": self.total_size,
            "files": [f.to_json() for f in self.files],
            "missing_parts": self.missing_parts,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> QuantGroup:
        from hearth.core.quants import quant_info

        quant = quant_info(raw["quant"]) if raw.get("quant") else None
        if quant is not None and raw.get("dynamic"):
            quant = QuantInfo(quant.name, quant.bits_per_weight, dynamic=True)
        return cls(raw["label"], quant, [HubFile.from_json(f) for f in raw["files"]],
                   raw.get("bits_per_weight"), list(raw.get("missing_parts", [])))


@dataclass
class RepoDetail:
    """A repository at one commit: its facts, GGUF quant groups, projectors and model card."""

    summary: RepoSummary
    sha: str | None
    files: list[HubFile]
    quant_groups: list[QuantGroup]
    projectors: list[HubFile]
    readme: str | None = None
    chat_template: str | None = None
    from_cache: bool = False  # True when Hearth served this from its cache (offline or unreachable Hub)
    fetched_at: str | None = None  # when the Hub was last asked (ISO 8601, UTC)

    @property
    def id(self) -> str:
        return self.summary.id

    def group(self, label: str) -> QuantGroup:
        """The group with this label (case-insensitive, "Q4_K_M" also matches "UD-Q4_K_M" if unique)."""
        wanted = label.upper()
        exact = [g for g in self.quant_groups if g.label.upper() == wanted]
        loose = [g for g in self.quant_groups if g.quant and g.quant.name == wanted]
        for found in (exact, loose):
            if len(found) == 1:
                return found[0]
        raise KeyError(label)

    def group_for_file(self, path: str) -> QuantGroup:
        for group in self.quant_groups:
            if any(f.path == path for f in group.files):
                return group
        raise KeyError(path)

    def to_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary.to_json(), "sha": self.sha,
            "files": [f.to_json() for f in self.files],
            "quant_groups": [g.to_json() for g in self.quant_groups],
            "projectors": [p.to_json() for p in self.projectors],
            "readme": self.readme, "chat_template": self.chat_template, "fetched_at": self.fetched_at,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any], *, from_cache: bool = True) -> RepoDetail:
        return cls(
            summary=RepoSummary.from_json(raw["summary"]), sha=raw.get("sha"),
            files=[HubFile.from_json(f) for f in raw.get("files", [])],
            quant_groups=[QuantGroup.from_json(g) for g in raw.get("quant_groups", [])],
            projectors=[HubFile.from_json(p) for p in raw.get("projectors", [])],
            readme=raw.get("readme"), chat_template=raw.get("chat_template"),
            from_cache=from_cache, fetched_at=raw.get("fetched_at"),
        )


@dataclass
class SearchPage:
    """One page of search results, in the Hub's order."""

    index: int  # 0-based page number within its search
    items: list[RepoSummary]
    has_more: bool
    from_cache: bool = False
    fetched_at: str | None = None
