"""The Library's badges: computed in the background whenever the entries change, shown in the
table and the details panel, and explained in the Model passport."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt

from hearth.core.badges import Badge, Level
from hearth.core.model_entry import ModelEntry
from hearth.ui.badges.loader import BadgeLoader
from hearth.ui.badges.passport import PassportDialog

if TYPE_CHECKING:
    from hearth.ui.library.page import LibraryPage


class LibraryChecks(QObject):
    """Feeds a page's model and details panel with badges and opens passports."""

    def __init__(self, page: LibraryPage) -> None:
        super().__init__(page)
        self.page = page
        self.loader = BadgeLoader(self)
        self.passport: PassportDialog | None = None
        self.loader.updated.connect(self._ready)

    def refresh(self, entries: Sequence[ModelEntry]) -> None:
        """Show what is known for ``entries`` at once and check the new or changed ones."""
        known = {e.id: found for e in entries if (found := self.loader.badges(e.id)) is not None}
        self.page.model.set_badges(known)
        self.loader.request(entries)

    def known(self) -> bool:
        """Whether every listed model's badges are computed."""
        model = self.page.model
        return not self.loader.busy and all(model.badges(e.id) is not None for e in model.entries())

    def risky(self, entries: Sequence[ModelEntry]) -> int:
        """How many loadable models carry a danger badge (the broken ones count as problems already)."""
        model = self.page.model
        return sum(1 for e in entries if e.usable and not e.problems
                   and any(b.level is Level.DANGER for b in model.badges(e.id) or []))

    def _ready(self, badges: dict[str, list[Badge]]) -> None:
        self.page.model.set_badges(badges)
        self.page.badges_changed()
        shown = self.page.details.entry
        if shown is not None and shown.id in badges:
            self.page.details.show_badges(badges[shown.id])

    def open_passport(self, entry: ModelEntry | None) -> PassportDialog | None:
        """Open (non-modally blocking) the passport of ``entry``; None when its badges are not known yet."""
        badges = self.page.model.badges(entry.id) if entry is not None else None
        if entry is None or badges is None:
            return None
        if self.passport is not None:
            self.passport.close()
        passport = PassportDialog(badges, entry=entry, parent=self.page.window())
        passport.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        passport.destroyed.connect(lambda *_: self._forget(passport))
        self.passport = passport
        passport.open()
        return passport

    def _forget(self, passport: PassportDialog) -> None:
        if self.passport is passport:
            self.passport = None

    def shutdown(self) -> None:
        self.loader.shutdown()
