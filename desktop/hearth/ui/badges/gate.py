"""The load gate: a model with a danger badge is only loaded after an explicit, informed "yes".

The Chat and Embeddings pages call :func:`confirm_load` before asking the engine
to load a model. Without a danger badge it answers True at once; with one it
asks through :meth:`hearth.ui.dialogs.Dialogs.confirm_risky_load`, whose
default button is Cancel, and answers what the user chose.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from hearth.core.badges import Badge, Level
from hearth.core.model_entry import ModelEntry

if TYPE_CHECKING:
    from hearth.ui.dialogs import Dialogs

log = logging.getLogger(__name__)


def blocking_badges(badges: Sequence[Badge]) -> list[Badge]:
    """The badges that stop a load until the user overrides them: every danger badge."""
    return [b for b in badges if b.level is Level.DANGER]


def confirm_load(parent: QWidget | None, entry: ModelEntry | str, badges: Sequence[Badge] | None,
                 dialogs: Dialogs) -> bool:
    """True when ``entry`` may be loaded: no danger badge, or the user chose "Load anyway".

    ``badges`` None means they are not known yet: the caller should compute them first
    (e.g. with :func:`hearth.ui.badges.compute.compute_badges` in a worker); loading
    without them is allowed, as nothing is known against it, but logged.
    """
    name = entry if isinstance(entry, str) else entry.name
    if badges is None:
        log.warning("loading %s before its badges were computed", name)
        return True
    dangers = blocking_badges(badges)
    if not dangers:
        return True
    allowed = dialogs.confirm_risky_load(parent, name, dangers)
    keys = ", ".join(b.key for b in dangers)
    if allowed:
        log.warning("the user chose to load %s despite danger badges (%s)", name, keys)
    else:
        log.info("loading %s was cancelled because of danger badges (%s)", name, keys)
    return bool(allowed)
