"""The library's long tasks as plain callables ``fn(progress, should_stop)`` for a Worker.

No Qt here: each job composes core calls and reports progress the core way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from hearth.core.errors import Cancelled, LibraryError
from hearth.core.library import Library, Progress, ShouldStop
from hearth.core.model_entry import ModelEntry
from hearth.core.model_import import import_model
from hearth.core.quants import parse_split_name

log = logging.getLogger(__name__)

Job = Callable[[Progress, ShouldStop], object]


@dataclass
class BatchOutcome:
    """What a multi-model job did: the entries it handled and one line per file it could not."""

    done: list[ModelEntry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def split_droppable(paths: Iterable[Path]) -> tuple[list[Path], list[Path], list[Path]]:
    """Sort dropped or chosen paths into (.gguf files, folders, rejected), one entry per split model."""
    models: list[Path] = []
    folders: list[Path] = []
    rejected: list[Path] = []
    seen_splits: set[tuple[Path, str]] = set()
    for path in paths:
        if path.is_dir():
            folders.append(path)
        elif path.suffix.lower() == ".gguf" and path.is_file():
            split = parse_split_name(path.name)
            if split is not None:
                key = (path.parent, split.stem.lower())
                if key in seen_splits:
                    continue  # importing any part brings every part
                seen_splits.add(key)
            models.append(path)
        else:
            rejected.append(path)
    return models, folders, rejected


def scan_job(library: Library) -> Job:
    def run(progress: Progress, should_stop: ShouldStop) -> list[ModelEntry]:
        return library.scan(progress=progress, should_stop=should_stop)

    return run


def import_job(library: Library, paths: list[Path]) -> Job:
    """Import each file in turn; a bad file is reported and the others still come in."""

    def run(progress: Progress, should_stop: ShouldStop) -> BatchOutcome:
        outcome = BatchOutcome()
        for number, path in enumerate(paths, start=1):
            if should_stop():
                raise Cancelled("Import cancelled.")
            prefix = f"{number} of {len(paths)} · " if len(paths) > 1 else ""

            def report(done: int, total: int, _current: str, label: str = prefix + path.name) -> None:
                progress(done, total, label)

            try:
                outcome.done.append(import_model(library, path, progress=report, should_stop=should_stop))
            except LibraryError as exc:
                log.info("import of %s failed: %s", path, exc)
                outcome.errors.append(str(exc))
        return outcome

    return run


def remove_job(library: Library, model_ids: list[str]) -> Job:
    """Delete each model's files; stops between models when cancelled."""

    def run(progress: Progress, should_stop: ShouldStop) -> BatchOutcome:
        outcome = BatchOutcome()
        for done, model_id in enumerate(model_ids):
            if should_stop():
                raise Cancelled("Removal stopped; the models not yet deleted are kept.")
            progress(done, len(model_ids), model_id)
            try:
                outcome.done.append(library.remove(model_id))
            except LibraryError as exc:
                outcome.errors.append(str(exc))
        progress(len(model_ids), len(model_ids), "")
        return outcome

    return run
