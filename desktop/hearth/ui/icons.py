"""Hearth's stroke icons: SVGs in ``hearth/resources/icons`` recoloured to the current palette.

The SVGs draw with ``currentColor``; :func:`icon` replaces it with the text
colour (muted when disabled, the accent when selected) and renders crisp
pixmaps at the usual sizes. Widgets call it again when the palette changes.
"""

from __future__ import annotations

import logging
from functools import cache, lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

log = logging.getLogger(__name__)

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
_SIZES = (16, 20, 24, 32, 48, 64)


def icon_path(name: str) -> Path:
    return ICON_DIR / f"{name}.svg"


@cache
def _svg_text(name: str) -> str:
    try:
        return icon_path(name).read_text(encoding="utf-8")
    except OSError:
        log.error("icon %s is missing from %s", name, ICON_DIR)
        return '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"/>'


def _render(name: str, color: str, size: int, ratio: float) -> QPixmap:
    svg = _svg_text(name).replace("currentColor", color)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    pixels = max(1, round(size * ratio))
    pixmap = QPixmap(pixels, pixels)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, pixels, pixels))
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


@lru_cache(maxsize=512)
def _build(name: str, normal: str, disabled: str, selected: str, ratio: float) -> QIcon:
    result = QIcon()
    for size in _SIZES:
        result.addPixmap(_render(name, normal, size, ratio), QIcon.Mode.Normal)
        result.addPixmap(_render(name, normal, size, ratio), QIcon.Mode.Active)
        result.addPixmap(_render(name, disabled, size, ratio), QIcon.Mode.Disabled)
        result.addPixmap(_render(name, selected, size, ratio), QIcon.Mode.Selected)
    return result


def _ratio() -> float:
    app = QGuiApplication.instance()
    screen = QGuiApplication.primaryScreen() if app is not None else None
    return float(screen.devicePixelRatio()) if screen is not None else 1.0


def icon(name: str, color: str | QColor | None = None) -> QIcon:
    """The icon ``name`` in ``color``, or in the palette's text colours when None.

    Without a QGuiApplication (a model used headless) there is nothing to draw on: an empty icon.
    """
    if QGuiApplication.instance() is None:
        return QIcon()
    palette = QGuiApplication.palette()
    if color is None:
        normal = palette.color(QPalette.ColorRole.WindowText).name()
        selected = palette.color(QPalette.ColorRole.Highlight).name()
    else:
        normal = selected = QColor(color).name()
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText).name()
    return _build(name, normal, disabled, selected, _ratio())


def app_icon() -> QIcon:
    """The full-colour application icon (drawn as is, not recoloured)."""
    result = QIcon()
    for size in (*_SIZES, 128, 256):
        result.addPixmap(_render("hearth", "currentColor", size, 1.0))
    return result


def available() -> list[str]:
    """Names of every icon shipped (handy for tests and a contact sheet)."""
    return sorted(p.stem for p in ICON_DIR.glob("*.svg"))
