"""The one typed, versioned settings object and the JSON file that keeps it.

A settings file that cannot be read or parsed is moved aside (kept for the
user, never deleted), defaults are used, and :attr:`SettingsStore.notice` holds
one sentence telling the user so. Because the broken file is gone from its
place afterwards, the notice appears once.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from types import UnionType
from typing import Any, get_args, get_origin, get_type_hints

from hearth.core.errors import SettingsError
from hearth.core.fileio import atomic_write_json, move_aside

log = logging.getLogger(__name__)

SETTINGS_VERSION = 1
THEMES = ("system", "light", "dark")
DEFAULT_SERVE_PORT = 8642
MIN_PORT, MAX_PORT = 1024, 65535  # below 1024 needs administrator rights


@dataclass
class Settings:
    """Everything the user can set. Add a field with a default to extend it."""

    version: int = SETTINGS_VERSION
    #: Extra folders scanned (recursively) for .gguf files, besides Hearth's own.
    model_folders: list[str] = field(default_factory=list)
    #: When on, Hearth makes no network request at all.
    offline: bool = False
    #: "system" follows the desktop's light/dark choice.
    theme: str = "system"
    #: How many Hub downloads run at once (the rest wait in the queue).
    download_concurrency: int = 2
    #: Opaque UI state such as window geometry (base64 strings), keyed by name.
    ui_state: dict[str, str] = field(default_factory=dict)
    #: Remote OpenAI-compatible engines, each {"name": ..., "base_url": ..., "models": [...], "key": "keyring"};
    #: "models" is the list last seen there (so the chat picker needs no network at start) and "key" notes
    #: that a key was stored (so listing them needs no keyring call). The keys themselves live in the keyring.
    remote_engines: list[dict[str, str | list[str]]] = field(default_factory=list)
    #: The local OpenAI-compatible API server (Settings → Serve); its key lives in the keyring.
    serve_port: int = DEFAULT_SERVE_PORT
    serve_require_key: bool = True
    #: Listen on every network interface, not only this computer (never while offline).
    serve_lan: bool = False

    def validate(self) -> None:
        if self.theme not in THEMES:
            raise ValueError(f"theme must be one of {', '.join(THEMES)}")
        if not MIN_PORT <= self.serve_port <= MAX_PORT:
            raise ValueError(f"serve_port must be between {MIN_PORT} and {MAX_PORT}")


def _matches(value: Any, annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin is UnionType:
        return any(_matches(value, option) for option in get_args(annotation))
    if origin is list:
        (item,) = get_args(annotation)
        return isinstance(value, list) and all(_matches(v, item) for v in value)
    if origin is dict:
        key, item = get_args(annotation)
        return isinstance(value, dict) and all(
            _matches(k, key) and _matches(v, item) for k, v in value.items()
        )
    if annotation is bool:
        return isinstance(value, bool)
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, annotation)


def _from_dict(raw: dict[str, Any]) -> Settings:
    """Build Settings from parsed JSON, keeping defaults for fields of the wrong type."""
    hints = get_type_hints(Settings)
    values: dict[str, Any] = {}
    for f in fields(Settings):
        if f.name not in raw:
            continue
        if _matches(raw[f.name], hints[f.name]):
            values[f.name] = raw[f.name]
        else:
            log.warning("settings: ignoring %s of the wrong type, using the default", f.name)
    settings = Settings(**values)
    try:
        settings.validate()
    except ValueError as exc:
        log.warning("settings: %s; using the default", exc)
        if settings.theme not in THEMES:
            settings.theme = "system"
        if not MIN_PORT <= settings.serve_port <= MAX_PORT:
            settings.serve_port = DEFAULT_SERVE_PORT
    settings.version = SETTINGS_VERSION
    return settings


class SettingsStore:
    """Loads and saves :class:`Settings` at one path."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.notice: str | None = None
        self.settings = Settings()

    def load(self) -> Settings:
        """Read the file into :attr:`settings` (defaults if missing or broken) and return it."""
        self.notice = None
        self.settings = self._read()
        return self.settings

    def _read(self) -> Settings:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Settings()
        except (OSError, UnicodeDecodeError) as exc:
            return self._recover(f"could not be read ({exc.__class__.__name__})")
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            return self._recover(f"is not valid JSON (line {exc.lineno})")
        if not isinstance(raw, dict):
            return self._recover("does not hold a settings object")
        return _from_dict(raw)

    def save(self, settings: Settings | None = None) -> None:
        """Write ``settings`` (by default the loaded ones) atomically."""
        if settings is not None:
            self.settings = settings
        settings = self.settings
        settings.validate()
        try:
            atomic_write_json(self.path, asdict(settings))
        except OSError as exc:
            raise SettingsError(f"Could not save settings to {self.path}: {exc.strerror or exc}") from exc

    def _recover(self, problem: str) -> Settings:
        try:
            kept = move_aside(self.path)
        except OSError as exc:
            log.error("settings file %s %s and could not be moved aside: %s", self.path, problem, exc)
            self.notice = f"Your settings file {problem}; Hearth is using default settings for now."
        else:
            log.warning("settings file %s %s; kept as %s", self.path, problem, kept)
            self.notice = (
                f"Your settings file {problem}. Hearth kept it as {kept.name} "
                "and is using default settings."
            )
        return Settings()
