"""The words around a badge: level names, check titles, where a fact came from, tooltips.

Plain Python (no widgets), so the table, the pills, the passport, the load gate and
their tests all say the same thing. A user who has never read any documentation
should understand each badge from these words alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from hearth.core.badges import BADGE_KEYS, Badge, Level, worst_level

#: The word shown next to each level's icon (the icon's shape says the same without colour).
LEVEL_WORDS = {Level.OK: "OK", Level.CAUTION: "Caution", Level.DANGER: "Danger", Level.UNKNOWN: "Not checked"}
#: The symbol each level's icon draws, for plain-text copies.
LEVEL_SYMBOLS = {Level.OK: "✓", Level.CAUTION: "!", Level.DANGER: "✕", Level.UNKNOWN: "?"}
#: What each level means, for the legend.
LEVEL_MEANINGS = {
    Level.OK: "nothing wrong was found",
    Level.CAUTION: "read this before you use or share the model",
    Level.DANGER: "a serious problem: Hearth asks before loading the model",
    Level.UNKNOWN: "Hearth had nothing to check this against",
}

#: What each check looks at, as a short title.
CHECK_TITLES = {
    "license": "License",
    "integrity": "Download integrity",
    "format": "File format",
    "template": "Chat template",
    "provenance": "Publisher",
    "freshness": "Last update",
    "access": "Access",
    "fit": "Fits this computer",
    "runtime": "llama.cpp runtime",
}
#: One sentence on why each check matters.
CHECK_PURPOSES = {
    "license": "What the license lets you do with the model.",
    "integrity": "Whether the file is exactly the one its publisher released.",
    "format": "Whether the file is complete and its header makes sense.",
    "template": "The chat template is a small program stored in the file; a malicious one can run code "
                "on your computer.",
    "provenance": "Who published the file.",
    "freshness": "When the repository was last updated.",
    "access": "Whether you may download it.",
    "fit": "Whether this computer has the memory to run it.",
    "runtime": "Whether the installed llama.cpp has known security holes.",
}
_SOURCES = {
    "hub": "the Hugging Face Hub",
    "gguf": "the file's header",
    "hub+gguf": "the Hugging Face Hub and the file's header",
    "download": "the download record",
    "library": "your library",
    "hardware": "this computer's hardware",
    "runtime": "the installed llama.cpp",
}
#: What loading anyway could mean, per check with a danger badge.
CONSEQUENCES = {
    "template": "Its chat template could run commands on this computer as soon as you chat with it.",
    "format": "The file is damaged or incomplete: loading may fail, crash the engine or give garbage.",
    "integrity": "It is not the file its repository publishes: someone may have changed it.",
    "fit": "It needs more memory than this computer has free: the computer may slow down or freeze.",
    "runtime": "The installed llama.cpp has known security holes that a crafted model file can use.",
}


def check_title(key: str) -> str:
    return CHECK_TITLES.get(key, key.replace("_", " ").capitalize())


def source_words(source: str) -> str:
    return _SOURCES.get(source, source)


def worst_first(badges: Iterable[Badge]) -> list[Badge]:
    """Danger, caution, not checked, then OK; within a level, Hearth's usual order (license first)."""
    def key(badge: Badge) -> tuple[int, int]:
        order = BADGE_KEYS.index(badge.key) if badge.key in BADGE_KEYS else len(BADGE_KEYS)
        return (-badge.level.severity, order)

    return sorted(badges, key=key)


def badge_line(badge: Badge) -> str:
    """``"✕ Danger · Chat template: Suspicious template"``."""
    return f"{LEVEL_SYMBOLS[badge.level]} {LEVEL_WORDS[badge.level]} · {check_title(badge.key)}: {badge.label}"


def badge_tooltip(badge: Badge) -> str:
    """Rich text for one pill: the level, what was checked, the evidence and where it came from."""
    return (f"<p style='margin:0'><b>{escape(badge_line(badge), quote=False)}</b></p>"
            f"<p style='margin:4px 0 0 0'>{escape(badge.evidence, quote=False)}</p>"
            f"<p style='margin:4px 0 0 0; color:gray'>From {escape(source_words(badge.source), quote=False)}.</p>")


def badges_tooltip(badges: Sequence[Badge], heading: str | None = None) -> str:
    """Rich text listing several badges with their evidence (the "+N" pill, an empty part of a cell)."""
    parts = [f"<p style='margin:0 0 4px 0'><b>{escape(heading, quote=False)}</b></p>"] if heading else []
    for badge in worst_first(badges):
        parts.append(f"<p style='margin:0 0 4px 0'><b>{escape(badge_line(badge), quote=False)}</b><br>"
                     f"{escape(badge.evidence, quote=False)}</p>")
    parts.append("<p style='margin:0; color:gray'>Open the model passport for details.</p>")
    return "".join(parts)


def summary_text(badges: Sequence[Badge] | None) -> str:
    """One line for screen readers and filters: ``"Danger: Suspicious template; OK: 5 checks"``."""
    if badges is None:
        return "Checking…"
    if not badges:
        return "No checks"
    pieces = []
    for level in (Level.DANGER, Level.CAUTION, Level.UNKNOWN):
        labels = [b.label for b in worst_first(badges) if b.level is level]
        if labels:
            pieces.append(f"{LEVEL_WORDS[level]}: {', '.join(labels)}")
    passed = sum(1 for b in badges if b.level is Level.OK)
    if passed:
        pieces.append(f"OK: {passed} check{'s' if passed != 1 else ''}")
    return "; ".join(pieces)


def verdict(badges: Sequence[Badge]) -> str:
    """One sentence on all the checks together, for the top of the passport."""
    level = worst_level(list(badges))
    dangers = sum(1 for b in badges if b.level is Level.DANGER)
    cautions = sum(1 for b in badges if b.level is Level.CAUTION)
    if level is Level.DANGER:
        noun = "a serious problem" if dangers == 1 else f"{dangers} serious problems"
        return f"Hearth found {noun} with this model: read below before you use it."
    if level is Level.CAUTION:
        noun = "one thing" if cautions == 1 else f"{cautions} things"
        return f"Nothing dangerous was found, but there {'is' if cautions == 1 else 'are'} {noun} to read first."
    if level is Level.UNKNOWN:
        return "Nothing wrong was found, though some things could not be checked."
    return "Every check Hearth made passed."


def risky_load_text(name: str, dangers: Sequence[Badge]) -> tuple[str, str]:
    """The question and the evidence for the "load anyway?" dialog."""
    noun = "a serious problem" if len(dangers) == 1 else f"{len(dangers)} serious problems"
    question = f"Hearth found {noun} with “{name}”. Load it anyway?"
    lines = []
    for badge in worst_first(dangers):
        lines.append(f"✕ {check_title(badge.key)}: {badge.label}")
        lines.append(f"   {badge.evidence}")
        if badge.key in CONSEQUENCES:
            lines.append(f"   {CONSEQUENCES[badge.key]}")
    lines.append("")
    lines.append("Only load it if you trust where the file came from. Cancel keeps it unloaded.")
    return question, "\n".join(lines)
