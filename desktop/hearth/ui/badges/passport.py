"""The Model passport: every check with its evidence, the license explained, and the file's facts.

Written for someone who has never read Hearth's documentation: a one-line
verdict first, a legend of the four icons, then each check as a sentence with
why it matters. "Copy as text" puts the same content on the clipboard.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hearth.core.badges import Badge, Level, worst_level
from hearth.core.licenses import LicenseInfo
from hearth.core.model_entry import ModelEntry
from hearth.ui.badges.passport_text import (
    INTRO,
    LICENSE_ROWS,
    PassportContent,
    license_heading,
    passport_content,
    passport_text,
)
from hearth.ui.badges.pill import LEVEL_COLORS, is_dark, level_icon
from hearth.ui.badges.row import BadgeRow
from hearth.ui.badges.texts import CHECK_PURPOSES, LEVEL_MEANINGS, LEVEL_WORDS, check_title, source_words
from hearth.ui.common_widgets import elided_lines, label

log = logging.getLogger(__name__)

_CAPTION_WIDTH = 132
_LONG_VALUES = frozenset({"SHA-256", "File", "File in the repository"})


def _open_url(url: str) -> bool:
    ok = bool(QDesktopServices.openUrl(QUrl(url)))
    if not ok:
        log.warning("no application opened %s", url)
    return ok


class PassportDialog(QDialog):
    """Shows a model's passport; ``entry`` None leaves out the file section (a Hub repo not yet downloaded).

    ``open_url`` opens the license link (the system browser by default; tests pass a recorder).
    """

    def __init__(self, badges: Sequence[Badge], *, entry: ModelEntry | None = None,
                 license: LicenseInfo | None = None, license_said_by: str = "", title: str | None = None,
                 open_url: Callable[[str], bool] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.content: PassportContent = passport_content(badges, entry=entry, license=license,
                                                         license_said_by=license_said_by, title=title)
        self.open_url = open_url or _open_url
        self.setWindowTitle(f"Model passport — {self.content.title}")
        self.setObjectName("PassportDialog")
        self.setModal(True)
        self.resize(660, 720)
        self.check_rows: list[QFrame] = []
        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.copy_button = QPushButton("Copy as text", self)
        self.copy_button.setToolTip("Copy the whole passport to the clipboard, to paste it in a note or a message")
        self.copy_button.clicked.connect(self.copy_text)
        self.copied = label("", "muted", parent=self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.copy_button)
        bottom.addWidget(self.copied, 1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 12)
        layout.addWidget(self._scroll, 1)
        bottom.setContentsMargins(18, 0, 18, 0)
        layout.addLayout(bottom)
        self._build()

    # ---- public --------------------------------------------------------------------------
    def text(self) -> str:
        return passport_text(self.content)

    def scroll_area(self) -> QScrollArea:
        return self._scroll

    def copy_text(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
        self.copied.setText("Copied to the clipboard.")

    # ---- building ------------------------------------------------------------------------
    def _build(self) -> None:
        c = self.content
        page = QWidget()
        page.setObjectName("PassportContent")
        column = QVBoxLayout(page)
        column.setContentsMargins(22, 18, 22, 18)
        column.setSpacing(10)
        column.addWidget(label("Model passport", "caption", parent=page))
        column.addWidget(label(c.title, "empty-title", selectable=True, wrap=True, parent=page))
        column.addWidget(self._verdict(page))
        column.addWidget(label(INTRO, "muted", wrap=True, parent=page))
        summary = BadgeRow(page)
        summary.set_badges(c.badges)
        column.addWidget(summary)
        column.addWidget(self._legend(page))
        column.addWidget(label("Checks", "heading", parent=page))
        for badge in c.badges:
            row = self._check(badge, page)
            self.check_rows.append(row)
            column.addWidget(row)
        if not c.badges:
            column.addWidget(label("No checks could be made.", "muted", parent=page))
        column.addWidget(label("License", "heading", parent=page))
        column.addWidget(self._license(page))
        if c.file_rows:
            column.addWidget(label("File", "heading", parent=page))
            column.addWidget(self._file(page))
        column.addStretch(1)
        self._scroll.setWidget(page)

    def _verdict(self, parent: QWidget) -> QWidget:
        box = QWidget(parent)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        icon = QLabel(box)
        icon.setPixmap(level_icon(worst_level(self.content.badges), self._dark()).pixmap(20, 20))
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        text = label(self.content.verdict, wrap=True, parent=box)
        text.setStyleSheet("font-weight: 600;")
        row.addWidget(text, 1)
        return box

    def _legend(self, parent: QWidget) -> QWidget:
        box = QWidget(parent)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addWidget(label("Icons:", "muted", parent=box))
        for level in (Level.OK, Level.CAUTION, Level.DANGER, Level.UNKNOWN):
            icon = QLabel(box)
            icon.setPixmap(level_icon(level, self._dark()).pixmap(14, 14))
            word = label(LEVEL_WORDS[level], "muted", parent=box)
            word.setToolTip(f"{LEVEL_WORDS[level]}: {LEVEL_MEANINGS[level]}")
            icon.setToolTip(word.toolTip())
            row.addWidget(icon)
            row.addWidget(word)
            row.addSpacing(6)
        row.addStretch(1)
        return box

    def _check(self, badge: Badge, parent: QWidget) -> QFrame:
        frame = QFrame(parent)
        frame.setObjectName("PassportCheck")
        frame.setProperty("level", badge.level.value)
        frame.setAccessibleName(f"{LEVEL_WORDS[badge.level]}: {check_title(badge.key)}: {badge.label}")
        base = self.palette().color(QPalette.ColorRole.Base).name()
        border = self.palette().color(QPalette.ColorRole.Mid).name()
        frame.setStyleSheet(f"#PassportCheck {{ background: {base}; border: 1px solid {border}; "
                            f"border-left: 4px solid {LEVEL_COLORS[badge.level]}; border-radius: 6px; }}")
        row = QHBoxLayout(frame)
        row.setContentsMargins(10, 8, 12, 8)
        row.setSpacing(10)
        icon = QLabel(frame)
        icon.setPixmap(level_icon(badge.level, self._dark()).pixmap(20, 20))
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(3)
        head = QHBoxLayout()
        title = label(f"{check_title(badge.key)}: {badge.label}", wrap=True, parent=frame)
        title.setStyleSheet("font-weight: 600;")
        head.addWidget(title, 1)
        head.addWidget(label(LEVEL_WORDS[badge.level], "caption", parent=frame), 0, Qt.AlignmentFlag.AlignTop)
        text.addLayout(head)
        text.addWidget(label(badge.evidence, selectable=True, wrap=True, parent=frame))
        why = CHECK_PURPOSES.get(badge.key, "")
        text.addWidget(label(f"{why} From {source_words(badge.source)}.".strip(), "muted", wrap=True, parent=frame))
        row.addLayout(text, 1)
        return frame

    def _dark(self) -> bool:
        return is_dark(self.palette())

    def _form(self, parent: QWidget) -> QFormLayout:
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(6)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return form

    def _caption(self, text: str, parent: QWidget) -> QLabel:
        caption = label(text, "caption", parent=parent)
        caption.setMinimumWidth(_CAPTION_WIDTH)
        return caption

    def _license(self, parent: QWidget) -> QWidget:
        info = self.content.license
        box = QWidget(parent)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        heading = label(license_heading(info), selectable=True, wrap=True, parent=box)
        heading.setStyleSheet("font-weight: 600;")
        column.addWidget(heading)
        if self.content.license_said_by:
            column.addWidget(label(f"As stated by {self.content.license_said_by}.", "muted", parent=box))
        column.addWidget(label(info.summary, selectable=True, wrap=True, parent=box))
        form = self._form(box)
        for caption, attribute in LICENSE_ROWS:
            form.addRow(self._caption(caption, box), label(getattr(info, attribute), selectable=True, wrap=True,
                                                           parent=box))
        column.addLayout(form)
        if info.link:
            link = QLabel(f'<a href="{info.link}">Read the full license</a> '
                          f'<span style="color: gray">({info.link}, opens in your browser)</span>', box)
            link.setWordWrap(True)
            link.setTextFormat(Qt.TextFormat.RichText)
            link.setOpenExternalLinks(False)
            link.linkActivated.connect(lambda url: self.open_url(url))
            link.setToolTip(info.link)
            self.license_link = link
            column.addWidget(link)
        return box

    def _file(self, parent: QWidget) -> QWidget:
        box = QWidget(parent)
        form = self._form(box)
        form.setContentsMargins(0, 0, 0, 0)
        for caption, value in self.content.file_rows:
            if caption in _LONG_VALUES or caption.startswith("Files"):
                field = elided_lines(value, box)  # paths and hashes do not wrap: elided in the middle
            else:
                field = label(value, selectable=True, wrap=True, parent=box)
            form.addRow(self._caption(caption, box), field)
        box.setLayout(form)
        return box

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and self._scroll.widget() is not None:
            self.check_rows = []
            self._build()  # the check cards and icons take their colours from the palette
        super().changeEvent(event)

