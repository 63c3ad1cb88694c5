"""The core objects an app run needs, opened once and shared by the GUI and the CLI."""

from __future__ import annotations

import logging
import logging.handlers
import os
from dataclasses import dataclass
from pathlib import Path

from hearth.core.library import Library
from hearth.core.paths import Paths
from hearth.core.settings import SettingsStore

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


@dataclass
class Services:
    paths: Paths
    settings: SettingsStore
    library: Library

    @classmethod
    def open(cls, data_dir: str | os.PathLike[str] | None = None) -> Services:
        """Resolve folders, load settings (recovering from a broken file) and the library."""
        paths = Paths.resolve(data_dir).ensure()
        settings = SettingsStore(paths.settings_file)
        settings.load()
        return cls(paths, settings, Library(paths, settings))


def setup_logging(log_file: Path, level: int = logging.INFO) -> None:
    """Log to a rotating file in the logs folder (the user's own machine only)."""
    root = logging.getLogger()
    if any(getattr(h, "baseFilename", None) == str(log_file) for h in root.handlers):
        return
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
