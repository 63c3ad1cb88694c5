"""Badges as widgets for detail panes: one :class:`BadgePill` per badge in a wrapping :class:`BadgeRow`."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from hearth.core.badges import Badge
from hearth.ui.badges.flow import FlowLayout
from hearth.ui.badges.pill import SPACING, paint_pill, paint_tally, pill_font, pill_height, pill_width, tally_width
from hearth.ui.badges.texts import LEVEL_WORDS, badge_line, badge_tooltip, badges_tooltip, check_title, worst_first


class BadgePill(QWidget):
    """One badge (or, with ``badge`` None, a "+N" pill standing for ``hidden``); hover for the evidence."""

    def __init__(self, badge: Badge | None, parent: QWidget | None = None, *, text: str | None = None,
                 hidden: Sequence[Badge] = ()) -> None:
        super().__init__(parent)
        self.badge = badge
        self.hidden = list(hidden)
        self.text = text if text is not None else (badge.label if badge else f"+{len(self.hidden)}")
        self.setFont(pill_font(self.font()))
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        if badge is not None:
            self.setToolTip(badge_tooltip(badge))
            self.setAccessibleName(badge_line(badge))
            self.setAccessibleDescription(badge.evidence)
        else:
            self.setToolTip(badges_tooltip(self.hidden, f"{len(self.hidden)} more"))
            self.setAccessibleName(f"{len(self.hidden)} more checks: "
                                   + "; ".join(f"{LEVEL_WORDS[b.level]}: {check_title(b.key)}" for b in self.hidden))

    def sizeHint(self) -> QSize:
        metrics = QFontMetrics(self.font())
        width = pill_width(self.text, metrics) if self.badge is not None else tally_width(self.hidden, metrics)
        return QSize(width, pill_height(metrics))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setFont(self.font())
        if self.badge is not None:
            paint_pill(painter, self.rect(), self.text, self.palette(), self.badge.level)
        else:
            paint_tally(painter, self.rect(), self.hidden, self.palette())
        painter.end()


class BadgeRow(QWidget):
    """Pills that wrap onto more lines when the row is narrow; worst first.

    ``max_pills`` None shows every badge; a number folds the rest into a "+N" pill.
    Call :meth:`set_badges` with None while the badges are still being computed.
    """

    def __init__(self, parent: QWidget | None = None, *, max_pills: int | None = None,
                 pending_text: str = "Checking…") -> None:
        super().__init__(parent)
        self.max_pills = max_pills
        self.pending_text = pending_text
        self._layout = FlowLayout(self, spacing=SPACING)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._badges: list[Badge] | None = None
        self.pills: list[BadgePill] = []
        self.set_badges(None)

    def badges(self) -> list[Badge] | None:
        return None if self._badges is None else list(self._badges)

    def set_badges(self, badges: Sequence[Badge] | None) -> None:
        ordered = None if badges is None else worst_first(badges)
        if ordered is not None and ordered == self._badges and self.pills:
            return
        self._badges = ordered
        while (item := self._layout.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.hide()  # at once: deleteLater waits for the event loop
                widget.deleteLater()
        self.pills = []
        if not ordered:
            note = QLabel(self.pending_text if ordered is None else "No checks could be made.", self)
            note.setProperty("role", "muted")
            self._layout.addWidget(note)
            self.setAccessibleName(note.text())
            return
        limit = len(ordered) if self.max_pills is None else self.max_pills
        for badge in ordered[:limit]:
            self.pills.append(BadgePill(badge, self))
        if len(ordered) > limit:
            self.pills.append(BadgePill(None, self, hidden=ordered[limit:]))
        for pill in self.pills:
            self._layout.addWidget(pill)
        self.setAccessibleName("Checks: " + "; ".join(badge_line(b) for b in ordered))
