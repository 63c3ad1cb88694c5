"""A model card, rendered from its markdown, with links opened in the browser and no remote images.

Cards start with YAML front matter (license, tags...) that is metadata, not
text: it is cut off. Images would need a request the user did not ask for, so
each becomes a link with its alt text; a card's HTML ``<img>`` loads nothing.
"""

from __future__ import annotations

import html
import logging
import re
from typing import Any

from PySide6.QtCore import QSizeF, Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QFrame, QSizePolicy, QTextBrowser, QWidget

from hearth.ui.discover import links

log = logging.getLogger(__name__)

MAX_HEIGHT = 200_000  # pixels; far below Qt's widget limit, far above any real card
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n.*?\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = r"""\b{}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"""


def strip_front_matter(text: str) -> str:
    return _FRONT_MATTER.sub("", text, count=1).lstrip("\r\n")


def _attribute(tag: str, name: str) -> str:
    found = re.search(_ATTRIBUTE.format(name), tag, re.IGNORECASE)
    return next((g for g in found.groups() if g is not None), "") if found else ""


def _html_image(match: re.Match[str]) -> str:
    tag = match.group(0)
    alt = html.escape(_attribute(tag, "alt").strip() or "untitled")
    return f'<a href="{html.escape(_attribute(tag, "src"))}">Image: {alt}</a>'


def images_as_links(text: str) -> str:
    """``![Logo](logo.png)`` -> ``[Image: Logo](logo.png)``: readable, clickable, never fetched.

    HTML ``<img>`` tags become ``<a>`` links too (Qt's markdown reader also drops
    everything after an HTML block that starts with an image).
    """
    text = _IMAGE.sub(lambda m: f"[Image: {m.group(1).strip() or 'untitled'}]({m.group(2)})", text)
    return _HTML_IMAGE.sub(_html_image, text)


def card_markdown(readme: str | None) -> str:
    return images_as_links(strip_front_matter(readme or "")).strip()


class ReadmeView(QTextBrowser):
    """Show a card with :meth:`show_card`; clicked links go to :func:`links.open_url`.

    It grows to the height of its text instead of scrolling itself: it sits in a
    pane that scrolls as a whole, like a web page.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setLineWrapMode(QTextBrowser.LineWrapMode.WidgetWidth)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Model card")
        self.document().setDocumentMargin(14)
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self._repo_url: str | None = None
        self.anchorClicked.connect(self._clicked)

    def _fit_height(self, size: QSizeF) -> None:
        height = min(MAX_HEIGHT, int(size.height()) + 2 * self.frameWidth() + 2)
        if height != self.height():
            self.setFixedHeight(height)

    def show_card(self, readme: str | None, repo_url: str | None, empty_text: str) -> None:
        self._repo_url = repo_url
        text = card_markdown(readme)
        if text:
            self.setMarkdown(text)
        else:
            self.setPlainText(empty_text)

    def loadResource(self, kind: int, name: QUrl | str) -> Any:
        if int(kind) == QTextDocument.ResourceType.ImageResource.value:
            return None  # no request the user did not ask for
        return super().loadResource(kind, name)

    def _clicked(self, url: QUrl) -> None:
        if url.isRelative() and url.hasFragment() and not url.path():
            self.scrollToAnchor(url.fragment())
            return
        target = links.resolve(url, self._repo_url)
        if target is not None:
            links.open_url(target)
