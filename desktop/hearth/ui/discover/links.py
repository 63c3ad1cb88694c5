"""Opening web links from Discover in the user's browser, and only web links.

A model card is text written by anyone: its links may point anywhere, so only
http(s) and mailto addresses are handed to the desktop; relative links are
resolved against the repository's page on the Hub first.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

log = logging.getLogger(__name__)

SAFE_SCHEMES = ("http", "https", "mailto")


def resolve(url: QUrl, repo_url: str | None) -> QUrl | None:
    """The absolute address a card link points to, or None when it is not a web link."""
    if url.isRelative() and repo_url:
        url = QUrl(repo_url.rstrip("/") + "/blob/main/").resolved(url)
    return url if url.scheme().lower() in SAFE_SCHEMES else None


def open_url(url: QUrl | str) -> bool:
    """Open ``url`` in the browser; False when it is not a web link or nothing opened it."""
    target = QUrl(url) if isinstance(url, str) else url
    if target.scheme().lower() not in SAFE_SCHEMES:
        log.warning("not opening a link with scheme %r", target.scheme())
        return False
    ok = bool(QDesktopServices.openUrl(target))
    if not ok:
        log.warning("no application opened %s", target.toString())
    return ok
