"""Drawing one badge as a pill: a tinted rounded box, the level's icon and a short label.

Colour is never the only signal: each level has its own icon shape (a round ✓
for OK, a triangle ! for caution, an octagon ✕ for danger, a hollow ? when
nothing could be checked). The same painter serves the table delegate and the
pill widgets, so a badge looks alike wherever a model appears.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QPainter, QPalette, QPen

from hearth.core.badges import Badge, Level
from hearth.ui import icons, theme

LEVEL_COLORS = {Level.OK: theme.SUCCESS, Level.CAUTION: theme.WARNING, Level.DANGER: theme.ERROR,
                Level.UNKNOWN: "#868e96"}
LEVEL_ICONS = {Level.OK: "badge-ok", Level.CAUTION: "badge-caution", Level.DANGER: "badge-danger",
               Level.UNKNOWN: "badge-unknown"}

ICON = 14  # px
PAD_LEFT = 5
GAP = 4  # between icon and text
PAD_RIGHT = 8
SPACING = 5  # between pills
MAX_TEXT = 150  # a longer label is elided in a pill; its tooltip has it whole
TALLY_ICON = 12
TALLY_GAP = 7


_UNKNOWN_ON_DARK = "#adb5bd"  # the grey lifted so the hollow "?" stays visible on dark backgrounds


def level_icon(level: Level, dark: bool = False) -> QIcon:
    color = _UNKNOWN_ON_DARK if dark and level is Level.UNKNOWN else LEVEL_COLORS[level]
    return icons.icon(LEVEL_ICONS[level], color)


def pill_font(base: QFont) -> QFont:
    """Slightly smaller and bolder than the text around it."""
    font = QFont(base)
    if font.pointSizeF() > 0:
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
    font.setWeight(QFont.Weight.DemiBold)
    return font


def pill_height(metrics: QFontMetrics) -> int:
    return max(ICON + 4, metrics.height() + 4)


def pill_width(text: str, metrics: QFontMetrics) -> int:
    # +2: the integer advance rounds down a fractional width that elidedText() would then cut
    return PAD_LEFT + ICON + GAP + min(metrics.horizontalAdvance(text) + 2, MAX_TEXT) + PAD_RIGHT


def tally(badges: Sequence[Badge]) -> list[tuple[Level, int]]:
    """How many badges of each level, worst level first (what a "+N" pill shows)."""
    counts = Counter(b.level for b in badges)
    return sorted(counts.items(), key=lambda item: -item[0].severity)


def tally_width(badges: Sequence[Badge], metrics: QFontMetrics) -> int:
    """A "+N" pill: a plus, then the icon and count of each level among ``badges``."""
    parts = tally(badges)
    width = PAD_RIGHT + metrics.horizontalAdvance("+") + GAP
    width += sum(TALLY_ICON + 2 + metrics.horizontalAdvance(str(n)) for _level, n in parts)
    return width + TALLY_GAP * (len(parts) - 1) + PAD_RIGHT


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def _mix(color: QColor, base: QColor, share: float) -> QColor:
    """``share`` of ``color`` over ``base`` (an opaque tint that prints the same on any backdrop)."""
    return QColor.fromRgbF(
        base.redF() + (color.redF() - base.redF()) * share,
        base.greenF() + (color.greenF() - base.greenF()) * share,
        base.blueF() + (color.blueF() - base.blueF()) * share,
    )


def _outline(painter: QPainter, rect: QRect, fill: QColor, edge: QColor) -> None:
    box = QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5)
    painter.setPen(QPen(edge, 1.0))
    painter.setBrush(fill)
    radius = box.height() / 2
    painter.drawRoundedRect(box, radius, radius)


def paint_pill(painter: QPainter, rect: QRect, text: str, palette: QPalette, level: Level) -> None:
    """One badge filling ``rect``: a box tinted with the level's colour, its icon and ``text``."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    base = palette.color(QPalette.ColorRole.Base)
    dark = is_dark(palette)
    accent = QColor(LEVEL_COLORS[level])
    _outline(painter, rect, _mix(accent, base, 0.24 if dark else 0.13), _mix(accent, base, 0.75 if dark else 0.6))
    x = rect.left() + PAD_LEFT
    level_icon(level, dark).paint(painter, QRect(x, rect.top() + (rect.height() - ICON) // 2, ICON, ICON))
    x += ICON + GAP
    text_rect = QRect(x, rect.top(), rect.right() - PAD_RIGHT - x + 1, rect.height())
    painter.setPen(palette.color(QPalette.ColorRole.Text))
    shown = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, text_rect.width())
    painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), shown)
    painter.restore()


