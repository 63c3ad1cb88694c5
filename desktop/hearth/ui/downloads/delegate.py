"""Draws one download row and its buttons, and turns clicks on those buttons into :attr:`clicked`.

A row: the repository and quant with the state on the right, a progress bar,
the amounts (bytes, speed, time left) and the job's message, with the buttons
for its state (Pause/Resume/Cancel, or Show in Library/Remove) at the right end.
Button rectangles come from one function, so painting and hit-testing agree.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView, QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from hearth.core.downloads import JobSnapshot, JobState
from hearth.ui import icons, theme
from hearth.ui.downloads import texts
from hearth.ui.downloads.model import JOB_ROLE

Index = QModelIndex | QPersistentModelIndex
ROW_HEIGHT = 78
PAD_X = 16
BUTTON_HEIGHT = 28
BUTTON_GAP = 8
ICON = 16
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def bar_color(job: JobSnapshot) -> str:
    if job.state is JobState.FAILED:
        return theme.ERROR
    if job.state is JobState.DONE:
        return theme.SUCCESS
    if job.state is JobState.PAUSED:
        return theme.WARNING
    return theme.current().accent


def _button_width(label: str, metrics: QFontMetrics) -> int:
    return metrics.horizontalAdvance(label) + ICON + 30


def buttons_width(metrics: QFontMetrics) -> int:
    """Room for the widest set of buttons any state shows, so every row's bar ends at the same place."""
    sets = ([texts.ACTIONS[k].text for k in keys] for keys in texts.ACTION_SETS.values())
    return max(sum(_button_width(label, metrics) for label in labels) + BUTTON_GAP * (len(labels) - 1)
               for labels in sets)


def button_rects(rect: QRect, job: JobSnapshot, metrics: QFontMetrics) -> list[tuple[texts.Action, QRect]]:
    """Where each of the row's buttons sits, right-aligned and vertically centred."""
    placed: list[tuple[texts.Action, QRect]] = []
    right = rect.right() - PAD_X
    top = rect.top() + (rect.height() - BUTTON_HEIGHT) // 2
    for action in reversed(texts.actions_for(job)):
        label = texts.resume_text(job) if action.key == texts.RESUME else action.text
        width = _button_width(label, metrics)
        placed.append((action, QRect(right - width + 1, top, width, BUTTON_HEIGHT)))
        right -= width + BUTTON_GAP
    return list(reversed(placed))


