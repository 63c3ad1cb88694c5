"""Honest empty pages for the parts of Hearth that are not built yet: what will come there."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QVBoxLayout, QWidget

from hearth.ui.common_widgets import PAGE_MARGINS, EmptyState, PageHeader


@dataclass(frozen=True)
class PlannedPage:
    """Words for a page whose feature has not landed yet."""

    title: str
    subtitle: str
    icon: str
    headline: str
    text: str


DISCOVER = PlannedPage(
    title="Discover", subtitle="Find open GGUF models on the Hugging Face Hub.", icon="discover",
    headline="Model search is on its way",
    text="Here you will search the Hub for quantised GGUF models, compare the quantisations "
         "of a model by size and by how well they fit this computer, and read each model's "
         "license and risks before anything is downloaded.",
)
CHAT = PlannedPage(
    title="Chat", subtitle="Talk with a model from your library, on this computer.", icon="chat",
    headline="Local chat is on its way",
    text="Here you will pick a model from your library and chat with it through llama.cpp. "
         "Generation runs on this machine and conversations are kept only in your data folder.",
)
EMBEDDINGS = PlannedPage(
    title="Embeddings", subtitle="Turn text into vectors with a local embedding model.",
    icon="embeddings", headline="Local embeddings are on their way",
    text="Here you will load an embedding model from your library, embed text or files, "
         "compare their similarity and copy or export the vectors, all without leaving this machine.",
)
DOWNLOADS = PlannedPage(
    title="Downloads", subtitle="Model files on their way to your library.", icon="downloads",
    headline="Downloads will appear here",
    text="Downloads from the Hub will be listed here with their progress. They resume after "
         "an interruption and are checked against the Hub's SHA-256 before they join your library.",
)


class PlaceholderPage(QWidget):
    """A page header plus a centred explanation of what the page will hold."""

    def __init__(self, plan: PlannedPage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.header = PageHeader(plan.title, plan.subtitle, self)
        self.empty = EmptyState(plan.icon, plan.headline, plan.text, note="Not available yet", parent=self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(*PAGE_MARGINS)
        layout.addWidget(self.header)
        layout.addWidget(self.empty, 1)
