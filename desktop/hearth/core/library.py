"""The local model library: Hearth's own models folder plus any folders the user adds.

Models Hearth downloads or imports live under ``<data>/models/<publisher>/<repo>/``.
Extra folders (an LM Studio or GPT4All folder, any layout) are scanned
recursively. A JSON manifest remembers each file's provenance, when it was
added and its facts (re-read only when size or mtime change), so restarts are
fast and a Hub download keeps its repo, revision and sha256.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from hearth.core.errors import Cancelled, GGUFError, LibraryError
from hearth.core.fileio import atomic_write_json, move_aside
from hearth.core.gguf_facts import GGUFFacts, read_facts
from hearth.core.model_entry import SOURCE_FOLDER, ModelEntry, ModelSource, model_id
from hearth.core.paths import Paths
from hearth.core.quants import parse_split_name
from hearth.core.settings import SettingsStore

log = logging.getLogger(__name__)

MANIFEST_VERSION = 1
#: progress(done, total, current_path); should_stop() -> True to cancel.
Progress = Callable[[int, int, str], None]
ShouldStop = Callable[[], bool]
_SKIP_DIRS = {".git", "__pycache__", "node_modules", ".cache", ".Trash"}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _is_projector(facts: GGUFFacts) -> bool:
    return facts.architecture == "clip" or "mmproj" in Path(facts.path).name.lower()


class Library:
    """Lists, imports and removes models. Thread-safe: a GUI worker may scan while the UI reads."""

    def __init__(self, paths: Paths, settings: SettingsStore) -> None:
        self.paths = paths
        self.settings = settings
        self._lock = threading.RLock()
        self._records: dict[str, dict[str, Any]] = {}
        self._entries: list[ModelEntry] = []
        self._load_manifest()

    # ---- reading -------------------------------------------------------------------------
    def entries(self) -> list[ModelEntry]:
        with self._lock:
            return list(self._entries)

    def folders(self) -> list[Path]:
        """Every folder scanned: the library's own first, then the user's extra ones."""
        extra = [Path(p) for p in self.settings.settings.model_folders]
        return [self.paths.models, *extra]

    def get(self, key: str) -> ModelEntry:
        """Find a model by id, unique id prefix, path, or file name."""
        entries = self.entries()
        candidate = Path(key).expanduser()
        if os.path.exists(candidate):  # False, not OSError, for a name too long to be a path
            resolved = candidate.resolve()
            for entry in entries:
                if resolved == entry.path or resolved in entry.parts:
                    return entry
        matches = [e for e in entries if e.id == key]
        matches = matches or [e for e in entries if len(key) >= 4 and e.id.startswith(key)]
        matches = matches or [e for e in entries if key in (e.path.name, e.path.stem, e.name)]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            ids = ", ".join(e.id for e in matches[:5])
            raise LibraryError(f"'{key}' matches {len(matches)} models ({ids}); use the id")
        raise LibraryError(f"No model '{key}' in the library (see 'hearth list')")

    # ---- scanning ------------------------------------------------------------------------
    def scan(self, progress: Progress | None = None, should_stop: ShouldStop | None = None) -> list[ModelEntry]:
        """Walk every folder, read facts of new or changed files, and return the entries."""
        groups: list[tuple[Path, list[Path], list[int]]] = []
        for folder in self.folders():
            if should_stop and should_stop():
                raise Cancelled()
            groups.extend((folder, parts, missing) for parts, missing in _group_files(_gguf_files(folder)))
        entries: list[ModelEntry] = []
        seen: set[str] = set()
        for done, (folder, parts, missing) in enumerate(groups):
            if should_stop and should_stop():
                raise Cancelled()
            if progress:
                progress(done, len(groups), str(parts[0]))
            entry = self._entry_for(folder, parts, missing)
            if entry is not None and str(entry.path) not in seen:
                seen.add(str(entry.path))
                entries.append(entry)
        if progress:
            progress(len(groups), len(groups), "")
        entries.sort(key=lambda e: e.name.lower())
        with self._lock:
            self._entries = entries
            self._records = {k: v for k, v in self._records.items() if k in seen}
            self._save_manifest()
        return entries

    def _entry_for(self, folder: Path, parts: list[Path], missing: list[int]) -> ModelEntry | None:
        first = parts[0]
        size = 0
        for part in parts:
            try:
                size += part.stat().st_size
            except OSError:
                pass
        with self._lock:
            record = dict(self._records.get(str(first), {}))
        stamp = _stamp(parts)
        facts: GGUFFacts | None = None
        error: str | None = None
        if record.get("stamp") == stamp:
            facts = _cached_facts(record.get("facts"))
        if facts is None and "error" in record and record.get("stamp") == stamp:
            error = str(record["error"])
        elif facts is None:
            try:
                facts = _combined_facts(parts)
            except GGUFError as exc:
                error = str(exc)
        if facts is not None and _is_projector(facts):
            return None
        record.update(stamp=stamp, facts=facts.to_dict() if facts else None,
                      parts=[str(p) for p in parts], folder=str(folder), missing=missing)
        if error:
            record["error"] = error
        else:
            record.pop("error", None)
        if not isinstance(record.get("added_at"), str):
            record["added_at"] = _now()
        if not isinstance(record.get("source"), dict):
            record["source"] = {"kind": SOURCE_FOLDER}
        with self._lock:
            self._records[str(first)] = record
        return ModelEntry(
            id=model_id(first), path=first, parts=parts, size_bytes=size,
            added_at=record["added_at"], source=ModelSource.from_dict(record["source"]),
            folder=folder, facts=facts, error=error, missing_parts=missing,
        )

    def add_paths(self, parts: list[Path]) -> ModelEntry:
        """List one new model (all parts of it) without rescanning every folder."""
        parts = [p.resolve() for p in parts]
        folder = next((f for f in self.folders() if parts[0].is_relative_to(f.resolve())), parts[0].parent)
        entry = self._entry_for(folder, parts, [])
        if entry is None:
            raise LibraryError(f"{parts[0].name} is a vision projector, not a model")
        with self._lock:
            self._entries = sorted([e for e in self._entries if e.id != entry.id] + [entry],
                                   key=lambda e: e.name.lower())
            self._save_manifest()
        return entry

    # ---- changing ------------------------------------------------------------------------
    def record_source(self, path: Path, source: ModelSource) -> None:
        """Remember where a file came from (the downloader and importer call this)."""
        with self._lock:
            record = self._records.setdefault(str(path.resolve()), {})
            record["source"] = {k: v for k, v in source.__dict__.items()}
            record["added_at"] = _now()
            self._save_manifest()

    def remove(self, key: str) -> ModelEntry:
        """Delete a model's files from disk and forget it. Returns the removed entry."""
        entry = self.get(key)
        for part in entry.parts:
            try:
                part.unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise LibraryError(f"Could not delete {part}: {exc.strerror or exc}") from exc
        self._prune_empty_dirs(entry.path.parent)
        with self._lock:
            self._records.pop(str(entry.path), None)
            self._entries = [e for e in self._entries if e.id != entry.id]
            self._save_manifest()
        return entry

    def add_folder(self, folder: str | Path) -> Path:
        path = Path(folder).expanduser().resolve()
        if not os.path.isdir(path):
            raise LibraryError(f"{path} is not a folder")
        for existing in self.folders():
            existing = existing.resolve()
            if path == existing or path.is_relative_to(existing):
                raise LibraryError(f"{path} is already scanned (inside {existing})")
        self.settings.settings.model_folders.append(str(path))
        self.settings.save()
        return path

    def remove_folder(self, folder: str | Path) -> Path:
        path = Path(folder).expanduser().resolve()
        kept = [p for p in self.settings.settings.model_folders if Path(p).resolve() != path]
        if len(kept) == len(self.settings.settings.model_folders):
            raise LibraryError(f"{path} is not one of your model folders")
        self.settings.settings.model_folders = kept
        self.settings.save()
        with self._lock:
            self._entries = [e for e in self._entries if e.folder.resolve() != path]
        return path

    def _prune_empty_dirs(self, start: Path) -> None:
        """Remove folders left empty under models/, never the models folder itself."""
        root = self.paths.models.resolve()
        current = start.resolve()
        while current != root and current.is_relative_to(root):
            try:
                current.rmdir()
            except OSError:
                return
            current = current.parent

    # ---- manifest ------------------------------------------------------------------------
    def _load_manifest(self) -> None:
        path = self.paths.library_manifest
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            records = raw["models"]
            if not isinstance(records, dict):
                raise ValueError("models is not an object")
        except FileNotFoundError:
            return
        except (OSError, ValueError, KeyError, TypeError) as exc:
            kept = move_aside(path) if path.exists() else None
            log.warning("library manifest unreadable (%s); kept as %s, rebuilding", exc, kept)
            return
        self._records = {str(k): v for k, v in records.items() if isinstance(v, dict)}
        # Show what the last run knew straight away; the next scan() checks it against the disk.
        self._entries = sorted(
            (e for k, v in self._records.items() if (e := _entry_from_record(k, v)) is not None),
            key=lambda e: e.name.lower(),
        )

    def _save_manifest(self) -> None:
        try:
            atomic_write_json(
                self.paths.library_manifest, {"version": MANIFEST_VERSION, "models": self._records}
            )
        except OSError as exc:
            # The library still works from memory; facts are re-read next start.
            log.error("could not save the library manifest: %s", exc)


