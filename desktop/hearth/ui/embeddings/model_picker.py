"""The embedding model chooser: the Library's models (embedding models first), Load/Unload, dimension.

Loading runs :meth:`EngineEmbedder.start` on the page's task runner, so the
engine starts in the supervisor's embedding role off the GUI thread and can be
cancelled from the progress strip.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from hearth.core.library import Library
from hearth.core.model_entry import ModelEntry
from hearth.engine.embedder import EngineEmbedder
from hearth.engine.supervisor import EngineSupervisor
from hearth.ui.common_widgets import label
from hearth.ui.message_bar import ERROR, SUCCESS
from hearth.ui.task_runner import Task, TaskRunner
from hearth.ui.worker import ProgressFn, StopFn

log = logging.getLogger(__name__)

CHAT_MODEL_NOTE = ("This is a chat model: it embeds by averaging its token vectors (mean pooling). "
                   "A dedicated embedding model gives better results.")


def is_embedding_model(entry: ModelEntry) -> bool:
    return bool(entry.facts is not None and entry.facts.is_embedding)


def ordered_models(entries: list[ModelEntry]) -> list[ModelEntry]:
    """Usable models, embedding models first, then by name."""
    usable = [e for e in entries if e.usable]
    return sorted(usable, key=lambda e: (not is_embedding_model(e), e.name.lower()))


class ModelPicker(QWidget):
    """Chooses and loads the embedding model; ``embedder`` is the loaded one or None."""

    embedder_changed = Signal(object)  # EngineEmbedder | None
    message = Signal(str, str)

    def __init__(self, library: Library, supervisor: EngineSupervisor, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._supervisor = supervisor
        self._runner = runner
        self.embedder: EngineEmbedder | None = None
        self.combo = QComboBox(self)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(18)  # long model names must not widen the whole window
        self.combo.setAccessibleName("Embedding model")
        self.load_button = QPushButton("Load", self)
        self.unload_button = QPushButton("Unload", self)
        self.status = label("No model loaded", "muted", parent=self)
        self.note = label(CHAT_MODEL_NOTE, "muted", wrap=True, parent=self)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(label("Model", parent=self))
        row.addWidget(self.combo, 1)
        row.addWidget(self.load_button)
        row.addWidget(self.unload_button)
        row.addWidget(self.status)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addWidget(self.note)
        self.combo.currentIndexChanged.connect(self._update)
        self.load_button.clicked.connect(self.load)
        self.unload_button.clicked.connect(self.unload)
        runner.busy_changed.connect(lambda _busy: self._update())
        self.refresh()

    def refresh(self) -> None:
        """Re-read the Library's models, keeping the selection where possible."""
        current = self.selected_entry()
        self.combo.blockSignals(True)
        self.combo.clear()
        for entry in ordered_models(self._library.entries()):
            kind = "embedding" if is_embedding_model(entry) else "chat"
            self.combo.addItem(f"{entry.name}  ({kind})", entry)
        if current is not None:
            for index in range(self.combo.count()):
                if self.combo.itemData(index).id == current.id:
                    self.combo.setCurrentIndex(index)
        self.combo.blockSignals(False)
        self._update()

    def model_name(self, model_id: str) -> str:
        """The Library's name for a model id a collection remembers (the id itself if it is gone)."""
        for entry in self._library.entries():
            if entry.id == model_id or str(entry.path) == model_id:
                return entry.name
        return model_id

    def selected_entry(self) -> ModelEntry | None:
        entry = self.combo.currentData()
        return entry if isinstance(entry, ModelEntry) else None

    def select(self, entry_id: str) -> bool:
        for index in range(self.combo.count()):
            if self.combo.itemData(index).id == entry_id:
                self.combo.setCurrentIndex(index)
                return True
        return False

    def _update(self) -> None:
        entry = self.selected_entry()
        busy = self._runner.busy
        self.load_button.setEnabled(entry is not None and not busy)
        self.unload_button.setEnabled(self.embedder is not None and not busy)
        self.note.setVisible(entry is not None and not is_embedding_model(entry))
        if self.embedder is not None:
            self.status.setText(f"Loaded: {self.embedder.dimension} dimensions")
        elif self.combo.count() == 0:
            self.status.setText("No models in the Library yet")
        else:
            self.status.setText("No model loaded")

    # ---- load / unload -----------------------------------------------------------------------
    def load(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        supervisor, previous = self._supervisor, self.embedder

        def run(progress: ProgressFn, should_stop: StopFn) -> EngineEmbedder:
            if previous is not None:
                previous.close()
            embedder = EngineEmbedder.start(supervisor, entry, progress=progress, should_stop=should_stop)
            try:
                embedder.dimension  # asked once here, off the GUI thread
            except BaseException:
                embedder.close()
                raise
            return embedder

        self._set_embedder(None)
        self._runner.submit(Task(f"Loading {entry.name}", run, on_finished=self._loaded,
                                 on_failed=lambda text: self.message.emit(ERROR, text), key="embedder"))

    def _loaded(self, embedder: EngineEmbedder) -> None:
        self._set_embedder(embedder)
        self.message.emit(SUCCESS, f"{embedder.client.endpoint.name} is ready for embedding "
                                   f"({embedder.dimension} dimensions).")

    def unload(self) -> None:
        embedder = self.embedder
        if embedder is None:
            return
        self._set_embedder(None)
        self._runner.submit(Task("Unloading the model", _closer(embedder), cancellable=False))

    def _set_embedder(self, embedder: EngineEmbedder | None) -> None:
        self.embedder = embedder
        self._update()
        self.embedder_changed.emit(embedder)


def _closer(embedder: EngineEmbedder) -> Callable[[ProgressFn, StopFn], None]:
    def run(_progress: ProgressFn, _should_stop: StopFn) -> None:
        embedder.close()
    return run
