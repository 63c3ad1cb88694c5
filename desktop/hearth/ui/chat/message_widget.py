"""One message in the chat: who said it, its rendered Markdown, and (for replies) the stats line."""

from __future__ import annotations

from PySide6.QtCore import QSize, QUrl, Signal
from PySide6.QtGui import (
    QGuiApplication,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QTextBrowser, QToolButton, QVBoxLayout, QWidget

from hearth.ui import theme
from hearth.ui.chat.markdown_html import COPY_SCHEME, render
from hearth.ui.chat.sources_view import SourcesView
from hearth.ui.chat.stats_text import stats_line

ROLE_NAMES = {"user": "You", "assistant": "Assistant", "system": "System", "tool": "Tool"}


def _insert_piece(cursor: QTextCursor, html: str) -> None:
    """Insert ``html`` at ``cursor``, keeping its first block's own layout.

    Qt merges an inserted fragment's first block into the block at the cursor,
    which keeps that block's format: a heading's spacing, a quote's indent or a
    list's bullet would be lost. They are put back from the parsed fragment.
    """
    start = cursor.position()
    source = QTextDocument()
    source.setHtml(html)
    first = source.begin()
    block_format = QTextBlockFormat(first.blockFormat())
    block_format.clearProperty(QTextFormat.Property.ObjectIndex)  # a list of the other document
    cursor.insertHtml(html)
    fix = QTextCursor(cursor.document())
    fix.setPosition(start)
    fix.setBlockFormat(block_format)
    source_list = first.textList()
    if source_list is not None and fix.block().textList() is None:
        fix.createList(source_list.format())


class MessageText(QTextBrowser):
    """A read-only, frameless rich-text view exactly as tall as its text (the page scrolls, not it).

    :meth:`show_pieces` replaces only the pieces that changed since the last
    call, so Qt lays out the tail of a streaming reply rather than all of it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pieces: list[str] = []
        self._starts: list[int] = []  # where each piece begins in the document
        self.document().setUndoRedoEnabled(False)  # edits while streaming would pile up in the undo stack
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setOpenLinks(False)
        self.setVerticalScrollBarPolicy(self.verticalScrollBarPolicy().ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(self.horizontalScrollBarPolicy().ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.viewport().setAutoFillBackground(False)
        self.document().documentLayout().documentSizeChanged.connect(lambda _size: self._fit())

    def show_pieces(self, pieces: list[str]) -> None:
        same = 0
        while same < min(len(pieces), len(self._pieces)) and pieces[same] == self._pieces[same]:
            same += 1
        if same == len(pieces) == len(self._pieces):
            return
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        if same == 0:
            self.document().clear()
            self._starts = []
        elif same < len(self._pieces):
            cursor.setPosition(self._starts[same])
            cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            del self._starts[same:]
        cursor.movePosition(QTextCursor.MoveOperation.End)
        for index in range(same, len(pieces)):
            self._starts.append(cursor.position())
            if index:  # a fresh block, or the piece's first paragraph would join the previous one
                cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            _insert_piece(cursor, pieces[index])
        cursor.endEditBlock()
        self._pieces = list(pieces)

    def _fit(self) -> None:
        height = int(self.document().size().height()) + 2 * self.frameWidth() + 2
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        width = self.viewport().width()
        if self.document().textWidth() != width:  # Qt lays the whole text out again even for the same width
            self.document().setTextWidth(width)
        self._fit()

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.height())


class MessageWidget(QFrame):
    """``edit_requested(message id)`` for user messages; :meth:`set_text` re-renders (used while streaming)."""

    edit_requested = Signal(int)
    source_requested = Signal(str)  # the path of a cited document

    def __init__(self, role: str, text: str = "", *, message_id: int | None = None, partial: bool = False,
                 stats: dict | None = None, sender: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role
        self.message_id = message_id
        self.setObjectName("ChatMessage")
        self.setProperty("chatRole", role)
        self._code_blocks: list[str] = []
        self._raw = ""
        self._rendered = False
        self.sources: SourcesView | None = None
        self.sender = QLabel(f"<b>{ROLE_NAMES.get(role, role)}</b>" + (f" · {sender}" if sender else ""), self)
        self.partial_label = QLabel("Cut short", self)
        self.partial_label.setProperty("role", "muted")
        self.partial_label.setToolTip("This reply was stopped or interrupted before the model finished it.")
        self.copy_button = QToolButton(self)
        self.copy_button.setText("Copy")
        self.copy_button.setProperty("role", "flat")
        self.copy_button.setToolTip("Copy this message's text")
        self.edit_button = QToolButton(self)
        self.edit_button.setText("Edit")
        self.edit_button.setProperty("role", "flat")
        self.edit_button.setToolTip("Edit this message and send it again (the replies after it are replaced)")
        self.edit_button.setVisible(role == "user")
        self.body = MessageText(self)
        self.stats_label = QLabel(self)
        self.stats_label.setProperty("role", "caption")
        self.stats_label.setWordWrap(True)
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.sender)
        header.addWidget(self.partial_label)
        header.addStretch(1)
        header.addWidget(self.edit_button)
        header.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self.body)
        layout.addWidget(self.stats_label)
        self._layout = layout
        self.copy_button.clicked.connect(lambda: self._copy(self._raw))
        self.edit_button.clicked.connect(self._edit)
        self.body.anchorClicked.connect(self._anchor)
        self.set_text(text)
        self.set_done(partial, stats)

    @property
    def text(self) -> str:
        return self._raw

    @property
    def stats_text(self) -> str:
        return self.stats_label.text()

    def set_text(self, text: str) -> None:
        if text == self._raw and self._rendered:
            return
        self._raw, self._rendered = text, True
        colors = theme.current()
        rendered = render(text, dark=colors.dark, code_background=colors.alt_base if colors.dark else "#f3f1ee")
        self._code_blocks = rendered.code_blocks
        self.body.show_pieces(rendered.pieces)

    def set_done(self, partial: bool, stats: dict | None) -> None:
        """Mark the message finished: its partial flag and its stats line."""
        self.partial_label.setVisible(partial)
        line = stats_line(stats) if self.role == "assistant" else ""
        self.stats_label.setText(line)
        self.stats_label.setVisible(bool(line))
        self._show_sources((stats or {}).get("documents"))

    def _show_sources(self, documents: object) -> None:
        if self.sources is not None:
            self.sources.hide()
            self.sources.deleteLater()
            self.sources = None
        if self.role == "assistant" and isinstance(documents, dict) and documents.get("citations"):
            self.sources = SourcesView(documents, self)
            self.sources.open_requested.connect(self.source_requested.emit)
            self._layout.addWidget(self.sources)
            self.sources.show()  # added after this message was shown: Qt would only show it later

    def set_streaming(self, streaming: str) -> None:
        """Show a status line (e.g. "Generating…") while the reply streams."""
        self.stats_label.setText(streaming)
        self.stats_label.setVisible(bool(streaming))

    def _edit(self) -> None:
        if self.message_id is not None:
            self.edit_requested.emit(self.message_id)

    def _anchor(self, url: QUrl) -> None:
        if url.scheme() == COPY_SCHEME:
            number = int(url.path() or -1) if url.path().isdigit() else -1
            if 0 <= number < len(self._code_blocks):
                self._copy(self._code_blocks[number])

    @staticmethod
    def _copy(text: str) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(text)
