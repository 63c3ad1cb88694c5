"""Where Hearth keeps the user's data, how big each place is, and deleting it on request.

Each :class:`DataLocation` names exactly the files and folders it covers, so a
confirmation can list them. :func:`delete_all_data` also forgets the secrets
Hearth stored in the OS keyring (the Hugging Face token and remote engines'
keys). Callers stop running engines first: they hold model files open.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path


from hearth.core import secrets
from hearth.core.errors import HearthError
from hearth.core.paths import Paths
from hearth.core.settings import Settings, SettingsStore

log = logging.getLogger(__name__)

#: Remote engines' keys live under this keyring user prefix (see hearth.engine.remote).
_SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")


class WipeError(HearthError):
    """Some files could not be deleted."""


@dataclass(frozen=True)
class DataLocation:
    key: str
    label: str
    description: str
    targets: tuple[Path, ...]  # the files or folders Delete removes, and nothing else

    @property
    def folder(self) -> Path:
        """The folder to open for this location (a file's parent)."""
        first = self.targets[0]
        return first if first.suffix == "" else first.parent


@dataclass
class WipeReport:
    deleted: list[Path] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)
    freed_bytes: int = 0
    secrets_removed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        from hearth.core.units import human_bytes

        text = f"Deleted {len(self.deleted)} item(s), {human_bytes(self.freed_bytes)} freed"
        if self.secrets_removed:
            count = len(self.secrets_removed)
            text += f"; removed {count} keyring entr{'y' if count == 1 else 'ies'}"
        if self.failed:
            text += f"; {len(self.failed)} could not be deleted"
        return text + "."


def _sqlite(path: Path) -> tuple[Path, ...]:
    return tuple(path.with_name(path.name + suffix) for suffix in _SQLITE_SIDE_FILES)


def data_locations(paths: Paths) -> list[DataLocation]:
    """Every place Hearth writes, in the order the Privacy page lists them."""
    return [
        DataLocation("models", "Models", "Models Hearth downloaded or copied in", (paths.models,)),
        DataLocation("chats", "Chats", "Your conversations (chats.sqlite3)", _sqlite(paths.data / "chats.sqlite3")),
        DataLocation("documents", "Document indexes", "Indexed documents and their vectors (documents.sqlite3)",
                     _sqlite(paths.data / "documents.sqlite3")),
        DataLocation("settings", "Settings", "Preferences and the list of model folders", (paths.config,)),
        DataLocation("logs", "Logs", "Hearth's log, engine logs and the network log", (paths.logs,)),
        DataLocation("cache", "Caches", "Saved Hub search results and model pages", (paths.cache,)),
        DataLocation("downloads", "Downloads in progress", "Partial files of unfinished downloads",
                     (paths.data / "downloads",)),
        DataLocation("quarantine", "Quarantine", "Downloads that failed their checksum, kept for inspection",
                     (paths.data / "quarantine",)),
    ]


def location(paths: Paths, key: str) -> DataLocation:
    for found in data_locations(paths):
        if found.key == key:
            return found
    raise KeyError(key)


def size_of(targets: Iterable[Path], should_stop: Callable[[], bool] = lambda: False) -> int:
    """Bytes on disk under ``targets`` (links are not followed); missing ones count 0."""
    total = 0
    for target in targets:
        try:
            if target.is_symlink() or target.is_file():
                total += target.lstat().st_size
                continue
            for root, _dirs, files in os.walk(target):
                if should_stop():
                    return total
                for name in files:
                    try:
                        total += os.lstat(os.path.join(root, name)).st_size
                    except OSError:
                        pass
        except OSError:
            continue
    return total


def existing(targets: Iterable[Path]) -> list[Path]:
    return [t for t in targets if t.exists() or t.is_symlink()]


def _remove(target: Path, report: WipeReport) -> None:
    size = size_of([target])
    try:
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            target.unlink()
    except FileNotFoundError:
        return
    except OSError as exc:
        report.failed.append((target, exc.strerror or str(exc)))
        log.warning("could not delete %s: %s", target, exc)
        return
    report.deleted.append(target)
    report.freed_bytes += size


def delete_location(loc: DataLocation, report: WipeReport | None = None) -> WipeReport:
    """Delete exactly ``loc.targets``. Failures are listed in the report, not raised."""
    report = report or WipeReport()
    for target in existing(loc.targets):
        _remove(target, report)
    log.info("deleted %s: %s", loc.key, report.summary())
    return report


def remove_keyring_entries(remote_names: Iterable[str]) -> list[str]:
    """Forget the Hub token, the local API server's key and each remote engine's key; returns names only."""
    removed: list[str] = []
    for user in (secrets.USERNAME, secrets.SERVE_KEY, *map(secrets.remote_key_user, remote_names)):
        try:
            if secrets.delete_secret(user):
                removed.append(user)
        except HearthError as exc:
            log.warning("%s", exc)
    return removed


def delete_all_data(paths: Paths, settings: SettingsStore) -> WipeReport:
    """Every location above plus the keyring entries. The folders are emptied, then recreated empty."""
    names = [str(raw.get("name")) for raw in settings.settings.remote_engines if raw.get("name")]
    report = WipeReport(secrets_removed=remove_keyring_entries(names))
    for loc in data_locations(paths):
        delete_location(loc, report)
    for root in (paths.data, paths.config, paths.cache, paths.logs):
        for leftover in existing(root.iterdir()) if root.is_dir() else []:
            _remove(leftover, report)  # anything another Hearth version left behind
    paths.ensure()
    settings.settings = Settings()  # what is on screen must not be saved back
    if report.failed:
        first, why = report.failed[0]
        log.warning("delete all: %s (first: %s: %s)", report.summary(), first, why)
    return report
