"""When the user deletes data in Settings → Privacy: pages let go of those files first, then start empty.

Without this the Chat page would go on writing to a deleted database (lost at
the next start, and on Windows the file could not be deleted at all), the
Library would list models that are gone, and the panels would show settings
and keys that no longer exist.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hearth.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def release(window: MainWindow, keys: set[str]) -> None:
    """Close what the pages hold open in the locations about to be deleted."""
    if "chats" in keys:
        window.chat.turns.abandon()  # a reply in progress is saved (partial) before its file goes
        window.chat.turns.open(None)
        window.chat.store.close()
    if "documents" in keys:
        window.embeddings.store.close()


def reload(window: MainWindow, keys: set[str]) -> None:
    """Reopen (empty) what was deleted and show every page's new state."""
    log.info("user data deleted (%s): reloading the pages", ", ".join(sorted(keys)))
    if "chats" in keys:
        window.chat.store.reopen()
        window.chat.conversations.reload()
    if "documents" in keys:
        window.embeddings.store.reopen()
        window.embeddings.documents.refresh()
        window.chat.documents.refresh()
    if "models" in keys:
        window.library.refresh()
    if "settings" in keys:
        settings_page = window.settings_page
        settings_page.token_box.refresh()
        settings_page.remote.reload()
        settings_page.serve.controller.forget_key()
        window.chat.models.refresh()


def connect(window: MainWindow) -> None:
    locations = window.settings_page.privacy.locations
    locations.releasing.connect(lambda keys: release(window, keys))
    locations.deleted.connect(lambda keys: reload(window, keys))
