"""What a model's license lets you do, in plain words, from the Hub card or the GGUF header.

:func:`license_info` turns a Hub license id (``"apache-2.0"``, ``"other"`` with a
``license_name``, a list) or a GGUF ``general.license`` value (``"Apache 2.0"``,
``"MIT License"``, ``"llama3.1"``) into a :class:`LicenseInfo`: canonical id, name,
one of five classes and a short summary of commercial use, modification,
redistribution and obligations. The table and every summary live in
``hearth/resources/licenses.json`` (written by us, available offline).

Spellings are folded by :func:`normalize_key` (case, spaces, ``_``/``-``, "License",
"Version", ``GPLv3``, ``-or-later``, Creative Commons long names). Ids missing from
the table get a class from their shape (``cc-by-nc-*`` -> non-commercial, ``gpl*`` ->
copyleft, ``*rail*`` -> use-restricted...) with ``known=False``.

A list of licenses (or a comma-separated GGUF value) whose members share one class
takes that class; members of different classes make the whole "unknown".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from hearth.core.data_files import load_json


class LicenseClass(StrEnum):
    PERMISSIVE = "permissive"
    COPYLEFT = "copyleft"
    RESTRICTED = "use-restricted"
    NON_COMMERCIAL = "non-commercial"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class LicenseInfo:
    """One license as Hearth explains it. ``id`` is None when no license was stated."""

    id: str | None
    raw: str | None  # what the card or file said, as given
    name: str
    license_class: LicenseClass
    summary: str
    commercial_use: str
    modification: str
    redistribution: str
    obligations: str
    link: str | None = None
    known: bool = False  # True when the id is in Hearth's table
    members: tuple[LicenseInfo, ...] = ()  # for a list of licenses

    @property
    def class_label(self) -> str:
        return str(_table()["classes"][self.license_class.value]["label"])

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "raw": self.raw, "name": self.name, "class": self.license_class.value,
            "class_label": self.class_label, "summary": self.summary,
            "commercial_use": self.commercial_use, "modification": self.modification,
            "redistribution": self.redistribution, "obligations": self.obligations,
            "link": self.link, "known": self.known, "members": [m.to_json() for m in self.members],
        }


_LIST_SPLIT = re.compile(r",|\s+and\s+|\s+or\s+", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s_,;:/()\"'`]+")
_DROPPED = {"the", "license", "licenses", "agreement", "version", "international", "community",
            "only", "or", "later", "unported", "generic"}
_CC_WORDS = [("creative-commons", "cc"), ("attribution", "by"), ("non-commercial", "nc"),
             ("noncommercial", "nc"), ("share-alike", "sa"), ("sharealike", "sa"),
             ("no-derivatives", "nd"), ("noderivatives", "nd"), ("no-derivs", "nd"),
             ("noderivs", "nd"), ("zero", "0")]


def normalize_key(value: str) -> str:
    """Fold a license spelling to a lookup key: ``"Apache License, Version 2.0"`` -> ``"apache-2"``."""
    s = value.strip().lower().replace("licence", "license")
    s = _SEPARATORS.sub("-", s)
    s = re.sub(r"(?<=\d)\+$", "", s)  # SPDX "GPL-2.0+" means "or later"
    if s.startswith(("creative-commons", "cc-")):
        for long, short in _CC_WORDS:
            s = s.replace(long, short)
    s = re.sub(r"(?<=[a-z])v?(?=\d)", "-", s)  # gplv3 -> gpl-3, llama3.1 -> llama-3.1
    s = re.sub(r"-v(?=\d)", "-", s)
    s = re.sub(r"(?<=\d)\.0(?![\d.])", "", s)  # 2.0 -> 2, but keep 2.1 and 1.3c
    words = [w for w in s.split("-") if w and w not in _DROPPED]
    if len(words) > 1 and words[0] == "meta":
        words = words[1:]
    return "-".join(words)


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    return load_json("licenses.json")  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    """Normalised spelling -> canonical id, for every id, alias and full name in the table."""
    index: dict[str, str] = {}
    entries = _table()["licenses"].items()
    for lid, entry in entries:
        for spelling in (lid, *entry.get("aliases", [])):
            index.setdefault(normalize_key(spelling), lid)
    for lid, entry in entries:  # full names last: an id or alias always wins
        index.setdefault(normalize_key(entry["name"]), lid)
    return index


def normalize_license_id(value: str) -> str:
    """The canonical id for ``value`` when Hearth knows it, else its normalised key."""
    key = normalize_key(value)
    return _lookup().get(key, key)


def _guess_class(key: str) -> LicenseClass:
    """A class from an id's shape, for ids missing from the table."""
    if re.search(r"(^|-)nc(-|$)|non-?commercial|research", key):
        return LicenseClass.NON_COMMERCIAL
    if key.startswith("cc-by-sa"):
        return LicenseClass.COPYLEFT
    if key.startswith("cc-by-nd"):
        return LicenseClass.RESTRICTED
    if key.startswith(("cc-by", "bsd", "apache", "mit")):
        return LicenseClass.PERMISSIVE
    if key.startswith(("gpl", "agpl", "lgpl", "mpl", "eupl", "epl")):
        return LicenseClass.COPYLEFT
    if "rail" in key or key.startswith(("llama", "gemma", "qwen", "deepseek")):
        return LicenseClass.RESTRICTED
    return LicenseClass.UNKNOWN


