"""Light and dark looks: Fusion style, one accent colour, a palette and a small stylesheet.

"system" follows the desktop's colour scheme (``QStyleHints.colorScheme``) and
switches live when the desktop does; "light" and "dark" pin the look.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

ACCENT = "#d9480f"
WARNING = "#e8a317"
ERROR = "#e03131"
SUCCESS = "#2f9e44"
INFO = "#1c7ed6"


@dataclass(frozen=True)
class Colors:
    """The handful of colours every widget and the stylesheet draw with."""

    dark: bool
    window: str
    base: str
    alt_base: str
    sidebar: str
    text: str
    muted: str
    disabled: str
    border: str
    hover: str
    button: str
    tint: str  # the accent mixed into the background: selections, focus fills
    strong_border: str  # check box and radio outlines
    accent: str = ACCENT


LIGHT = Colors(
    dark=False, window="#f6f5f3", base="#ffffff", alt_base="#faf9f7", sidebar="#efedea",
    text="#1f1d1b", muted="#6e6863", disabled="#aaa49f", border="#dcd8d3", hover="#e7e4e0",
    button="#ffffff", tint="#fbe3d6", strong_border="#a9a29b",
)
DARK = Colors(
    dark=True, window="#1d1c1b", base="#252322", alt_base="#2a2827", sidebar="#171615",
    text="#ecebe9", muted="#a29c96", disabled="#645f5a", border="#3b3835", hover="#33302e",
    button="#2d2b29", tint="#4a2a1c", strong_border="#6f6964",
)


def palette_for(colors: Colors) -> QPalette:
    """A complete QPalette for Fusion built from ``colors``."""
    p = QPalette()
    text, window, base = QColor(colors.text), QColor(colors.window), QColor(colors.base)
    button = QColor(colors.button)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        p.setColor(group, QPalette.ColorRole.Window, window)
        p.setColor(group, QPalette.ColorRole.WindowText, text)
        p.setColor(group, QPalette.ColorRole.Base, base)
        p.setColor(group, QPalette.ColorRole.AlternateBase, QColor(colors.alt_base))
        p.setColor(group, QPalette.ColorRole.Text, text)
        p.setColor(group, QPalette.ColorRole.Button, button)
        p.setColor(group, QPalette.ColorRole.ButtonText, text)
        p.setColor(group, QPalette.ColorRole.BrightText, QColor("#ffffff"))
        p.setColor(group, QPalette.ColorRole.PlaceholderText, QColor(colors.muted))
        p.setColor(group, QPalette.ColorRole.Highlight, QColor(colors.accent))
        p.setColor(group, QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
        p.setColor(group, QPalette.ColorRole.Link, QColor(colors.accent))
        p.setColor(group, QPalette.ColorRole.LinkVisited, QColor(colors.accent))
        p.setColor(group, QPalette.ColorRole.ToolTipBase, QColor(colors.base))
        p.setColor(group, QPalette.ColorRole.ToolTipText, text)
        p.setColor(group, QPalette.ColorRole.Light, button.lighter(130))
        p.setColor(group, QPalette.ColorRole.Midlight, button.lighter(110))
        p.setColor(group, QPalette.ColorRole.Mid, QColor(colors.border))
        p.setColor(group, QPalette.ColorRole.Dark, QColor(colors.strong_border))
        p.setColor(group, QPalette.ColorRole.Shadow, QColor("#000000"))
    disabled = QColor(colors.disabled)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText,
                 QPalette.ColorRole.PlaceholderText):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.Button):
        p.setColor(QPalette.ColorGroup.Disabled, role, p.color(QPalette.ColorGroup.Active, role))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Highlight, QColor(colors.border))
    return p


def stylesheet_for(c: Colors) -> str:
    """The few rules Fusion does not cover: sidebar, rounded inputs, bars and headers."""
    return f"""
    #Sidebar {{ background: {c.sidebar}; border: none; border-right: 1px solid {c.border}; }}
    #SidebarList {{ background: transparent; border: none; outline: none; }}
    #SidebarList::item {{ padding: 7px 10px; margin: 1px 0; border-radius: 6px; color: {c.text}; }}
    #SidebarList::item:hover {{ background: {c.hover}; }}
    #SidebarList::item:selected {{ background: {c.tint}; color: {c.text}; }}
    #Brand {{ font-size: 15pt; font-weight: 600; }}
    QLabel[role="title"] {{ font-size: 17pt; font-weight: 600; }}
    QLabel[role="heading"] {{ font-size: 10.5pt; font-weight: 600; padding: 6px 0 0 0; margin: 0; }}
    QLabel[role="muted"], QLabel[role="caption"] {{ color: {c.muted}; }}
    QLabel[role="empty-title"] {{ font-size: 15pt; font-weight: 600; }}
    QLabel[role="badge"] {{ border-radius: 9px; padding: 2px 10px; font-weight: 600;
                background: {c.tint}; color: {c.text}; }}
    QLineEdit {{ border: 1px solid {c.border}; border-radius: 6px; padding: 5px 8px;
                background: {c.base}; selection-background-color: {c.accent}; }}
    QLineEdit:focus {{ border-color: {c.accent}; }}
    QLineEdit[role="value"] {{ border: none; padding: 0; background: transparent; }}
    QToolButton[role="action"], QPushButton {{ border: 1px solid {c.border}; border-radius: 6px;
                padding: 5px 11px; background: {c.button}; color: {c.text}; }}
    QToolButton[role="action"]:hover, QPushButton:hover {{ background: {c.hover}; }}
    QToolButton[role="action"]:pressed, QPushButton:pressed {{ background: {c.tint}; }}
    QToolButton[role="action"]:disabled, QPushButton:disabled {{ color: {c.disabled}; }}
    QToolButton[role="action"]:focus, QPushButton:focus {{ border-color: {c.accent}; }}
    QPushButton[primary="true"] {{ background: {c.accent}; border-color: {c.accent}; color: #ffffff; }}
    QPushButton[primary="true"]:hover {{ background: #c2410c; }}
    QToolButton[role="flat"] {{ border: none; border-radius: 4px; padding: 2px; background: transparent; }}
    QToolButton[role="flat"]:hover {{ background: {c.hover}; }}
    QToolButton[role="disclosure"] {{ border: none; background: transparent; font-weight: 600;
                padding: 4px 0; }}
    QAbstractItemView {{ selection-background-color: {c.tint}; selection-color: {c.text}; }}
    QTableView {{ border: 1px solid {c.border}; border-radius: 6px; gridline-color: {c.border}; }}
    QTreeWidget {{ border: 1px solid {c.border}; border-radius: 6px; }}
    QHeaderView::section {{ background: {c.window}; color: {c.muted}; border: none;
                border-bottom: 1px solid {c.border}; padding: 5px 8px; font-weight: 600; }}
    QTabWidget::pane {{ border: none; border-top: 1px solid {c.border}; }}
    QTabBar::tab {{ background: transparent; color: {c.muted}; border: none; border-bottom: 2px solid transparent;
                padding: 7px 14px; margin-right: 4px; }}
    QTabBar::tab:hover {{ color: {c.text}; }}
    QTabBar::tab:selected {{ color: {c.text}; border-bottom-color: {c.accent}; font-weight: 600; }}
    QProgressBar {{ border: none; border-radius: 3px; background: {c.hover}; max-height: 6px; }}
    QProgressBar::chunk {{ border-radius: 3px; background: {c.accent}; }}
    #MessageBar {{ border-radius: 6px; border: 1px solid {c.border}; border-left: 4px solid {INFO};
                background: {c.base}; }}
    #MessageBar[level="success"] {{ border-left-color: {SUCCESS}; }}
    #MessageBar[level="warning"] {{ border-left-color: {WARNING}; }}
    #MessageBar[level="error"] {{ border-left-color: {ERROR}; }}
    #ProgressStrip {{ border-radius: 6px; background: {c.alt_base}; border: 1px solid {c.border}; }}
    #DetailsPanel {{ background: {c.base}; border: 1px solid {c.border}; border-radius: 6px; }}
    #ProblemBox {{ border-radius: 6px; border: 1px solid {WARNING}; background: {"#3a2f14" if c.dark else "#fff6dc"}; }}
    #ProblemBox[severity="error"] {{ border-color: {ERROR}; background: {"#3d1b1b" if c.dark else "#fff0f0"}; }}
    #Card {{ background: {c.base}; border: 1px solid {c.border}; border-radius: 8px; }}
    """


def system_is_dark() -> bool:
    """Whether the desktop asks for dark colours (False when it does not say)."""
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    return scheme is not None and scheme() == Qt.ColorScheme.Dark


_current: Colors = LIGHT


def current() -> Colors:
    """The colours applied last (light before any theme is applied)."""
    return _current


class ThemeController(QObject):
    """Applies a theme preference to the application and follows the system while it is "system"."""

    applied = Signal(bool)  # True when the dark look is now on

    def __init__(self, preference: str = "system", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._preference = preference
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._system_changed)

    @property
    def preference(self) -> str:
        return self._preference

    def set_preference(self, preference: str) -> None:
        self._preference = preference
        self.apply()

    def apply(self) -> Colors:
        """Set style, palette and stylesheet on the running application; returns the colours."""
        global _current
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            raise RuntimeError("a QApplication must exist before a theme is applied")
        dark = self._preference == "dark" or (self._preference == "system" and system_is_dark())
        colors = DARK if dark else LIGHT
        _current = colors
        if app.property("hearth_style") != "Fusion":  # style().name() is empty under a stylesheet
            app.setStyle("Fusion")
            app.setProperty("hearth_style", "Fusion")
        app.setPalette(palette_for(colors))
        app.setStyleSheet(stylesheet_for(colors))
        log.debug("theme %s applied (%s)", self._preference, "dark" if dark else "light")
        self.applied.emit(dark)
        return colors

    def _system_changed(self, _scheme: object) -> None:
        if self._preference == "system":
            self.apply()
