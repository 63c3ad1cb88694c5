"""Window geometry and other widget state kept in ``settings.ui_state`` as base64 strings."""

from __future__ import annotations

import base64
import binascii
import logging

from hearth.core.errors import HearthError
from hearth.core.settings import SettingsStore

log = logging.getLogger(__name__)

GEOMETRY = "window.geometry"
PAGE = "window.page"
LIBRARY_SPLITTER = "library.splitter"
LIBRARY_HEADER = "library.header"


def encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def decode(text: str | None) -> bytes | None:
    """The bytes behind a stored string, or None when missing or damaged."""
    if not text:
        return None
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        log.warning("ignoring a damaged ui_state value")
        return None


def save(store: SettingsStore, values: dict[str, str]) -> bool:
    """Merge ``values`` into ui_state and write the settings; False (logged) if that failed."""
    store.settings.ui_state.update(values)
    try:
        store.save()
    except HearthError as exc:
        log.error("could not save the window state: %s", exc)
        return False
    return True
