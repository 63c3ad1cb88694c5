"""License and risk badges wherever a model appears: table cells, detail panes, the passport, the load gate.

The badges themselves come from :mod:`hearth.core.risk`; this package only shows them:

* :class:`BadgeDelegate` paints :data:`BADGES_ROLE` (a ``list[Badge]``) as pills in a table cell;
* :class:`BadgeRow` shows them as wrapping pill widgets in a detail pane;
* :class:`PassportDialog` explains every badge, the license and the file;
* :func:`confirm_load` stops a model with a danger badge until the user overrides it;
* :class:`BadgeLoader` computes library entries' badges off the UI thread, cached per file.
"""

from hearth.ui.badges.delegate import BADGES_ROLE, BadgeDelegate
from hearth.ui.badges.gate import blocking_badges, confirm_load
from hearth.ui.badges.loader import BadgeLoader
from hearth.ui.badges.passport import PassportDialog
from hearth.ui.badges.row import BadgePill, BadgeRow

__all__ = ["BADGES_ROLE", "BadgeDelegate", "BadgeLoader", "BadgePill", "BadgeRow", "PassportDialog",
           "blocking_badges", "confirm_load"]
