"""The chat's "Documents" control, and the retrieval it triggers for each user message.

The collection attached to a conversation is kept in the conversation's params
under :data:`PARAM_KEY`. Retrieval is keyword-only (the collection's full-text
index), so the chat needs no second engine; it runs on the generation's worker
thread with its own store connection.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from hearth.core.documents import DocumentSearch, DocumentStore
from hearth.core.errors import HearthError
from hearth.core.paths import Paths

log = logging.getLogger(__name__)

PARAM_KEY = "documents"
TOP_K = 5
MAX_CHARS = 6000


def retrieve(paths: Paths, collection: str, query: str) -> dict[str, Any] | None:
    """``{"collection", "prompt", "citations"}`` for ``query``, or None when nothing matched."""
    with DocumentStore.open(paths) as store:
        block, citations = DocumentSearch(store, collection).context_for_chat(query, k=TOP_K, max_chars=MAX_CHARS)
    if not block:
        return None
    return {"collection": collection, "prompt": block, "citations": [
        {"number": c.number, "path": c.hit.chunk.path, "display_path": c.hit.display_path,
         "where": c.hit.chunk.where(), "excerpt": c.hit.chunk.text.strip()} for c in citations]}


class DocumentsPicker(QWidget):
    """``changed()`` when the user picks another collection (or none)."""

    changed = Signal()

    def __init__(self, paths: Paths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.combo = QComboBox(self)
        # long collection names must not widen the page past the window's narrowest size
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(10)
        self.combo.setToolTip("Excerpts from this collection that match each message are sent with it "
                              "(keyword search); the reply cites them as [1], [2]…")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Documents:", self))
        layout.addWidget(self.combo)
        self._filling = False
        self.refresh()
        self.combo.currentIndexChanged.connect(self._picked)

    def current(self) -> str | None:
        data = self.combo.currentData()
        return data if isinstance(data, str) else None

    def refresh(self, keep: str | None = None) -> None:
        """List the collections again, keeping ``keep`` (default: the current one) selected."""
        keep = keep if keep is not None else self.current()
        try:
            with DocumentStore.open(self.paths) as store:
                names = [c.name for c in store.collections()]
        except HearthError as exc:
            log.warning("could not list document collections: %s", exc)
            names = []
        self._filling = True
        try:
            self.combo.clear()
            self.combo.addItem("No documents", None)
            for name in names:
                self.combo.addItem(name, name)
            if keep is not None and keep not in names:
                self.combo.addItem(f"{keep} (missing)", keep)
            index = self.combo.findData(keep) if keep is not None else 0
            self.combo.setCurrentIndex(max(index, 0))
        finally:
            self._filling = False

    def show_value(self, params: dict[str, Any]) -> None:
        value = params.get(PARAM_KEY)
        self.refresh(value if isinstance(value, str) else None)
        if not isinstance(value, str):
            self._filling = True
            self.combo.setCurrentIndex(0)
            self._filling = False

    def param(self) -> dict[str, Any]:
        name = self.current()
        return {PARAM_KEY: name} if name else {}

    def _picked(self, _index: int) -> None:
        if not self._filling:
            self.changed.emit()
