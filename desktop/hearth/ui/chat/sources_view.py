"""Under a reply that used documents: its numbered sources, and the exact excerpt block that was sent."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QToolButton, QVBoxLayout, QWidget

SOURCE_SCHEME = "source"


class SourcesView(QWidget):
    """``open_requested(path)`` when a source is clicked."""

    open_requested = Signal(str)

    def __init__(self, documents: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.citations: list[dict[str, Any]] = [c for c in documents.get("citations", []) if isinstance(c, dict)]
        self.list_label = QLabel(self)
        self.list_label.setTextFormat(Qt.TextFormat.RichText)
        self.list_label.setWordWrap(True)
        self.list_label.setProperty("role", "caption")
        rows = [f'<a href="{SOURCE_SCHEME}:{i}">[{c.get("number", i + 1)}] '
                f'{html.escape(str(c.get("display_path") or c.get("path", "")))}</a>'
                f' · {html.escape(str(c.get("where", "")))}' for i, c in enumerate(self.citations)]
        name = html.escape(str(documents.get("collection", "")))
        self.list_label.setText(f"<b>Sources</b> ({name})<br>" + "<br>".join(rows))
        self.list_label.linkActivated.connect(self._clicked)
        self.sent_button = QToolButton(self)
        self.sent_button.setText("What was sent")
        self.sent_button.setProperty("role", "flat")
        self.sent_button.setToolTip("Show the exact excerpt block sent to the model with your message")
        self.sent_button.setCheckable(True)
        self.sent_text = QPlainTextEdit(self)
        self.sent_text.setReadOnly(True)
        self.sent_text.setPlainText(str(documents.get("prompt", "")))
        self.sent_text.setMinimumHeight(140)
        self.sent_text.hide()
        self.sent_button.toggled.connect(self.sent_text.setVisible)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.list_label)
        layout.addWidget(self.sent_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.sent_text)

    @property
    def labels(self) -> list[str]:
        """``"[n] file · where"`` per source, as shown."""
        return [f'[{c.get("number")}] {c.get("display_path") or c.get("path")} · {c.get("where")}'
                for c in self.citations]

    def _clicked(self, link: str) -> None:
        scheme, _, index = link.partition(":")
        if scheme == SOURCE_SCHEME and index.isdigit() and int(index) < len(self.citations):
            self.open_requested.emit(str(self.citations[int(index)].get("path", "")))