def paint_tally(painter: QPainter, rect: QRect, badges: Sequence[Badge], palette: QPalette) -> None:
    """The "+N" pill: a neutral box with "+" and, per level, its icon and how many badges have it."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _outline(painter, rect, palette.color(QPalette.ColorRole.AlternateBase), palette.color(QPalette.ColorRole.Mid))
    metrics = painter.fontMetrics()
    align = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    painter.setPen(palette.color(QPalette.ColorRole.Text))
    x = rect.left() + PAD_RIGHT
    painter.drawText(QRect(x, rect.top(), rect.width(), rect.height()), align, "+")
    x += metrics.horizontalAdvance("+") + GAP
    dark = is_dark(palette)
    for level, count in tally(badges):
        level_icon(level, dark).paint(painter, QRect(x, rect.top() + (rect.height() - TALLY_ICON) // 2,
                                               TALLY_ICON, TALLY_ICON))
        x += TALLY_ICON + 2
        painter.drawText(QRect(x, rect.top(), rect.right() - x, rect.height()), align, str(count))
        x += metrics.horizontalAdvance(str(count)) + TALLY_GAP
    painter.restore()


@dataclass(frozen=True)
class PillSlot:
    """Where one pill goes in a row; ``badge`` None is the "+N" pill standing for ``hidden``."""

    rect: QRect
    text: str
    badge: Badge | None
    hidden: tuple[Badge, ...] = field(default=())


def layout_pills(badges: Sequence[Badge], area: QRect, metrics: QFontMetrics, max_pills: int = 4) -> list[PillSlot]:
    """As many pills (in the given order, at most ``max_pills``) as fit in ``area``, then "+N".

    At least one pill is always shown, elided to the width there is.
    """
    if not badges:
        return []
    height = pill_height(metrics)
    top = area.top() + (area.height() - height) // 2
    widths = [pill_width(b.label, metrics) for b in badges]
    shown = min(len(badges), max_pills)
    while shown > 1:
        rest = len(badges) - shown
        needed = sum(widths[:shown]) + SPACING * (shown - 1)
        if rest:
            needed += SPACING + tally_width(badges[shown:], metrics)
        if needed <= area.width():
            break
        shown -= 1
    rest = len(badges) - shown
    more = tally_width(badges[shown:], metrics) + SPACING if rest else 0
    slots: list[PillSlot] = []
    x = area.left()
    for i in range(shown):
        width = widths[i] if i < shown - 1 else min(widths[i], max(area.right() + 1 - x - more, ICON + 12))
        slots.append(PillSlot(QRect(x, top, width, height), badges[i].label, badges[i]))
        x += width + SPACING
    if rest:
        text = f"+{rest}"
        slots.append(PillSlot(QRect(x, top, tally_width(badges[shown:], metrics), height), text, None,
                              tuple(badges[shown:])))
    return slots


def row_width(badges: Sequence[Badge], metrics: QFontMetrics, max_pills: int = 4) -> int:
    """The width that shows the first ``max_pills`` pills whole (plus "+N" when there are more)."""
    shown = list(badges[:max_pills])
    width = sum(pill_width(b.label, metrics) for b in shown) + SPACING * max(0, len(shown) - 1)
    if len(badges) > max_pills:
        width += SPACING + tally_width(badges[max_pills:], metrics)
    return width