def _entry_from_record(key: str, record: dict[str, Any]) -> ModelEntry | None:
    """An entry rebuilt from the manifest alone (no disk access), or None if the record is thin."""
    parts, folder, stamp = record.get("parts"), record.get("folder"), record.get("stamp")
    if not (isinstance(parts, list) and parts and isinstance(folder, str) and isinstance(stamp, list)):
        return None
    facts = _cached_facts(record.get("facts"))
    error = record.get("error")
    if facts is None and not isinstance(error, str):
        return None
    try:
        size = sum(int(s[0]) for s in stamp if int(s[0]) > 0)
        source = ModelSource.from_dict(record.get("source") or {})
        missing = [int(n) for n in record.get("missing") or []]
    except (TypeError, ValueError, IndexError):
        return None
    return ModelEntry(
        id=model_id(Path(key)), path=Path(key), parts=[Path(p) for p in parts], size_bytes=size,
        added_at=str(record.get("added_at") or ""), source=source, folder=Path(folder),
        facts=facts, error=error if isinstance(error, str) else None, missing_parts=missing,
    )


def _stamp(parts: list[Path]) -> list[list[int]]:
    stamps = []
    for part in parts:
        try:
            st = part.stat()
            stamps.append([st.st_size, st.st_mtime_ns])
        except OSError:
            stamps.append([-1, -1])
    return stamps


