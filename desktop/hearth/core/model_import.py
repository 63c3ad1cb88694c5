"""Importing a .gguf file (or every part of a split one) into the library folder.

Copies stream through a ``.part`` file with progress, a sha256 computed on the
way, and a disk-space check first; the final rename is atomic, so the library
never shows half a file. Cancel removes the partial file. ``move`` renames when
source and library share a file system and falls back to copy-then-delete.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from pathlib import Path

from hearth.core.errors import Cancelled, GGUFError, LibraryError
from hearth.core.gguf_facts import read_facts
from hearth.core.library import Library, Progress, ShouldStop
from hearth.core.model_entry import SOURCE_IMPORTED, ModelEntry, ModelSource
from hearth.core.quants import parse_split_name

CHUNK = 4 << 20
IMPORTED_PUBLISHER = "imported"


def import_model(
    library: Library,
    source: str | Path,
    *,
    move: bool = False,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> ModelEntry:
    """Bring ``source`` into ``<models>/imported/<name>/`` and return its library entry."""
    src = Path(source).expanduser()
    if not os.path.isfile(src):  # False, not OSError, for a name too long to be a path
        raise LibraryError(f"{src} is not a file")
    src = src.resolve()
    if src.suffix.lower() != ".gguf":
        raise LibraryError(f"{src.name} is not a .gguf file")
    for folder in library.folders():
        if src.is_relative_to(folder.resolve()):
            raise LibraryError(f"{src.name} is already in the library (under {folder})")
    parts = _parts_of(src)
    try:
        read_facts(parts[0])
    except GGUFError as exc:
        raise LibraryError(f"{src.name} cannot be imported: {exc}") from exc

    split = parse_split_name(parts[0].name)
    folder_name = split.stem if split else src.stem
    dest_dir = library.paths.models / IMPORTED_PUBLISHER / folder_name
    targets = [dest_dir / p.name for p in parts]
    for target in targets:
        if target.exists():
            raise LibraryError(f"{target.name} is already in the library at {target.parent}")
    total = sum(p.stat().st_size for p in parts)
    dest_dir.mkdir(parents=True, exist_ok=True)
    if not move or not _same_device(src, dest_dir):
        try:
            _check_space(dest_dir, total)
        except LibraryError:
            _remove_if_empty(dest_dir)
            raise

    digest: str | None = None
    done = 0
    finished: list[Path] = []
    try:
        for part, target in zip(parts, targets):
            if move and _same_device(part, dest_dir):
                os.replace(part, target)
                done += target.stat().st_size
                if progress:
                    progress(done, total, str(part))
            else:
                digest = _copy(part, target, done, total, progress, should_stop)
                done += target.stat().st_size
                if move:
                    part.unlink()
            finished.append(target)
    except BaseException:
        if not move:  # a half-done move keeps both halves where they are safe
            for target in finished:
                target.unlink(missing_ok=True)
        _remove_if_empty(dest_dir)
        raise

    source_info = ModelSource(
        kind=SOURCE_IMPORTED, origin=str(src), filename=src.name,
        sha256=digest if len(parts) == 1 else None,
    )
    library.record_source(targets[0], source_info)
    return library.add_paths(targets)


def _parts_of(src: Path) -> list[Path]:
    split = parse_split_name(src.name)
    if split is None:
        return [src]
    parts = [src.with_name(split.part_name(n)) for n in range(1, split.count + 1)]
    missing = [p.name for p in parts if not p.is_file()]
    if missing:
        raise LibraryError(f"split model is incomplete; missing {', '.join(missing)}")
    return parts


def _copy(src: Path, dest: Path, base: int, total: int,
          progress: Progress | None, should_stop: ShouldStop | None) -> str:
    partial = dest.with_name(dest.name + ".part")
    sha = hashlib.sha256()
    try:
        with open(src, "rb") as reader, open(partial, "wb") as writer:
            copied = 0
            while chunk := reader.read(CHUNK):
                if should_stop and should_stop():
                    raise Cancelled("Import cancelled; the partial copy was removed.")
                writer.write(chunk)
                sha.update(chunk)
                copied += len(chunk)
                if progress:
                    progress(base + copied, total, str(src))
            writer.flush()
            os.fsync(writer.fileno())
        os.replace(partial, dest)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:
            raise LibraryError(f"The disk is full; {src.name} was not imported") from exc
        raise LibraryError(f"Could not copy {src.name}: {exc.strerror or exc}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return sha.hexdigest()


def _check_space(folder: Path, needed: int) -> None:
    free = shutil.disk_usage(folder).free
    if free < needed:
        raise LibraryError(
            f"Not enough disk space: the import needs {needed / 1e9:.2f} GB, {free / 1e9:.2f} GB is free"
        )


def _same_device(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_dev == b.stat().st_dev
    except OSError:
        return False


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass
