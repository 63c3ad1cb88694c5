"""Which files a collection holds: its listed files plus everything under its folders.

Hidden files and folders (``.git``, ``.venv``...) and tool caches are left out
unless the user listed them by name; symbolic links to folders are not
followed, so a link loop cannot hang an index run.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_SKIP_DIRS = frozenset({"__pycache__", "node_modules", "site-packages"})


@dataclass(frozen=True)
class FoundFile:
    path: str
    size: int
    mtime_ns: int


def walk_sources(sources: Iterable[str]) -> tuple[list[FoundFile], list[str]]:
    """``(files sorted by path, sources that do not exist)``."""
    found: dict[str, FoundFile] = {}
    missing: list[str] = []
    for source in sources:
        root = Path(source)
        if root.is_file():
            _add(found, str(root))
        elif root.is_dir():
            for folder, dirs, files in os.walk(root, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
                for name in files:
                    if not name.startswith("."):
                        _add(found, os.path.join(folder, name))
        else:
            missing.append(source)
    return sorted(found.values(), key=lambda f: f.path), missing


def _add(found: dict[str, FoundFile], path: str) -> None:
    try:
        stat = os.stat(path)
    except OSError:  # vanished or unreadable since the listing: the next run will see it
        return
    if os.path.isfile(path):
        found[path] = FoundFile(path, stat.st_size, stat.st_mtime_ns)


def sha256_file(path: str, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()
