"""A message's Markdown as rich-text HTML for QTextBrowser, with fenced code highlighted by Pygments.

Qt renders the prose (``QTextDocument.setMarkdown``); fenced code blocks are cut
out first and highlighted with inline styles (Qt's rich text has no CSS classes),
each followed by a ``copy:N`` link the view turns into a clipboard copy.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound
from PySide6.QtGui import QTextDocument

_FENCE = re.compile(r"^```[ \t]*([\w+#.-]*)[^\n]*\n(.*?)(?:^```[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL)
COPY_SCHEME = "copy"


@dataclass(frozen=True)
class Rendered:
    html: str
    code_blocks: list[str]


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


def _prose_html(markdown: str) -> str:
    doc = QTextDocument()
    doc.setMarkdown(markdown)
    found = _BODY.search(doc.toHtml())
    return found.group(1) if found else html.escape(markdown)


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
        elif body.strip():
            parts.append(_prose_html(body))
    return Rendered("".join(parts), blocks)
