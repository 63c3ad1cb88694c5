"""Risk badges for a model, from whatever facts exist: Hub info, GGUF header, download record, fit.

``badges_for(...)`` runs every check that has something to go on and returns the
badges in :data:`~hearth.core.badges.BADGE_KEYS` order; a check with no facts at
all is left out (a Hub search hit has no ``format`` badge, an imported file no
``freshness``). ``badges_for_entry(entry)`` does the same for a library entry,
reading the file's full chat template(s) itself.

Everything here is static: no template is ever rendered, nothing is imported from
llama_cpp, and no network call is made.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from hearth.core.badges import BADGE_KEYS, Badge, Level, RepoFacts, worst_level
from hearth.core.errors import GGUFError
from hearth.core.fit import FitVerdict, assess
from hearth.core.gguf_facts import GGUFFacts
from hearth.core.hardware import HardwareProfile
from hearth.core.model_entry import ModelEntry, ModelSource
from hearth.core.risk_checks import fit_badge, format_badge, integrity_badge, license_badge, template_badge
from hearth.core.risk_repo_checks import access_badge, freshness_badge, provenance_badge
from hearth.core.runtime_check import runtime_badge
from hearth.core.template_scan import TEMPLATE_KEY, read_chat_templates

log = logging.getLogger(__name__)

__all__ = ["BADGE_KEYS", "Badge", "Level", "RepoFacts", "badges_for", "badges_for_entry", "worst_level"]


def badges_for(
    *,
    repo: RepoFacts | Any = None,
    facts: GGUFFacts | None = None,
    entry: ModelEntry | None = None,
    source: ModelSource | None = None,
    chat_template: str | Mapping[str, str] | None = None,
    expected_sha256: str | None = None,
    fit: FitVerdict | None = None,
    runtime: bool = True,
    versions: Mapping[str, str | None] | None = None,
    now: datetime | None = None,
) -> list[Badge]:
    """Every badge the given facts support, in the standard order.

    repo: RepoFacts, or any Hub object/dict with the same field names (``id`` counts as repo_id).
    facts / entry / source: the GGUF header facts, the library entry (supplies facts and source
        when those are not given), and where the file came from.
    chat_template: the file's FULL template text, or {metadata key: text} for named templates
        too (GGUFFacts.metadata keeps only 200 characters; see read_chat_templates).
    expected_sha256: the Hub's current LFS hash for the file, to catch a replaced file.
    fit: the hardware verdict; runtime/versions: include the runtime badge (versions override
        what is installed, for tests); now: the clock for freshness.
    """
    repo_facts = RepoFacts.from_object(repo) if repo is not None else None
    facts = facts or (entry.facts if entry else None)
    source = source or (entry.source if entry else None)
    templates = {TEMPLATE_KEY: chat_template} if isinstance(chat_template, str) else chat_template
    has_file = facts is not None
    found = [
        license_badge(repo_facts, facts.license if facts else None, has_file),
        integrity_badge(source, expected_sha256),
        format_badge(entry, facts),
        template_badge(templates, repo_facts.chat_template if repo_facts else None,
                       facts.has_chat_template if facts else None),
        provenance_badge(repo_facts, source),
        freshness_badge(repo_facts, now),
        access_badge(repo_facts),
        fit_badge(fit),
        runtime_badge(versions) if runtime else None,
    ]
    badges = [b for b in found if b is not None]
    return sorted(badges, key=lambda b: BADGE_KEYS.index(b.key))


def badges_for_entry(
    entry: ModelEntry,
    *,
    repo: RepoFacts | Any = None,
    profile: HardwareProfile | None = None,
    fit: FitVerdict | None = None,
    expected_sha256: str | None = None,
    runtime: bool = True,
    versions: Mapping[str, str | None] | None = None,
    now: datetime | None = None,
) -> list[Badge]:
    """Badges for a library entry; reads its full chat templates and judges fit on ``profile``.

    Reads only the file's header (milliseconds, even for large models); call it from a
    worker thread in the GUI all the same, since the file may sit on a slow disk.
    """
    templates: dict[str, str] | None = None
    if entry.facts is not None:  # named templates (tool_use...) may exist without a default one
        try:
            templates = read_chat_templates(entry.path)
        except GGUFError as exc:  # changed or vanished since the scan: judge what we know
            log.info("cannot read the chat template of %s: %s", entry.path, exc)
    if fit is None and profile is not None and entry.usable:
        fit = assess(entry, profile)
    return badges_for(repo=repo, entry=entry, chat_template=templates, expected_sha256=expected_sha256,
                      fit=fit, runtime=runtime, versions=versions, now=now)
