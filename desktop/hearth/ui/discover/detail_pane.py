"""The pane beside the search results: one repository's header, notices, quants and model card.

It shows what it is given and asks for nothing itself: the page loads the
details in the background and calls :meth:`DetailPane.show_loading`,
:meth:`show_detail` or :meth:`show_error`. The whole pane scrolls as one, like
a web page, so neither the quants nor the card is squeezed into a box of its own.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from hearth.core.hub_models import RepoSummary
from hearth.ui.common_widgets import label
from hearth.ui.discover.detail_header import DetailHeader
from hearth.ui.discover.jobs import DetailResult
from hearth.ui.discover.notice import InlineNotice, saved_at_text
from hearth.ui.discover.quant_section import QuantSection
from hearth.ui.discover.readme_view import ReadmeView

GATED_TEXT = "This model requires accepting its terms on the Hub."
_TERMS_LINK = "Review the terms on the Hub ↗"


def missing_card_text(result: DetailResult) -> str:
    """What the card area says when there is no card text to show."""
    if not any(f.path.lower() == "readme.md" for f in result.detail.files):
        return "This repository has no model card."
    if result.detail.summary.gated:
        return "The model card can be read on the Hub once you have accepted the model's terms there."
    return "The model card could not be loaded; open the repository on the Hub to read it."


class DetailPane(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DetailsPanel")
        self.result: DetailResult | None = None
        self.summary: RepoSummary | None = None
        self.placeholder = label("Select a model to see its quants, how well each fits this computer, "
                                 "and its model card.", "muted", wrap=True, parent=self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.header = DetailHeader(self)
        self.gate_notice = InlineNotice(self)
        self.status_notice = InlineNotice(self)
        self.loading = label("Loading the files and the model card…", "muted", parent=self)
        self.files = QuantSection(self)
        self.readme = ReadmeView(self)
        self.sections = QWidget(self)
        sections = QVBoxLayout(self.sections)
        sections.setContentsMargins(0, 0, 0, 0)
        sections.setSpacing(6)
        sections.addWidget(self.files)
        sections.addSpacing(6)
        sections.addWidget(label("Model card", "heading", parent=self.sections))
        card = QFrame(self.sections)
        card.setObjectName("Card")
        inside = QVBoxLayout(card)
        inside.setContentsMargins(1, 1, 1, 1)
        inside.addWidget(self.readme)
        sections.addWidget(card)
        inner = QWidget(self)
        column = QVBoxLayout(inner)
        column.setContentsMargins(16, 14, 16, 16)
        column.setSpacing(10)
        for widget in (self.header, self.gate_notice, self.status_notice, self.loading, self.sections):
            column.addWidget(widget)
        column.addStretch(1)
        self.scroller = QScrollArea(self)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setWidget(inner)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.scroller)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(1, 1, 1, 1)
        outer.addWidget(self.stack)
        self.show_placeholder()

    # ---- states --------------------------------------------------------------------------
    def show_placeholder(self) -> None:
        self.result = self.summary = None
        self.files.clear()
        self.stack.setCurrentWidget(self.placeholder)

    def show_loading(self, summary: RepoSummary, repo_url: str) -> None:
        self.result, self.summary = None, summary
        self.header.show_summary(summary, repo_url)
        self._show_gate(summary, repo_url)
        self.status_notice.hide()
        self.files.clear()
        self.loading.show()
        self.sections.hide()
        self.stack.setCurrentWidget(self.scroller)
        self.scroller.verticalScrollBar().setValue(0)

    def show_error(self, summary: RepoSummary, repo_url: str, message: str, retry: Callable[[], None],
                   gated: bool = False) -> None:
        self.show_loading(summary, repo_url)
        if gated:
            self.gate_notice.show_notice("warning", GATED_TEXT, link=repo_url, link_text=_TERMS_LINK)
        self.status_notice.show_notice("error", message, action_text="Retry", action=retry)
        self.loading.hide()

    def show_detail(self, result: DetailResult, repo_url: str) -> None:
        detail = result.detail
        self.result, self.summary = result, detail.summary
        self.header.show_summary(detail.summary, repo_url)
        self._show_gate(detail.summary, repo_url)
        if detail.from_cache:
            self.status_notice.show_notice(
                "info", f"Offline — showing the saved copy from {saved_at_text(detail.fetched_at)}.")
        else:
            self.status_notice.hide()
        self.files.show_result(result)
        self.readme.show_card(detail.readme, repo_url, missing_card_text(result))
        self.loading.hide()
        self.sections.show()
        self.stack.setCurrentWidget(self.scroller)

    def _show_gate(self, summary: RepoSummary, repo_url: str) -> None:
        if summary.gated:
            self.gate_notice.show_notice("warning", GATED_TEXT + " Accept them there, then add your Hugging Face "
                                         "token in Settings to download.", link=repo_url, link_text=_TERMS_LINK)
        else:
            self.gate_notice.hide()

    def mark_installed(self, repo_id: str, label_text: str) -> None:
        """A download finished: if that repository is open, its quant now says "In library"."""
        if self.result is not None and self.result.detail.id == repo_id:
            self.files.mark_installed(label_text)
