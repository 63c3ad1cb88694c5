"""What a model passport says, as plain data and as plain text (no widgets).

:func:`passport_content` gathers the checks, the license explained and the file
facts (sha256, where it came from, paths, size); the dialog shows it and
"Copy as text" copies :func:`passport_text` of the same content.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from hearth.core.badges import Badge
from hearth.core.licenses import LicenseInfo, license_info
from hearth.core.model_entry import SOURCE_FOLDER, SOURCE_HUB, SOURCE_IMPORTED, ModelEntry
from hearth.core.units import human_bytes
from hearth.ui.badges.texts import (
    LEVEL_SYMBOLS,
    LEVEL_WORDS,
    badge_line,
    source_words,
    verdict,
    worst_first,
)

INTRO = ("A model passport collects what Hearth checked about a model file and what its license lets you do. "
         "Everything here was worked out on this computer; nothing was sent anywhere.")
#: The rows of the license table: (caption, LicenseInfo attribute).
LICENSE_ROWS = (("Commercial use", "commercial_use"), ("Changing it", "modification"),
                ("Sharing it", "redistribution"), ("You must", "obligations"))


@dataclass(frozen=True)
class PassportContent:
    title: str
    verdict: str
    badges: list[Badge]
    license: LicenseInfo
    license_said_by: str  # "the model card", "the file's header", or "" when no license is stated
    file_rows: list[tuple[str, str]] = field(default_factory=list)


def entry_license(entry: ModelEntry) -> tuple[LicenseInfo, str]:
    """The license a library entry is under and who said so: the card's (kept at download) before the file's."""
    card = entry.source.license if entry.source.kind == SOURCE_HUB else None
    if card:
        return license_info(card), "the model card"
    file = entry.facts.license if entry.facts else None
    if file:
        return license_info(file), "the file's header"
    return license_info(None), ""


def origin_text(entry: ModelEntry) -> str:
    """Where the file came from, in one sentence."""
    s = entry.source
    if s.kind == SOURCE_HUB:
        where = s.repo_id or "an unknown repository"
        revision = f" at revision {s.revision}" if s.revision else ""
        return f"Downloaded from the Hugging Face Hub: {where}{revision}."
    if s.kind == SOURCE_IMPORTED:
        return f"Imported from {s.origin}." if s.origin else "Imported (the original path was not kept)."
    if s.kind == SOURCE_FOLDER:
        return f"Found in the folder {entry.folder}."
    return f"Opened from disk ({s.kind})."


def file_rows(entry: ModelEntry) -> list[tuple[str, str]]:
    s = entry.source
    rows = [("Where it came from", origin_text(entry))]
    if s.kind == SOURCE_HUB and s.filename:
        rows.append(("File in the repository", s.filename))
    rows.append(("SHA-256", s.sha256 or "Not recorded: Hearth only records the hash of files it downloads "
                                         "and checks against the Hub."))
    rows.append(("File" if len(entry.parts) == 1 else f"Files ({len(entry.parts)} parts)",
                 "\n".join(str(p) for p in entry.parts)))
    rows.append(("Size", f"{human_bytes(entry.size_bytes)} ({entry.size_bytes:,} bytes)"))
    if entry.added_at:
        rows.append(("Added", entry.added_at.replace("T", " ").replace("+00:00", " UTC")))
    rows.append(("Library id", entry.id))
    return rows


def passport_content(badges: Sequence[Badge], *, entry: ModelEntry | None = None,
                     license: LicenseInfo | None = None, license_said_by: str = "",
                     title: str | None = None) -> PassportContent:
    """Everything the passport shows; ``license`` defaults to the entry's (see :func:`entry_license`)."""
    if license is None:
        license, license_said_by = entry_license(entry) if entry is not None else (license_info(None), "")
    return PassportContent(
        title=title or (entry.name if entry is not None else "Model"),
        verdict=verdict(badges),
        badges=worst_first(badges),
        license=license,
        license_said_by=license_said_by,
        file_rows=file_rows(entry) if entry is not None else [],
    )


def license_heading(info: LicenseInfo) -> str:
    """``"Llama 3.2 Community License (llama3.2) · Use-restricted"``."""
    name = info.name if not info.id or info.id == info.name else f"{info.name} ({info.id})"
    return f"{name} · {info.class_label}"


def passport_text(content: PassportContent) -> str:
    """The whole passport as plain text (what "Copy as text" puts on the clipboard)."""
    lines = [f"Model passport: {content.title}", "", content.verdict, ""]
    lines.append("Checks")
    for badge in content.badges:
        lines.append(f"  {badge_line(badge)}")
        lines.append(f"      {badge.evidence}")
        lines.append(f"      (from {source_words(badge.source)})")
    if not content.badges:
        lines.append("  No checks could be made.")
    info = content.license
    lines += ["", "License", f"  {license_heading(info)}"]
    if content.license_said_by:
        lines.append(f"  As stated by {content.license_said_by}.")
    lines.append(f"  {info.summary}")
    for caption, attribute in LICENSE_ROWS:
        lines.append(f"  {caption}: {getattr(info, attribute)}")
    if info.link:
        lines.append(f"  Full text: {info.link}")
    if content.file_rows:
        lines += ["", "File"]
        for caption, value in content.file_rows:
            value_lines = value.split("\n")
            lines.append(f"  {caption}: {value_lines[0]}")
            lines += [f"  {' ' * (len(caption) + 2)}{more}" for more in value_lines[1:]]
    lines += ["", "Legend: " + ", ".join(f"{LEVEL_SYMBOLS[lv]} {LEVEL_WORDS[lv]}" for lv in LEVEL_WORDS)]
    return "\n".join(lines) + "\n"

