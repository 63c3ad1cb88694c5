"""The Embeddings page: the model picker above two tabs, Compare texts and Documents, and one progress strip."""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from hearth.core.documents import DocumentStore
from hearth.core.services import Services
from hearth.engine.supervisor import EngineSupervisor
from hearth.ui.common_widgets import PAGE_MARGINS, SPACING, PageHeader
from hearth.ui.dialogs import Dialogs
from hearth.ui.embeddings.compare_tab import CompareTab
from hearth.ui.embeddings.documents_tab import DocumentsTab
from hearth.ui.embeddings.model_picker import ModelPicker
from hearth.ui.message_bar import WARNING
from hearth.ui.progress_strip import ProgressStrip
from hearth.ui.task_runner import TaskRunner

log = logging.getLogger(__name__)


class EmbeddingsPage(QWidget):
    """Loads an embedding model in the supervisor's embedding engine and puts it to work."""

    message = Signal(str, str)  # level, text: shown by the window's message bar

    def __init__(self, services: Services, supervisor: EngineSupervisor, dialogs: Dialogs,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.runner = TaskRunner(self)
        self.store = DocumentStore.open(services.paths)
        self.header = PageHeader("Embeddings", "Turn text into vectors, compare texts, and search your own "
                                               "documents. Everything runs on this computer.", self)
        self.picker = ModelPicker(services.library, supervisor, self.runner, self)
        self.compare = CompareTab(self.picker, self.runner, dialogs, self)
        self.documents = DocumentsTab(self.store, self.picker, self.runner, dialogs, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.compare, "Compare texts")
        self.tabs.addTab(self.documents, "Documents")
        self.strip = ProgressStrip(self.runner, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(*PAGE_MARGINS)
        layout.setSpacing(SPACING)
        layout.addWidget(self.header)
        layout.addWidget(self.picker)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.strip)
        for part in (self.picker, self.compare, self.documents):
            part.message.connect(self.message)
        self._notice = self.store.notice

    def showEvent(self, event: QShowEvent) -> None:
        self.picker.refresh()  # the Library may have changed while another page was shown
        if self._notice:
            self.message.emit(WARNING, self._notice)
            self._notice = None
        super().showEvent(event)

    def shutdown(self) -> None:
        """Stop the running task, unload the model and close the database (window closing)."""
        self.runner.shutdown()
        embedder, self.picker.embedder = self.picker.embedder, None
        if embedder is not None:
            embedder.close()
        self.store.close()
