"""A small on-disk cache of Hub answers (search pages, repository details).

Each answer is one JSON file under ``<cache>/hub/<kind>/`` named by a hash of its
key. A fresh entry (younger than the TTL) saves a request while browsing; an
older one is still served, marked as cached, when Hearth is offline or the Hub
cannot be reached. Broken files are ignored (it is only a cache).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from hearth.core.fileio import atomic_write_json

log = logging.getLogger(__name__)

#: Answers younger than this are served without asking the Hub again.
DEFAULT_TTL_S = 15 * 60
#: Answers older than this are not served even offline (and are pruned).
MAX_AGE_S = 30 * 24 * 3600


@dataclass
class CacheHit:
    data: Any
    stored_at: float  # epoch seconds

    @property
    def age(self) -> float:
        return time.time() - self.stored_at

    @property
    def stored_at_iso(self) -> str:
        return datetime.fromtimestamp(self.stored_at, timezone.utc).isoformat(timespec="seconds")


class HubCache:
    """Get and put JSON-able answers by (kind, key). Safe to use from several threads."""

    def __init__(self, root: Path, ttl_s: float = DEFAULT_TTL_S) -> None:
        self.root = root
        self.ttl_s = ttl_s

    def _file(self, kind: str, key: str) -> Path:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        return self.root / kind / f"{digest}.json"

    def get(self, kind: str, key: str, *, max_age: float = MAX_AGE_S) -> CacheHit | None:
        path = self._file(kind, key)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("key") != key:
                return None
            hit = CacheHit(raw["data"], float(raw["stored_at"]))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.debug("ignoring unreadable cache file %s: %s", path, exc)
            return None
        return hit if hit.age <= max_age else None

    def fresh(self, kind: str, key: str) -> CacheHit | None:
        """An entry young enough to use instead of asking the Hub."""
        return self.get(kind, key, max_age=self.ttl_s)

    def put(self, kind: str, key: str, data: Any) -> None:
        try:
            atomic_write_json(self._file(kind, key), {"key": key, "stored_at": time.time(), "data": data})
        except OSError as exc:  # a full disk must not break browsing
            log.warning("could not write the hub cache: %s", exc)

    def clear(self) -> None:
        for path in self.root.glob("*/*.json"):
            path.unlink(missing_ok=True)