class DownloadDelegate(QStyledItemDelegate):
    clicked = Signal(str, str)  # job id, action key

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view
        self._hover: tuple[str, str] | None = None
        self._pressed: tuple[str, str] | None = None
        view.viewport().setMouseTracking(True)  # hover highlights follow the pointer

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(560, ROW_HEIGHT)

    # ---- painting ------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        job: JobSnapshot | None = index.data(JOB_ROLE)
        if job is None:
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        opt.icon = QIcon()
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, opt.widget)
        colors = theme.current()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = opt.rect
        painter.setPen(QColor(colors.border))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        base = QFont(opt.font)
        bold = QFont(base)
        bold.setBold(True)
        metrics, bold_metrics = QFontMetrics(base), QFontMetrics(bold)
        buttons = button_rects(rect, job, metrics)
        left = rect.left() + PAD_X
        width = max(40, rect.right() - PAD_X - buttons_width(metrics) - 24 - left)
        line = metrics.height()
        y = rect.top() + (rect.height() - (2 * line + 18)) // 2
        state_text = texts.STATE_WORDS[job.state]
        title_width = width - metrics.horizontalAdvance(state_text) - 12
        painter.setFont(bold)
        painter.setPen(opt.palette.color(QPalette.ColorRole.Text))
        painter.drawText(QRect(left, y, title_width, line), _LEFT,
                         bold_metrics.elidedText(texts.title(job), Qt.TextElideMode.ElideMiddle, title_width))
        painter.setFont(base)
        ended = job.state in (JobState.FAILED, JobState.DONE)
        painter.setPen(QColor(bar_color(job) if ended else colors.muted))
        painter.drawText(QRect(left, y, width, line), _RIGHT, state_text)
        y += line + 6
        self._paint_bar(painter, QRectF(left, y, width, 6), job)
        y += 12
        detail = "  ·  ".join(p for p in (texts.amounts(job), texts.message(job)) if p)
        painter.setPen(QColor(theme.ERROR if texts.is_problem(job) else colors.muted))
        shown = metrics.elidedText(detail, Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(left, y, width, line), _LEFT, shown)
        for action, box in buttons:
            self._paint_button(painter, box, job, action, metrics)
        painter.restore()

    @staticmethod
    def _paint_bar(painter: QPainter, track: QRectF, job: JobSnapshot) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(theme.current().hover))
        painter.drawRoundedRect(track, 3, 3)
        share = 1.0 if job.state is JobState.DONE else job.fraction
        if share > 0 and job.state is not JobState.CANCELLED:
            painter.setBrush(QColor(bar_color(job)))
            painter.drawRoundedRect(QRectF(track.left(), track.top(), max(6.0, track.width() * share),
                                           track.height()), 3, 3)

    def _paint_button(self, painter: QPainter, box: QRect, job: JobSnapshot, action: texts.Action,
                      metrics: QFontMetrics) -> None:
        colors = theme.current()
        key = (job.id, action.key)
        fill = colors.tint if key == self._pressed else colors.hover if key == self._hover else colors.button
        painter.setPen(QColor(colors.border))
        painter.setBrush(QColor(fill))
        painter.drawRoundedRect(QRectF(box).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        label = texts.resume_text(job) if action.key == texts.RESUME else action.text
        content = ICON + 6 + metrics.horizontalAdvance(label)
        x = box.left() + (box.width() - content) // 2
        icon_color = theme.ERROR if action.key == texts.CANCEL else None
        pixmap = icons.icon(action.icon, icon_color).pixmap(ICON, ICON)
        painter.drawPixmap(QPoint(x, box.top() + (box.height() - ICON) // 2), pixmap)
        painter.setPen(QColor(colors.text))
        painter.drawText(QRect(x + ICON + 6, box.top(), box.width(), box.height()), _LEFT, label)

    # ---- clicks --------------------------------------------------------------------------
    def button_at(self, index: Index, rect: QRect, pos: QPoint) -> texts.Action | None:
        job: JobSnapshot | None = index.data(JOB_ROLE)
        if job is None:
            return None
        metrics = QFontMetrics(self._view.font())
        return next((action for action, box in button_rects(rect, job, metrics) if box.contains(pos)), None)

    def button_rect(self, index: Index, rect: QRect, key: str) -> QRect | None:
        """Where the ``key`` button of a row is drawn (tests click there)."""
        job: JobSnapshot | None = index.data(JOB_ROLE)
        if job is None:
            return None
        metrics = QFontMetrics(self._view.font())
        return next((box for action, box in button_rects(rect, job, metrics) if action.key == key), None)

    def editorEvent(self, event: QEvent, model: object, option: QStyleOptionViewItem, index: Index) -> bool:
        if not isinstance(event, QMouseEvent):
            return super().editorEvent(event, model, option, index)  # type: ignore[arg-type]
        job: JobSnapshot | None = index.data(JOB_ROLE)
        action = self.button_at(index, option.rect, event.position().toPoint())
        key = (job.id, action.key) if job is not None and action is not None else None
        kind = event.type()
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        if kind == QEvent.Type.MouseButtonPress and key is not None:
            self._pressed = key
            self._view.viewport().update()
            return True
        if kind == QEvent.Type.MouseButtonRelease:
            pressed, self._pressed = self._pressed, None
            self._view.viewport().update()
            if key is not None and key == pressed:
                self.clicked.emit(*key)
                return True
        return False

    def hover_at(self, pos: QPoint | None) -> None:
        """Highlight the button under ``pos`` (viewport coordinates); None when the mouse left."""
        key = None
        if pos is not None:
            index = self._view.indexAt(pos)
            job: JobSnapshot | None = index.data(JOB_ROLE) if index.isValid() else None
            action = self.button_at(index, self._view.visualRect(index), pos) if job is not None else None
            key = (job.id, action.key) if job is not None and action is not None else None
        if key != self._hover:
            self._hover = key
            self._view.viewport().update()
