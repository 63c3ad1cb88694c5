"""The Serve tab's "Use it from other apps" card: a curl command and a Python example, each with Copy."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton, QTabWidget, QWidget

from hearth.ui.common_widgets import card, label
from hearth.ui.serve.snippets import curl_snippet, python_snippet

SNIPPET_TEXT = ("Paste into a terminal or a script (Python needs “pip install openai”). "
                "Any model name works: the loaded model answers.")

MIN_LINES = 8


class SnippetView(QWidget):
    """A read-only block of code with a Copy button; the copied text may differ from the shown one."""

    def __init__(self, title: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setAccessibleName(title)
        self.copy = QPushButton("Copy", self)
        self.copy.setToolTip(f"Copy the {title.lower()}, with the real key")
        self.copy.clicked.connect(self._copy)
        self._copied = ""
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 8, 0, 0)
        row.setSpacing(8)
        row.addWidget(self.text, 1, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.copy, 0, Qt.AlignmentFlag.AlignTop)

    def set_text(self, shown: str, copied: str) -> None:
        if self.text.toPlainText() != shown:
            self.text.setPlainText(shown)
        self._copied = copied
        lines = max(shown.count("\n") + 1, MIN_LINES)  # both tabs the same height
        margins = self.text.contentsMargins().top() + self.text.contentsMargins().bottom()
        self.text.setFixedHeight(self.text.fontMetrics().lineSpacing() * lines + margins + 14)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self._copied)


class SnippetCard:
    def __init__(self, parent: QWidget) -> None:
        self.frame, layout = card("Use it from other apps", parent)
        layout.addWidget(label(SNIPPET_TEXT, "muted", wrap=True, parent=self.frame))
        # One example at a time, in tabs: both at once would push the card below the window's edge.
        self.tabs = QTabWidget(self.frame)
        self.tabs.setDocumentMode(True)
        self.curl = SnippetView("curl command", self.tabs)
        self.python = SnippetView("Python example", self.tabs)
        self.tabs.addTab(self.curl, "curl")
        self.tabs.addTab(self.python, "Python")
        layout.addWidget(self.tabs)

    def show_snippets(self, url: str, shown_key: str | None, real_key: str | None, model: str | None) -> None:
        self.curl.set_text(curl_snippet(url, shown_key, model), curl_snippet(url, real_key, model))
        self.python.set_text(python_snippet(url, shown_key, model), python_snippet(url, real_key, model))
