"""Read-only data files shipped inside the package (``hearth/resources/*.json``).

They are loaded through :mod:`importlib.resources`, so the same call works from a
source checkout, an installed wheel and a frozen (PyInstaller) bundle. Each file
is parsed once and cached; callers must treat the returned objects as read-only.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from hearth.core.errors import HearthError

_PACKAGE = "hearth"
_FOLDER = "resources"


@cache
def load_json(name: str) -> Any:
    """The parsed contents of ``hearth/resources/<name>``; raises HearthError if it is missing."""
    try:
        text = resources.files(_PACKAGE).joinpath(_FOLDER, name).read_text(encoding="utf-8")
        return json.loads(text)
    except (OSError, ValueError) as exc:
        # A broken install, not a user mistake: say which file so it can be reinstalled.
        raise HearthError(f"Hearth's data file {name} is missing or damaged ({exc}); reinstall Hearth") from exc
