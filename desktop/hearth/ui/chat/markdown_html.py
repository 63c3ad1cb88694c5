"""A message's Markdown as rich-text HTML for QTextBrowser, with fenced code highlighted by Pygments.

Qt renders the prose (``QTextDocument.setMarkdown``); fenced code blocks are cut
out first and highlighted with inline styles (Qt's rich text has no CSS classes),
each followed by a ``copy:N`` link the view turns into a clipboard copy.

The text is rendered as a list of pieces (each code block, and the prose cut at
paragraph breaks) and each piece's HTML is cached: while a reply streams only
its last piece changes, so re-rendering costs the same at the end of a long
reply as at its start.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound
from PySide6.QtGui import QTextDocument

_FENCE = re.compile(r"^```[ \t]*([\w+#.-]*)[^\n]*\n(.*?)(?:^```[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL)
# A blank line before a line that cannot continue a list, quote, table or indented block.
_PARAGRAPH_BREAK = re.compile(r"(?<=\n\n)(?=[^\s>|*+\-\d])")
COPY_SCHEME = "copy"
_CACHE_SIZE = 1024


@dataclass(frozen=True)
class Rendered:
    pieces: list[str]  # HTML, one entry per code block or prose paragraph group
    code_blocks: list[str]

    @property
    def html(self) -> str:
        return "".join(self.pieces)


def split_fences(text: str) -> list[tuple[str, str, str | None]]:
    """``(kind, body, language)`` pieces in order: kind is "text" or "code"; an unclosed fence runs to the end."""
    pieces: list[tuple[str, str, str | None]] = []
    at = 0
    for match in _FENCE.finditer(text):
        if match.start() > at:
            pieces.append(("text", text[at:match.start()], None))
        pieces.append(("code", match.group(2).rstrip("\n"), match.group(1) or None))
        at = match.end()
    if at < len(text):
        pieces.append(("text", text[at:], None))
    return pieces


def split_paragraphs(prose: str) -> list[str]:
    """Cut prose at paragraph breaks that no list, quote or table spans; the parts join back to ``prose``."""
    return [part for part in _PARAGRAPH_BREAK.split(prose) if part]


@lru_cache(maxsize=_CACHE_SIZE)
def _prose_html(markdown: str) -> str:
    doc = QTextDocument()
    doc.setMarkdown(markdown)
    found = _BODY.search(doc.toHtml())
    return found.group(1) if found else html.escape(markdown)


@lru_cache(maxsize=_CACHE_SIZE)
def _code_html(code: str, language: str | None, dark: bool, number: int, background: str) -> str:
    try:
        lexer = get_lexer_by_name(language) if language else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    style = "monokai" if dark else "friendly"
    body = highlight(code, lexer, HtmlFormatter(style=style, noclasses=True, nowrap=True))
    label = html.escape(language or "code")
    return (f'<table width="100%" cellpadding="8" cellspacing="0" style="background:{background};'
            f' margin-top:6px; margin-bottom:6px;"><tr><td>'
            f'<span style="font-size:small;">{label} · <a href="{COPY_SCHEME}:{number}">Copy</a></span>'
            f'<pre style="font-family:monospace; margin:0;">{body}</pre></td></tr></table>')


def render(markdown: str, *, dark: bool = False, code_background: str = "#f3f1ee") -> Rendered:
    """HTML for a message and the code blocks its ``copy:N`` links refer to."""
    parts: list[str] = []
    blocks: list[str] = []
    for kind, body, language in split_fences(markdown):
        if kind == "code":
            parts.append(_code_html(body, language, dark, len(blocks), code_background))
            blocks.append(body)
        else:
            parts.extend(_prose_html(paragraph) for paragraph in split_paragraphs(body) if paragraph.strip())
    return Rendered(parts, blocks)
