"""The top of a repository's detail pane: name, publisher, numbers, license and the Hub link.

Built from the search hit's RepoSummary, so it shows at once while the files and
the model card load. The badge row holds the license class today; risk and
license badges will be added to it (see :mod:`hearth.ui.discover.license_cell`).
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from hearth.core.hub_models import RepoSummary
from hearth.core.units import human_ago, human_context, human_count
from hearth.ui.common_widgets import ElidedLabel, label
from hearth.ui.discover import links
from hearth.ui.discover.license_cell import license_cell


def facts_line(summary: RepoSummary) -> str:
    parts = [f"by {summary.author}" if summary.author else ""]
    if summary.parameters:
        parts.append(f"{human_count(summary.parameters)} parameters")
    if summary.architecture:
        parts.append(summary.architecture)
    if summary.context_length:
        parts.append(f"{human_context(summary.context_length)} context")
    parts.append(f"{summary.downloads or 0:,} downloads")
    parts.append(f"{summary.likes or 0:,} likes")
    parts.append(f"updated {human_ago(summary.last_modified)}")
    return " · ".join(p for p in parts if p)


class DetailHeader(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = label("", "empty-title", selectable=True, wrap=True, parent=self)
        self.facts = label("", "muted", selectable=True, wrap=True, parent=self)
        self.license_badge = label("", "badge", parent=self)  # the badge row starts here
        self.license_name = ElidedLabel("", self)  # long custom names shorten instead of widening the pane
        self.license_name.setProperty("role", "muted")
        self.hub_link = QLabel(self)
        self.hub_link.setTextFormat(Qt.TextFormat.RichText)
        self.hub_link.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                              | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.hub_link.linkActivated.connect(links.open_url)
        self.badges = QHBoxLayout()
        self.badges.setContentsMargins(0, 0, 0, 0)
        self.badges.setSpacing(8)
        self.badges.addWidget(self.license_badge)
        self.badges.addWidget(self.license_name, 1)
        self.badges.addWidget(self.hub_link)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addWidget(self.title)
        column.addWidget(self.facts)
        column.addLayout(self.badges)

    def show_summary(self, summary: RepoSummary, repo_url: str) -> None:
        self.title.setText(summary.id)
        self.facts.setText(facts_line(summary))
        cell = license_cell(summary)
        self.license_badge.setText(cell.label)
        self.license_badge.setToolTip(cell.tooltip)
        self.license_name.setText(cell.name if cell.name != cell.label else "")
        self.license_name.setToolTip(cell.tooltip)
        self.hub_link.setText(f'<a href="{html.escape(repo_url)}">Open on the Hub ↗</a>')
        self.hub_link.setToolTip(repo_url)
