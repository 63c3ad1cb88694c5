"""The risk checks about the file: license, integrity, format, template and fit.

Each returns one :class:`Badge`, or None when it has no facts to go on.
:func:`hearth.core.risk.badges_for` calls them; they are public so that a view can
refresh one badge (e.g. ``fit`` after the user changes the context size). The
checks about the repository (provenance, freshness, access) are in
:mod:`hearth.core.risk_repo_checks`.
"""

from __future__ import annotations

from collections.abc import Mapping

from hearth.core.badges import Badge, Level, RepoFacts
from hearth.core.fit import FitLevel, FitVerdict
from hearth.core.gguf_facts import GGUFFacts
from hearth.core.licenses import LicenseClass, LicenseInfo, license_conflict, license_info
from hearth.core.model_entry import SOURCE_FOLDER, SOURCE_HUB, SOURCE_IMPORTED, ModelEntry, ModelSource
from hearth.core.template_scan import DANGER, LARGE_TEMPLATE, TEMPLATE_KEY, scan_template
from hearth.core.units import human_bytes

_LICENSE_LEVEL = {
    LicenseClass.PERMISSIVE: Level.OK, LicenseClass.COPYLEFT: Level.CAUTION,
    LicenseClass.RESTRICTED: Level.CAUTION, LicenseClass.NON_COMMERCIAL: Level.CAUTION,
    LicenseClass.UNKNOWN: Level.UNKNOWN,
}


def _said(info: LicenseInfo) -> str:
    """Known licenses by their id (``llama3.1``), others as the card or file wrote them."""
    return (info.id or info.name) if info.known else info.name


def license_badge(repo: RepoFacts | None, file_license: str | None, has_file: bool) -> Badge | None:
    """From the card's license (with license_name/link) and/or the file's ``general.license``."""
    card = license_info(repo.license, license_name=repo.license_name, license_link=repo.license_link) \
        if repo and (repo.license or repo.license_name) else None
    file = license_info(file_license) if file_license else None
    if card is None and file is None:
        if repo is None and not has_file:
            return None
        where = "the model card nor the file's header" if repo and has_file else \
            "the model card" if repo else "the file's header"
        return Badge("license", Level.UNKNOWN, "No license", f"Neither {where} states a license: "
                     "without one you have no clear right to use or share the model.",
                     "hub+gguf" if repo and has_file else "hub" if repo else "gguf")
    main = card or file
    assert main is not None
    label = f"{main.class_label}: {_said(main)}"
    if card and file:
        conflict = license_conflict(card, file)
        if conflict:
            return Badge("license", Level.CAUTION, f"{label} (conflict)", conflict.evidence + " "
                         + "Check which one applies.", "hub+gguf")
        where, source = f"The model card says {_said(card)} and the file says {_said(file)}", "hub+gguf"
    elif card:
        where, source = f"The model card says {_said(card)}", "hub"
    else:
        where, source = f"The file's header says {_said(main)}", "gguf"
    link = f" ({main.link})" if main.license_class is LicenseClass.UNKNOWN and main.link else ""
    return Badge("license", _LICENSE_LEVEL[main.license_class], label, f"{where}{link}: {main.summary}", source)


def integrity_badge(source: ModelSource | None, expected_sha256: str | None = None) -> Badge | None:
    """Verified hash at download -> ok; no reference -> unknown; a mismatch -> danger.

    A ``sha256`` on a Hub source is recorded by the downloader only after it matched the
    Hub's LFS hash. ``expected_sha256`` (the Hub's hash now) catches a file replaced later.
    """
    if source is None:
        return None
    have = (source.sha256 or "").lower()
    want = (expected_sha256 or "").lower()
    if have and want and have != want:
        return Badge("integrity", Level.DANGER, "Hash mismatch",
                     f"The file's sha256 {have[:16]}… differs from the Hub's {want[:16]}…: "
                     "it is not the file the repository publishes.", "download")
    if have and (source.kind == SOURCE_HUB or want):
        where = source.repo_id or "the Hub"
        return Badge("integrity", Level.OK, "Verified",
                     f"Its sha256 {have[:16]}… matched {where}'s published hash when it was downloaded.", "download")
    if source.kind == SOURCE_HUB:
        return Badge("integrity", Level.UNKNOWN, "Not verified",
                     f"Downloaded from {source.repo_id or 'the Hub'}, but no hash was recorded to check it.",
                     "download")
    origin = f"Imported from {source.origin}" if source.kind == SOURCE_IMPORTED and source.origin else \
        "Imported" if source.kind == SOURCE_IMPORTED else \
        "Found in one of your folders" if source.kind == SOURCE_FOLDER else "Opened from disk"
    return Badge("integrity", Level.UNKNOWN, "No reference hash",
                 f"{origin}: there is no published hash to check it against.", "library")


