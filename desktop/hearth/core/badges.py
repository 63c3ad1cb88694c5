"""The types of Hearth's risk badges: a level, a badge, and the Hub facts they read.

A :class:`Badge` is one check's verdict: ``key`` (which check), ``level`` (ok,
caution, danger, unknown), a short ``label``, one ``evidence`` sentence saying
what was seen, and ``source`` (where the facts came from: ``hub``, ``gguf``,
``hub+gguf``, ``download``, ``library``, ``hardware`` or ``runtime``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from enum import StrEnum
from typing import Any

#: Every badge key, in the order Hearth shows them.
BADGE_KEYS = ("license", "integrity", "format", "template", "provenance", "freshness", "access", "fit",
              "runtime")


class Level(StrEnum):
    OK = "ok"
    CAUTION = "caution"
    DANGER = "danger"
    UNKNOWN = "unknown"

    @property
    def severity(self) -> int:
        """For sorting and "worst of": danger 3, caution 2, unknown 1, ok 0."""
        return {"ok": 0, "unknown": 1, "caution": 2, "danger": 3}[self.value]


@dataclass(frozen=True)
class Badge:
    key: str
    level: Level
    label: str
    evidence: str
    source: str

    def to_json(self) -> dict[str, str]:
        return {"key": self.key, "level": self.level.value, "label": self.label,
                "evidence": self.evidence, "source": self.source}


def worst_level(badges: list[Badge]) -> Level:
    """The most severe level among ``badges`` (OK for none)."""
    return max((b.level for b in badges), key=lambda lv: lv.severity, default=Level.OK)


@dataclass(frozen=True)
class RepoFacts:
    """What the Hub says about a repository, as plain values (no Hub objects needed).

    ``gated`` is the Hub's value: False, True, ``"auto"`` or ``"manual"``.
    ``has_access`` says whether the user's token may download a gated repo (None: not known).
    ``chat_template`` is the Hub's ``gguf.chat_template`` for the repository.
    """

    repo_id: str | None = None
    author: str | None = None
    last_modified: datetime | str | None = None
    gated: bool | str | None = None
    has_access: bool | None = None
    license: str | list[str] | None = None
    license_name: str | None = None
    license_link: str | None = None
    base_model: str | list[str] | None = None
    chat_template: str | None = None

    @property
    def uploader(self) -> str | None:
        if self.author:
            return self.author
        return self.repo_id.split("/", 1)[0] if self.repo_id and "/" in self.repo_id else None

    @property
    def base_models(self) -> list[str]:
        value = self.base_model
        items = value if isinstance(value, list) else [value] if value else []
        return [str(v) for v in items if v]

    @classmethod
    def from_object(cls, obj: Any) -> RepoFacts:
        """Copy same-named attributes from a Hub object (a summary, a detail with ``.summary``, a dict).

        ``id`` is read as ``repo_id``; a ``gate`` of "auto"/"manual" refines a boolean ``gated``.
        """
        if isinstance(obj, RepoFacts):
            return obj
        if isinstance(obj, dict):
            get = obj.get
        else:
            parts = [obj, getattr(obj, "summary", None)]

            def get(name: str, default: Any = None) -> Any:
                for part in parts:
                    value = getattr(part, name, None) if part is not None else None
                    if value is not None:
                        return value
                return default
        values = {f.name: get(f.name) for f in fields(cls)}
        values["repo_id"] = values["repo_id"] or get("id")
        gate = get("gate")
        if values["gated"] and isinstance(gate, str) and gate:
            values["gated"] = gate
        return cls(**values)
