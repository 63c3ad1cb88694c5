"""The panel beside the library table: every fact of the selected model, its checks, problems and raw metadata."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hearth.core.badges import Badge, Level
from hearth.core.model_entry import ModelEntry
from hearth.ui import icons, theme
from hearth.ui.badges.row import BadgeRow
from hearth.ui.common_widgets import ElidedLabel, elided_lines, label
from hearth.ui.library.facts import LONG_VALUES, Section, metadata_rows, sections_for

_CAPTION_WIDTH = 108  # the same for every section, so their values line up


class DetailsPanel(QFrame):
    """Shows one :class:`ModelEntry`; :meth:`show_entry` (None clears it), :meth:`show_badges` its checks."""

    passport_requested = Signal(object)  # the ModelEntry whose passport to open

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DetailsPanel")
        self.entry: ModelEntry | None = None
        self.badges: list[Badge] | None = None
        self.badge_row: BadgeRow | None = None
        self.passport_button: QPushButton | None = None
        self._status: QWidget | None = None
        self._content_layout: QVBoxLayout | None = None
        self._metadata_open = False
        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(1, 1, 1, 1)
        outer.addWidget(self._scroll)
        self.metadata_tree: QTreeWidget | None = None
        self.metadata_toggle: QToolButton | None = None
        self.show_entry(None)

    # ---- public --------------------------------------------------------------------------
    def show_entry(self, entry: ModelEntry | None, badges: Sequence[Badge] | None = None) -> None:
        """Show ``entry`` with ``badges`` (None while they are being computed)."""
        if entry is not None and entry is self.entry:
            self.show_badges(badges)
            return  # the same object: nothing else changed (selection signals often come in pairs)
        self.entry = entry
        self.badges = list(badges) if badges is not None else None
        content = QWidget()
        content.setObjectName("DetailsContent")
        content.setAutoFillBackground(False)
        column = QVBoxLayout(content)
        column.setContentsMargins(16, 14, 16, 16)
        column.setSpacing(8)
        self.metadata_tree = None
        self.metadata_toggle = None
        self.badge_row = None
        self.passport_button = None
        self._status = None
        self._content_layout = column
        if entry is None:
            hint = label("Select a model to see its facts.", "muted", wrap=True, parent=content)
            hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.addStretch(1)
            column.addWidget(hint)
            column.addStretch(2)
        else:
            self._build(entry, content, column)
        self._scroll.setWidget(content)

    def show_badges(self, badges: Sequence[Badge] | None) -> None:
        """Update the checks of the entry shown, in place (the panel keeps its scroll position)."""
        found = list(badges) if badges is not None else None
        if self.entry is None or found == self.badges:
            return
        self.badges = found
        if self.badge_row is not None:
            self.badge_row.set_badges(found)
        if self.passport_button is not None:
            self.passport_button.setEnabled(found is not None)
        holder = self._status.parentWidget() if self._status is not None else None
        if self._status is not None and holder is not None and self._content_layout is not None:
            fresh = self._status_row(self.entry, holder)
            self._content_layout.replaceWidget(self._status, fresh)
            self._status.hide()
            self._status.deleteLater()
            self._status = fresh

    def values(self) -> dict[str, str]:
        """Label -> shown value of every fact row (for tests and accessibility checks)."""
        found: dict[str, str] = {}
        content = self._scroll.widget()
        if content is None:
            return found
        for form in content.findChildren(QFormLayout):
            for row in range(form.rowCount()):
                name = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
                value = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
                caption, widget = (name.widget() if name else None), (value.widget() if value else None)
                if not isinstance(caption, QLabel) or widget is None:
                    continue
                if isinstance(widget, QLabel):
                    found[caption.text()] = widget.text()
                else:
                    found[caption.text()] = "\n".join(line.text() for line in widget.findChildren(ElidedLabel))
        return found

    # ---- building ------------------------------------------------------------------------
    def _build(self, entry: ModelEntry, content: QWidget, column: QVBoxLayout) -> None:
        title = label(entry.name, "empty-title", selectable=True, wrap=True, parent=content)
        column.addWidget(title)
        self._status = self._status_row(entry, content)
        column.addWidget(self._status)
        column.addWidget(self._checks(content))
        if entry.problems:
            column.addWidget(self._problems(entry, content))
        for section in sections_for(entry):
            column.addWidget(self._section(section, content))
        column.addWidget(self._metadata(entry, content))
        column.addStretch(1)

    def _status_row(self, entry: ModelEntry, parent: QWidget) -> QWidget:
        row = QWidget(parent)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        dangers = [b for b in self.badges or [] if b.level is Level.DANGER]
        if not entry.usable:
            name, color, text = "error", theme.ERROR, "Cannot be loaded as it is"
        elif dangers:
            name, color, text = "error", theme.ERROR, "Risky: Hearth asks before loading it"
        elif entry.problems:
            name, color, text = "warning", theme.WARNING, "Usable, with warnings"
        else:
            name, color, text = "success", theme.SUCCESS, "Ready to use"
        icon = QLabel(row)
        icon.setPixmap(icons.icon(name, color).pixmap(16, 16))
        layout.addWidget(icon)
        layout.addWidget(label(text, "muted", parent=row))
        layout.addStretch(1)
        return row

    def _checks(self, parent: QWidget) -> QWidget:
        """The badges as pills, and the button that opens the passport explaining them."""
        box = QWidget(parent)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(8)
        self.badge_row = BadgeRow(box, pending_text="Checking the license, file and chat template…")
        self.badge_row.set_badges(self.badges)
        layout.addWidget(self.badge_row)
        button = QPushButton("Passport…", box)
        button.setToolTip("What each check found, what the license allows, and where the file came from")
        button.setEnabled(self.badges is not None)
        button.clicked.connect(lambda: self.passport_requested.emit(self.entry))
        self.passport_button = button
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        return box

    def _problems(self, entry: ModelEntry, parent: QWidget) -> QWidget:
        box = QFrame(parent)
        box.setObjectName("ProblemBox")
        box.setProperty("severity", "warning" if entry.usable else "error")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(4)
        heading = "Problem" if len(entry.problems) == 1 else f"{len(entry.problems)} problems"
        layout.addWidget(label(heading, "heading", parent=box))
        for problem in entry.problems:
            layout.addWidget(label(f"• {problem}", selectable=True, wrap=True, parent=box))
        return box

    def _section(self, section: Section, parent: QWidget) -> QWidget:
        box = QWidget(parent)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(label(section.title, "heading", parent=box))
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(5)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, value in section.rows:
            caption = label(name, "caption", parent=box)
            caption.setMinimumWidth(_CAPTION_WIDTH)
            if name in LONG_VALUES or "\n" in value:
                field: QWidget = elided_lines(value, box)
            else:
                field = label(value, selectable=True, wrap=True, parent=box)
            form.addRow(caption, field)
        layout.addLayout(form)
        return box

    def _metadata(self, entry: ModelEntry, parent: QWidget) -> QWidget:
        box = QWidget(parent)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(4)
        rows = metadata_rows(entry)
        toggle = QToolButton(box)
        toggle.setProperty("role", "disclosure")
        toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toggle.setText(f"Raw metadata ({len(rows)} keys)")
        toggle.setCheckable(True)
        toggle.setChecked(self._metadata_open)
        toggle.setEnabled(bool(rows))
        tree = QTreeWidget(box)
        tree.setColumnCount(2)
        tree.setHeaderLabels(["Key", "Value"])
        tree.setRootIsDecorated(False)
        tree.setAlternatingRowColors(True)
        tree.setUniformRowHeights(True)
        tree.setMinimumHeight(260)
        for key, value in rows:
            item = QTreeWidgetItem([key, value])
            item.setToolTip(0, key)
            item.setToolTip(1, value)
            tree.addTopLevelItem(item)
        tree.resizeColumnToContents(0)
        tree.setColumnWidth(0, min(tree.columnWidth(0), max(120, self.width() // 2)))
        tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        tree.setVisible(self._metadata_open and bool(rows))

        def flip(opened: bool) -> None:
            self._metadata_open = opened
            tree.setVisible(opened)
            toggle.setIcon(icons.icon("collapse" if opened else "expand"))

        toggle.toggled.connect(flip)
        toggle.setIcon(icons.icon("collapse" if self._metadata_open else "expand"))
        layout.addWidget(toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(tree)
        self.metadata_tree, self.metadata_toggle = tree, toggle
        return box

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and self.metadata_toggle is not None:
            opened = self.metadata_toggle.isChecked()
            self.metadata_toggle.setIcon(icons.icon("collapse" if opened else "expand"))
        super().changeEvent(event)

