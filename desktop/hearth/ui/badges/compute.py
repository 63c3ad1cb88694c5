"""Badges for library entries, computed off the UI thread and remembered per file.

:func:`badges_job` is a Qt-free callable ``fn(progress, should_stop)`` for a
:class:`~hearth.ui.worker.Worker`. It reuses a :class:`BadgeCache` entry while
the model's files keep their size and modification time and its recorded source
is unchanged, so rescans and refreshes cost one ``stat`` per file.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import astuple, dataclass, field

from hearth.core.badges import Badge, RepoFacts
from hearth.core.errors import Cancelled, HearthError
from hearth.core.hardware import HardwareProfile, probe
from hearth.core.library import Progress, ShouldStop
from hearth.core.model_entry import SOURCE_HUB, ModelEntry
from hearth.core.risk import badges_for_entry

log = logging.getLogger(__name__)

Fingerprint = tuple[object, ...]


def fingerprint(entry: ModelEntry) -> Fingerprint:
    """What the badges of ``entry`` depend on: its files' size and mtime, its source and its problems."""
    stamps: list[tuple[int, int]] = []
    for part in entry.parts:
        try:
            st = os.stat(part)
            stamps.append((st.st_size, st.st_mtime_ns))
        except OSError:
            stamps.append((-1, -1))
    return (tuple(stamps), astuple(entry.source), entry.error, tuple(entry.missing_parts))


def repo_facts_for(entry: ModelEntry) -> RepoFacts | None:
    """The Hub facts a downloaded entry remembers (its repository and the card's license), if any.

    With them the license badge weighs the model card against the file's header, as
    it does on the Discover page.
    """
    source = entry.source
    if source.kind != SOURCE_HUB or not source.repo_id or not source.license:
        return None
    return RepoFacts(repo_id=source.repo_id, license=source.license)


@dataclass
class BadgeCache:
    """Badges per entry id with the fingerprint they were computed for (GUI thread only)."""

    items: dict[str, tuple[Fingerprint, list[Badge]]] = field(default_factory=dict)

    def get(self, entry_id: str) -> list[Badge] | None:
        item = self.items.get(entry_id)
        return list(item[1]) if item else None

    def snapshot(self) -> dict[str, tuple[Fingerprint, list[Badge]]]:
        """A copy a background job may read while the GUI thread goes on."""
        return dict(self.items)

    def merge(self, results: BadgeResults) -> None:
        for entry_id, badges in results.badges.items():
            self.items[entry_id] = (results.prints[entry_id], list(badges))

    def keep_only(self, entry_ids: set[str]) -> None:
        self.items = {k: v for k, v in self.items.items() if k in entry_ids}


@dataclass
class BadgeResults:
    """What one run found: badges per entry id, plus the fingerprints they belong to."""

    badges: dict[str, list[Badge]] = field(default_factory=dict)
    prints: dict[str, Fingerprint] = field(default_factory=dict)


def compute_badges(entry: ModelEntry, profile: HardwareProfile | None) -> list[Badge]:
    """Every badge for one entry (reads the file's header; call it off the UI thread)."""
    return badges_for_entry(entry, repo=repo_facts_for(entry), profile=profile)


def badges_job(entries: Sequence[ModelEntry], cached: dict[str, tuple[Fingerprint, list[Badge]]],
               profile: Callable[[], HardwareProfile | None] = probe) -> Callable[[Progress, ShouldStop], BadgeResults]:
    """A job that computes the badges of ``entries``, reusing ``cached`` results whose fingerprint still matches.

    ``cached`` must be a copy the job may read while the UI thread goes on.
    """
    entries = list(entries)

    def run(progress: Progress, should_stop: ShouldStop) -> BadgeResults:
        results = BadgeResults()
        machine: HardwareProfile | None = None
        measured = False
        for done, entry in enumerate(entries):
            if should_stop():
                raise Cancelled()
            progress(done, len(entries), entry.name)
            print_ = fingerprint(entry)
            item = cached.get(entry.id)
            if item is not None and item[0] == print_:
                results.badges[entry.id], results.prints[entry.id] = list(item[1]), print_
                continue
            if not measured:
                machine, measured = profile(), True
            try:
                results.badges[entry.id] = compute_badges(entry, machine)
            except (HearthError, OSError) as exc:  # one odd file must not cost every other its badges
                log.warning("could not check %s: %s", entry.path, exc)
                continue
            results.prints[entry.id] = print_
        progress(len(entries), len(entries), "")
        return results

    return run