def _make(lid: str | None, raw: str | None, name: str, cls: LicenseClass, entry: dict[str, Any],
          link: str | None, known: bool, members: tuple[LicenseInfo, ...] = ()) -> LicenseInfo:
    base = _table()["classes"][cls.value]
    text = {k: entry.get(k) or base[k]
            for k in ("summary", "commercial_use", "modification", "redistribution", "obligations")}
    return LicenseInfo(lid, raw, name, cls, link=link or entry.get("link"), known=known,
                       members=members, **text)


def _single(value: str, link: str | None = None) -> LicenseInfo:
    key = normalize_key(value)
    lid = _lookup().get(key)
    if lid is not None:
        entry = _table()["licenses"][lid]
        return _make(lid, value, entry["name"], LicenseClass(entry["class"]), entry, link, True)
    if _LIST_SPLIT.search(value):
        parts = [p.strip() for p in _LIST_SPLIT.split(value) if p.strip()]
        if len(parts) > 1:
            return _several(parts, value, link)
    return _make(key or None, value, value.strip(), _guess_class(key), {}, link, False)


def _several(values: Sequence[str], raw: str, link: str | None) -> LicenseInfo:
    members = tuple(_single(v) for v in values)
    ids = {m.id for m in members}
    if len(ids) == 1:
        return members[0]
    classes = {m.license_class for m in members}
    names = ", ".join(m.name for m in members)
    if len(classes) == 1:
        cls = classes.pop()
        entry = {"summary": f"Several licenses are named ({names}); all are {cls.value}. "
                            + _table()["classes"][cls.value]["summary"]}
        return _make(None, raw, names, cls, entry, link, all(m.known for m in members), members)
    entry = {"summary": f"Several licenses of different kinds are named ({names}); check which one applies."}
    return _make(None, raw, names, LicenseClass.UNKNOWN, entry, link, False, members)


def license_info(value: str | Sequence[str] | None, *, license_name: str | None = None,
                 license_link: str | None = None) -> LicenseInfo:
    """Explain a card license (with its ``license_name``/``license_link``) or a GGUF ``general.license``."""
    if isinstance(value, (list, tuple)):
        values = [str(v) for v in value if str(v).strip()]
        value = values[0] if len(values) == 1 else (values or None)
        if isinstance(value, list):
            return _several(value, ", ".join(value), license_link)
    if value is None or not str(value).strip():
        if license_name:
            return license_info("other", license_name=license_name, license_link=license_link)
        entry = {"summary": "No license is stated. Without one you have no clear right to use or share the model."}
        return _make(None, None, "Not stated", LicenseClass.UNKNOWN, entry, license_link, False)
    info = _single(str(value), license_link)
    if info.id in ("other", "unknown") and license_name:
        named = _single(license_name, license_link)
        if named.known:
            return named
        entry = {"summary": f"A custom license called \"{license_name}\" that Hearth does not know: "
                            "read it before you use or share the model."}
        return _make(normalize_key(license_name) or None, str(value), license_name,
                     named.license_class, entry, license_link, False)
    return info


def license_class(value: str | Sequence[str] | None, license_name: str | None = None) -> str:
    """The class of a license as a plain string (``"permissive"``, ``"use-restricted"``...)."""
    return license_info(value, license_name=license_name).license_class.value


def class_text(cls: LicenseClass | str) -> dict[str, str]:
    """The label and plain-language texts of a class (for legends and tooltips)."""
    return dict(_table()["classes"][LicenseClass(cls).value])


@dataclass(frozen=True)
class LicenseConflict:
    """The card and the file name different licenses; ``evidence`` says which, in one sentence."""

    card: LicenseInfo
    file: LicenseInfo
    evidence: str


def _families(info: LicenseInfo) -> set[str]:
    """License families without version numbers: llama3.1 and llama3.2 are both "llama"."""
    ids = [m.id for m in info.members] if info.members else [info.id]
    return {re.sub(r"\d[\d.]*[a-z]?", "", i).strip("-") for i in ids if i}


def license_conflict(card: LicenseInfo, file: LicenseInfo) -> LicenseConflict | None:
    """A conflict when both sides name a license Hearth can classify and they clearly differ.

    Clearly differ: different classes, or different license families (apache vs mit;
    llama3.1 vs llama3.2 is the same family and not a conflict). A side that is
    missing, "other" or unrecognised is never a conflict: there is nothing to compare.
    """
    if LicenseClass.UNKNOWN in (card.license_class, file.license_class):
        return None
    said = f"The model card says {card.name} ({card.license_class.value}) but the file's header says " \
           f"{file.name} ({file.license_class.value})"
    if card.license_class is not file.license_class:
        return LicenseConflict(card, file, said + ": they allow different things.")
    if not _families(card) & _families(file):
        return LicenseConflict(card, file, said + ": different licenses of the same kind.")
    return None
