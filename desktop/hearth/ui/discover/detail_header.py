"""The top of a repository's detail pane: name, publisher, numbers, license and the Hub link.

Built from the search hit's RepoSummary, so it shows at once while the files and
the model card load. Under the license line, the repository's badges (license,
provenance, freshness, access) as pills, and a Passport button that explains them.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from hearth.core.hub_models import RepoSummary
from hearth.core.licenses import license_info
from hearth.core.units import human_ago, human_context, human_count
from hearth.ui.badges import BadgeRow, PassportDialog
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
        self.risk_row = BadgeRow(self, max_pills=6)
        self.passport_button = QPushButton("Passport…", self)
        self.passport_button.setToolTip("Every check on this repository, with its evidence")
        self.passport_button.clicked.connect(self.open_passport)
        checks = QHBoxLayout()
        checks.setContentsMargins(0, 0, 0, 0)
        checks.addWidget(self.risk_row, 1)
        checks.addWidget(self.passport_button, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(checks)
        self._summary: RepoSummary | None = None
        self.passport: PassportDialog | None = None

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
        self._summary = summary
        self.risk_row.set_badges(list(cell.badges))

    def open_passport(self) -> None:
        """The Model passport for this repository (no file yet: the Hub's facts only)."""
        summary = self._summary
        if summary is None:
            return
        info = license_info(summary.license, license_name=summary.license_name, license_link=summary.license_link)
        self.passport = PassportDialog(list(license_cell(summary).badges), license=info,
                                       license_said_by="the model card", title=summary.id, parent=self)
        self.passport.open()
