"""Every folder Hearth writes to, resolved in one place.

Order of precedence: an explicit ``data_dir`` (the ``--data-dir`` flag), then the
``HEARTH_HOME`` environment variable, then the platform's usual folders from
platformdirs. With a single home folder everything (data, config, cache, logs)
lives under it, which is what tests and portable installs want.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from hearth import APP_ID
from hearth.core.errors import HearthError

HOME_ENV = "HEARTH_HOME"


@dataclass(frozen=True)
class Paths:
    """The four root folders and the well-known files inside them."""

    data: Path
    config: Path
    cache: Path
    logs: Path

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None = None) -> Paths:
        home = data_dir if data_dir is not None else os.environ.get(HOME_ENV) or None
        if home is not None:
            root = Path(home).expanduser().resolve()
            return cls(root / "data", root / "config", root / "cache", root / "logs")
        dirs = platformdirs.PlatformDirs(APP_ID, appauthor=False)
        return cls(
            Path(dirs.user_data_dir),
            Path(dirs.user_config_dir),
            Path(dirs.user_cache_dir),
            Path(dirs.user_log_dir),
        )

    @property
    def models(self) -> Path:
        """Where downloaded and imported models are stored: models/<publisher>/<repo>/<file>."""
        return self.data / "models"

    @property
    def library_manifest(self) -> Path:
        return self.data / "library.json"

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.json"

    @property
    def log_file(self) -> Path:
        return self.logs / "hearth.log"

    def ensure(self) -> Paths:
        """Create the root folders (and models/) if missing; returns self for chaining."""
        for folder in (self.data, self.config, self.cache, self.logs, self.models):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise HearthError(f"Cannot create the folder {folder}: {exc.strerror or exc}") from exc
        return self

    def as_dict(self) -> dict[str, str]:
        return {
            "data": str(self.data),
            "config": str(self.config),
            "cache": str(self.cache),
            "logs": str(self.logs),
            "models": str(self.models),
        }