def format_badge(entry: ModelEntry | None, facts: GGUFFacts | None) -> Badge | None:
    """Header consistent -> ok; unreadable, incomplete, missing parts or odd sizes -> danger."""
    if entry is None and facts is None:
        return None
    facts = facts or (entry.facts if entry else None)
    problems = entry.problems if entry else (facts.problems if facts else [])
    if entry is not None and facts is not None and facts.split_count > 1:
        listed = len(entry.parts) + len(entry.missing_parts)
        if listed != facts.split_count:
            problems = [*problems, f"the header says {facts.split_count} parts but {listed} were found"]
    if facts is None:
        return Badge("format", Level.DANGER, "Unreadable", "; ".join(problems) or "The header cannot be read.",
                     "gguf")
    if problems:
        serious = [p for p in problems if "does not know" not in p]
        level = Level.DANGER if serious or not facts.data_complete else Level.CAUTION
        label = "Incomplete" if not facts.data_complete or (entry and entry.missing_parts) else \
            "Inconsistent" if level is Level.DANGER else "Unusual"
        text = "; ".join(problems)
        return Badge("format", level, label, text[:1].upper() + text[1:] + ".", "gguf")
    parts = f" in {facts.split_count} parts" if facts.split_count > 1 else ""
    return Badge("format", Level.OK, "Intact",
                 f"The header is consistent and the data of all {facts.tensor_count} tensors "
                 f"({human_bytes(facts.file_size)}{parts}) is present.", "gguf")


def template_badge(templates: Mapping[str, str] | None, hub_template: str | None,
                   file_has_template: bool | None) -> Badge | None:
    """Scan the file's chat templates (default and named ones), or the Hub's when the file is not at hand.

    ``templates`` maps metadata keys to full texts; ``file_has_template`` is None when no
    file is known, else whether its header has a default template.
    """
    source = "gguf"
    if not templates and hub_template and file_has_template is None:
        templates, source = {TEMPLATE_KEY: hub_template}, "hub"
    templates = templates or {}
    findings = [f for text in templates.values() for f in scan_template(text)]
    if findings:  # a payload in a named template (e.g. tool_use) counts as much as in the default one
        worst = next((f for f in findings if f.severity == DANGER), findings[0])
        more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
        level = Level.DANGER if worst.severity == DANGER else Level.CAUTION
        return Badge("template", level, "Suspicious template" if level is Level.DANGER else "Unusual template",
                     f"The chat template {worst.detail}: “{worst.excerpt}”{more}.", source)
    main = templates.get(TEMPLATE_KEY)
    if main is None:
        if file_has_template is None and not templates:
            return None
        if file_has_template:
            return Badge("template", Level.UNKNOWN, "Template not checked",
                         "The file has a chat template, but its full text was not read for checking.", "gguf")
        return Badge("template", Level.CAUTION, "No chat template",
                     "The file has no chat template: a generic format will be used, so answers may be poor.",
                     "gguf")
    size = max(len(t.encode("utf-8")) for t in templates.values())
    if size > LARGE_TEMPLATE:
        return Badge("template", Level.CAUTION, "Unusually large template",
                     f"The chat template is {human_bytes(size)}; real ones are a few KB, so it may hide something "
                     "a static check cannot see.", source)
    if source == "gguf" and hub_template and hub_template.strip() != main.strip():
        return Badge("template", Level.CAUTION, "Differs from the Hub's",
                     "The file's chat template is not the one the Hub lists for this repository.", "hub+gguf")
    return Badge("template", Level.OK, "Template looks normal",
                 f"The chat template ({len(main):,} characters) uses no Python internals or sandbox-escape "
                 "patterns.", source)


def fit_badge(verdict: FitVerdict | None) -> Badge | None:
    """Full GPU or CPU on a GPU-less machine -> ok; partial or CPU despite a GPU -> caution; too big -> danger."""
    if verdict is None:
        return None
    level, label = {
        FitLevel.FULL_GPU: (Level.OK, "Fits on the GPU"),
        FitLevel.PARTIAL_GPU: (Level.CAUTION, "Partly on the GPU"),
        FitLevel.CPU_ONLY: (Level.CAUTION if verdict.gpu_available else Level.OK, "Runs on the CPU"),
        FitLevel.WONT_FIT: (Level.DANGER, "Too big"),
    }[verdict.level]
    return Badge("fit", level, label, verdict.summary, "hardware")
