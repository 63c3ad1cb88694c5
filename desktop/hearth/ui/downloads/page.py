"""The Downloads page: every Hub download with its progress, and Pause, Resume, Cancel and Remove.

The manager's commands are thread-safe and return at once (the transfers run on
its own threads), so the buttons call them directly; its events arrive through
:class:`~hearth.ui.downloads.model.DownloadBridge`. A job that reaches "done"
is announced with :attr:`DownloadsPage.installed` so the window rescans the Library.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QListView,
    QMenu,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hearth.core.downloads import DownloadEvent, DownloadManager, JobSnapshot, JobState
from hearth.core.errors import HearthError
from hearth.core.services import Services
from hearth.ui import icons
from hearth.ui.common_widgets import PAGE_MARGINS, SPACING, EmptyState, PageHeader, label
from hearth.ui.downloads import texts
from hearth.ui.downloads.confirm import confirm_cancel
from hearth.ui.downloads.delegate import DownloadDelegate
from hearth.ui.downloads.model import JOB_ROLE, DownloadBridge, DownloadsModel
from hearth.ui.message_bar import ERROR

log = logging.getLogger(__name__)

MAX_CONCURRENCY = 4


class DownloadsPage(QWidget):
    message = Signal(str, str)  # level, text: for the window's message bar
    installed = Signal(object)  # JobSnapshot of a job that just finished
    show_in_library = Signal(str)  # the installed file's path
    discover_requested = Signal()

    def __init__(self, services: Services, manager: DownloadManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.manager = manager
        #: Asked before Cancel deletes a partial file; tests replace it.
        self.confirm: Callable[[QWidget | None, JobSnapshot], bool] = confirm_cancel
        self.model = DownloadsModel(self)
        self.bridge = DownloadBridge(manager, self)
        self.bridge.arrived.connect(self._on_event, Qt.ConnectionType.QueuedConnection)
        self.model.set_jobs(manager.jobs())  # after subscribing, so nothing falls between the two
        self._build()
        self._update()

    def _build(self) -> None:
        self.header = PageHeader("Downloads", "", self)
        self.concurrency = QSpinBox(self)
        self.concurrency.setRange(1, MAX_CONCURRENCY)
        self.concurrency.setValue(max(1, min(MAX_CONCURRENCY, self.services.settings.settings.download_concurrency)))
        self.concurrency.setAccessibleName("Downloads at once")
        self.concurrency.setToolTip("How many downloads run at the same time; the others wait their turn")
        self.concurrency.valueChanged.connect(self._concurrency_changed)
        self.clear_button = QPushButton(icons.icon("remove"), "Clear finished", self)
        self.clear_button.setToolTip("Remove done and cancelled downloads from this list")
        self.clear_button.clicked.connect(self.clear_finished)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.header, 1)
        top.addWidget(label("Downloads at once", "caption", parent=self), 0, Qt.AlignmentFlag.AlignBottom)
        top.addWidget(self.concurrency, 0, Qt.AlignmentFlag.AlignBottom)
        top.addSpacing(8)
        top.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.delegate = DownloadDelegate(self.list)
        self.list.setItemDelegate(self.delegate)
        self.list.setUniformItemSizes(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setAccessibleName("Downloads")
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.list.viewport().installEventFilter(self)
        self.delegate.clicked.connect(self.trigger)
        frame = QFrame(self)
        frame.setObjectName("DetailsPanel")
        inside = QVBoxLayout(frame)
        inside.setContentsMargins(1, 1, 1, 1)
        inside.addWidget(self.list)
        browse = QPushButton("Open Discover", self)
        browse.setProperty("primary", True)
        browse.clicked.connect(self.discover_requested)
        self.empty = EmptyState("downloads", "No downloads yet",
                                "Find a model in Discover and pick a quant to download. Downloads resume after an "
                                "interruption and are checked against the Hub's SHA-256 before they join your "
                                "library.", buttons=[browse], parent=self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(frame)
        page = QVBoxLayout(self)
        page.setContentsMargins(*PAGE_MARGINS)
        page.setSpacing(SPACING)
        page.addLayout(top)
        page.addWidget(self.stack, 1)
        self.model.rowsInserted.connect(self._update)
        self.model.rowsRemoved.connect(self._update)
        self.model.modelReset.connect(self._update)

    # ---- events from the manager -----------------------------------------------------------
    def _on_event(self, event: DownloadEvent) -> None:
        before = self.model.job(event.job.id)
        self.model.apply(event)
        if event.kind == "state":
            self._update()
            if event.job.state is JobState.DONE and (before is None or before.state is not JobState.DONE):
                log.info("download %s finished: %s", event.job.id, event.job.message)
                self.installed.emit(event.job)

    def _update(self, *_args: object) -> None:
        jobs = self.model.jobs()
        self.header.set_subtitle(texts.summary(jobs))
        self.stack.setCurrentIndex(1 if jobs else 0)
        self.clear_button.setEnabled(any(job.finished for job in jobs))

    # ---- commands ------------------------------------------------------------------------
    def trigger(self, job_id: str, action: str) -> None:
        """Run a row's button: pause, resume, cancel (asks first), remove or show."""
        handlers = {texts.PAUSE: self.pause, texts.RESUME: self.resume, texts.CANCEL: self.cancel,
                    texts.REMOVE: self.remove, texts.SHOW: self.show_job}
        handlers[action](job_id)

    def _command(self, fn: Callable[[str], object], job_id: str) -> bool:
        try:
            fn(job_id)
        except HearthError as exc:
            self.message.emit(ERROR, str(exc))
            return False
        return True

    def pause(self, job_id: str) -> bool:
        return self._command(self.manager.pause, job_id)

    def resume(self, job_id: str) -> bool:
        return self._command(self.manager.resume, job_id)

    def cancel(self, job_id: str) -> bool:
        job = self.model.job(job_id)
        if job is None or not self.confirm(self.window(), job):
            return False
        return self._command(self.manager.cancel, job_id)

    def remove(self, job_id: str) -> bool:
        return self._command(self.manager.forget, job_id)

    def show_job(self, job_id: str) -> None:
        job = self.model.job(job_id)
        if job is not None and job.installed:
            self.show_in_library.emit(job.installed[0])

    def clear_finished(self) -> None:
        for job in self.model.jobs():
            if job.finished:
                self.remove(job.id)

    def _concurrency_changed(self, value: int) -> None:
        self.services.settings.settings.download_concurrency = value
        try:
            self.services.settings.save()
        except HearthError as exc:
            self.message.emit(ERROR, str(exc))
        # The manager reads the setting when it next schedules; resuming a waiting job (a no-op
        # for its state) makes it schedule now, so a raised limit starts waiting jobs at once.
        for job in self.model.jobs():
            if job.state is JobState.QUEUED:
                try:
                    self.manager.resume(job.id)
                except HearthError:
                    pass  # offline: nothing can start anyway
                break

    # ---- menu and hover ------------------------------------------------------------------
    def _context_menu(self, pos: QPoint) -> None:
        index: QModelIndex = self.list.indexAt(pos)
        job: JobSnapshot | None = index.data(JOB_ROLE) if index.isValid() else None
        if job is None:
            return
        menu = QMenu(self)
        for action in texts.actions_for(job):
            text = texts.resume_text(job) if action.key == texts.RESUME else action.text
            item = QAction(icons.icon(action.icon), text, menu)
            item.triggered.connect(lambda _checked=False, key=action.key: self.trigger(job.id, key))
            menu.addAction(item)
        menu.popup(self.list.viewport().mapToGlobal(pos))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            self.delegate.hover_at(event.position().toPoint())
        elif event.type() == QEvent.Type.Leave:
            self.delegate.hover_at(None)
        return super().eventFilter(watched, event)

    def shutdown(self) -> None:
        """Stop listening to the manager (the window shuts the manager down after this)."""
        self.bridge.close()
