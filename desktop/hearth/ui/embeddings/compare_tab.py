"""The Compare tab: texts in, vectors out, a cosine-similarity heatmap and the nearest pairs."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hearth.core.embeddings import cosine_similarity_matrix, embed_in_batches, export_vectors, nearest_pairs
from hearth.core.errors import HearthError
from hearth.ui.common_widgets import label
from hearth.ui.dialogs import Dialogs
from hearth.ui.embeddings.heatmap import Heatmap
from hearth.ui.embeddings.model_picker import ModelPicker
from hearth.ui.embeddings.vectors_model import PairsModel, VectorsModel
from hearth.ui.message_bar import ERROR, INFO, SUCCESS
from hearth.ui.task_runner import Task, TaskRunner
from hearth.ui.worker import ProgressFn, StopFn

log = logging.getLogger(__name__)

EXPORTS = (("json", "JSON"), ("csv", "CSV"), ("npy", "NumPy .npy"))
TOP_PAIRS = 10
BATCH = 8


def texts_of(plain: str) -> list[str]:
    """One text per non-empty line."""
    return [line.strip() for line in plain.splitlines() if line.strip()]


def _table(model: VectorsModel | PairsModel, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
    return view


class CompareTab(QWidget):
    """Embeds the editor's lines with the loaded model and shows how alike they are."""

    message = Signal(str, str)

    def __init__(self, picker: ModelPicker, runner: TaskRunner, dialogs: Dialogs,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._picker = picker
        self._runner = runner
        self._dialogs = dialogs
        self.editor = QPlainTextEdit(self)
        self.editor.setPlaceholderText("One text per line, for example:\nThe cat sat on the mat.\n"
                                       "A kitten rests on a rug.\nStock markets fell sharply today.")
        self.editor.setAccessibleName("Texts to embed, one per line")
        self.embed_button = QPushButton("Embed", self)
        self.embed_button.setProperty("role", "primary")
        self.copy_button = QPushButton("Copy", self)
        self.copy_button.setToolTip("Copy the texts and their vectors (tab-separated)")
        self.export_button = QToolButton(self)
        self.export_button.setText("Export")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        for fmt, name in EXPORTS:
            menu.addAction(f"Export as {name}…", lambda fmt=fmt: self.export(fmt))
        self.export_button.setMenu(menu)
        self.vectors = VectorsModel(self)
        self.pairs = PairsModel(self)
        self.vectors_view = _table(self.vectors, self)
        self.vectors_view.setColumnWidth(0, 200)
        self.vectors_view.setColumnWidth(1, 88)
        self.pairs_view = _table(self.pairs, self)
        self.pairs_view.setColumnWidth(0, 70)
        self.pairs_view.setColumnWidth(1, 220)
        self.heatmap = Heatmap(self)

        buttons = QHBoxLayout()
        buttons.addWidget(self.embed_button)
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.export_button)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(label("Texts", "heading", parent=left))
        left_layout.addWidget(self.editor, 2)
        left_layout.addLayout(buttons)
        left_layout.addWidget(label("Vectors", "heading", parent=left))
        left_layout.addWidget(self.vectors_view, 2)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(label("Cosine similarity", "heading", parent=right))
        right_layout.addWidget(self.heatmap, 3)
        right_layout.addWidget(label("Nearest pairs", "heading", parent=right))
        right_layout.addWidget(self.pairs_view, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(splitter)

        self.embed_button.clicked.connect(self.embed)
        self.copy_button.clicked.connect(self.copy)
        self.editor.textChanged.connect(self._update)
        picker.embedder_changed.connect(lambda _e: self._update())
        runner.busy_changed.connect(lambda _b: self._update())
        self._update()

    def _update(self) -> None:
        ready = self._picker.embedder is not None and not self._runner.busy
        self.embed_button.setEnabled(ready and bool(texts_of(self.editor.toPlainText())))
        self.embed_button.setToolTip("" if self._picker.embedder is not None else "Load a model first")
        has = bool(self.vectors.texts)
        self.copy_button.setEnabled(has)
        self.export_button.setEnabled(has)

    def embed(self) -> None:
        embedder, texts = self._picker.embedder, texts_of(self.editor.toPlainText())
        if embedder is None or not texts:
            return

        def run(progress: ProgressFn, should_stop: StopFn) -> np.ndarray:
            return embed_in_batches(embedder, texts, BATCH, progress, should_stop)

        self._runner.submit(Task(f"Embedding {len(texts)} texts", run,
                                 on_finished=lambda matrix: self.show_vectors(texts, matrix),
                                 on_failed=lambda text: self.message.emit(ERROR, text),
                                 on_cancelled=lambda: self.message.emit(INFO, "Embedding cancelled.")))

    def show_vectors(self, texts: list[str], matrix: np.ndarray) -> None:
        self.vectors.set_vectors(texts, matrix)
        self.heatmap.set_matrix(texts, cosine_similarity_matrix(matrix) if len(texts) else matrix)
        self.pairs.set_pairs([(texts[i], texts[j], cos) for i, j, cos in nearest_pairs(matrix, TOP_PAIRS)])
        self._update()

    def copy(self) -> None:
        rows = sorted({index.row() for index in self.vectors_view.selectionModel().selectedRows()})
        QGuiApplication.clipboard().setText(self.vectors.as_text(rows or None))

    def export(self, fmt: str) -> Path | None:
        if not self.vectors.texts:
            return None
        name = dict(EXPORTS)[fmt]
        path = self._dialogs.choose_save_file(self, f"Export vectors as {name}", f"vectors.{fmt}",
                                              f"{name} (*.{fmt})")
        if path is None:
            return None
        if path.suffix.lower() != f".{fmt}":
            path = path.with_name(path.name + f".{fmt}")
        try:
            written = export_vectors(path, self.vectors.matrix, self.vectors.texts, fmt)
        except (HearthError, OSError) as exc:
            self.message.emit(ERROR, f"Could not export the vectors: {exc}")
            return None
        self.message.emit(SUCCESS, f"Saved {len(self.vectors.texts)} vectors to {written}.")
        return written