def _cached_facts(raw: Any) -> GGUFFacts | None:
    """Facts kept in the manifest, or None when the record is unusable (then the file is re-read)."""
    if not isinstance(raw, dict):
        return None
    try:
        return GGUFFacts.from_dict(raw)
    except TypeError:  # a hand-edited or damaged record lacks required fields
        return None


def _combined_facts(parts: list[Path]) -> GGUFFacts:
    """Facts of the first part, with parameters and completeness summed over every part."""
    facts = read_facts(parts[0])
    for part in parts[1:]:
        more = read_facts(part)
        facts.parameters += more.parameters
        facts.tensor_count += more.tensor_count
        facts.file_size += more.file_size
        if not more.data_complete:
            facts.data_complete = False
            facts.problems.extend(f"{part.name}: {p}" for p in more.problems)
    return facts


def _gguf_files(folder: Path) -> Iterator[Path]:
    """Every *.gguf under ``folder``, recursively, skipping hidden and tool folders."""
    if not folder.is_dir():
        log.info("model folder %s is missing; skipping it", folder)
        return
    for root, dirs, files in os.walk(folder, onerror=lambda e: log.warning("cannot scan: %s", e)):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
        for name in sorted(files):
            if name.lower().endswith(".gguf") and not name.startswith("."):
                yield Path(root, name).resolve()


def _group_files(files: Iterator[Path]) -> Iterator[tuple[list[Path], list[int]]]:
    """Yield (parts, missing part numbers): single files alone, split parts together."""
    splits: dict[tuple[Path, str, int], dict[int, Path]] = {}
    for path in files:
        split = parse_split_name(path.name)
        if split is None:
            yield [path], []
            continue
        splits.setdefault((path.parent, split.stem, split.count), {})[split.number] = path
    for (_parent, _stem, count), found in splits.items():
        numbers = sorted(found)
        missing = [n for n in range(1, count + 1) if n not in found]
        yield [found[n] for n in numbers], missing
