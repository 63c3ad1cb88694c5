"""The Embeddings page with a real embedding engine (a tiny llama GGUF with mean pooling).

Engine start-ups are few: one through the page's Load button, and one shared
by the documents tests (module-scoped), which hand the page a ready embedder.
"""

from __future__ import annotations

import csv
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtWidgets import QWidget

from hearth.core.documents import DocumentStore
from hearth.core.paths import Paths
from hearth.core.services import Services
from hearth.engine.embedder import EngineEmbedder
from hearth.engine.supervisor import EngineRole, EngineSupervisor
from hearth.ui.embeddings.documents_tab import DocumentsTab
from hearth.ui.embeddings.model_picker import CHAT_MODEL_NOTE
from hearth.ui.embeddings.page import EmbeddingsPage
from hearth.ui.main_window import MainWindow
from tests.gui.conftest import WAIT_MS, FakeDialogs
from tests.helpers.documents import make_document_set
from tests.helpers.engines import entry_for
from tests.helpers.gguf_factory import write_tiny_gguf

pytestmark = pytest.mark.llama
EMBED_OPTIONS: dict[str, Any] = {"extra": {"llama.pooling_type": 1}, "n_embd": 64}
TEXTS = ["The cat sat on the mat.", "A kitten rests on a rug.", "Stock markets fell sharply today."]


class SavingDialogs(FakeDialogs):
    """Also answers the save and add-files pickers."""

    def __init__(self) -> None:
        super().__init__()
        self.save_to: Path | None = None
        self.save_prompts: list[str] = []
        self.chosen_files: list[Path] = []

    def choose_save_file(self, parent: QWidget | None, title: str, suggested: str,
                         file_filter: str = "") -> Path | None:
        self.save_prompts.append(suggested)
        return None if self.save_to is None else self.save_to / suggested

    def choose_files(self, parent: QWidget | None, title: str = "") -> list[Path]:
        return list(self.chosen_files)


@pytest.fixture
def dialogs() -> SavingDialogs:
    return SavingDialogs()


@pytest.fixture(scope="module")
def shared_embedder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineEmbedder]:
    root = tmp_path_factory.mktemp("embed-engine")
    model = write_tiny_gguf(root / "shared-embed.gguf", **EMBED_OPTIONS)
    supervisor = EngineSupervisor(Paths.resolve(root / "home").ensure())
    embedder = EngineEmbedder.start(supervisor, entry_for(model))
    assert embedder.dimension == 64
    yield embedder
    embedder.close()
    supervisor.close()


def test_load_embed_compare_and_export(make_window: Callable[..., MainWindow], services: Services,
                                       tiny_gguf: Callable[..., Path], dialogs: SavingDialogs,
                                       tmp_path: Path, qtbot: Any) -> None:
    tiny_gguf("chatty.gguf", folder=services.paths.models, n_embd=64)
    tiny_gguf("embedder.gguf", folder=services.paths.models, **EMBED_OPTIONS)
    window = make_window(services, show=True)
    window.show_page("embeddings")  # showing the page re-reads the Library
    page = window.embeddings
    picker = page.picker
    assert picker.combo.count() == 2 and "embedding" in picker.combo.itemText(0)  # embedding models first
    assert page.compare.embed_button.isEnabled() is False
    picker.combo.setCurrentIndex(1)
    assert not picker.note.isHidden() and picker.note.text() == CHAT_MODEL_NOTE
    picker.combo.setCurrentIndex(0)
    assert picker.note.isHidden()

    picker.load_button.click()
    qtbot.waitUntil(lambda: picker.embedder is not None, timeout=60_000)
    assert window.supervisor.handle(EngineRole.EMBEDDING) is not None
    assert picker.status.text() == "Loaded: 64 dimensions"

    compare = page.compare
    compare.editor.setPlainText("\n".join(TEXTS) + "\n\n")
    assert compare.embed_button.isEnabled()
    progress: list[tuple[int, int]] = []
    page.runner.progress.connect(lambda done, total, _text: progress.append((done, total)))
    compare.embed_button.click()
    qtbot.waitUntil(lambda: compare.vectors.rowCount() == 3, timeout=WAIT_MS)
    assert progress[-1] == (3, 3)
    assert [compare.vectors.index(r, 0).data() for r in range(3)] == TEXTS
    assert compare.vectors.index(0, 1).data() == "64"
    heatmap = compare.heatmap
    assert heatmap.matrix.shape == (3, 3)
    assert np.allclose(np.diag(heatmap.matrix), 1.0, atol=1e-4)
    assert [heatmap.value_text(i, i) for i in range(3)] == ["1.00"] * 3
    assert not heatmap.grab().isNull()
    assert compare.pairs.rowCount() == 3  # every pair of three texts, most similar first
    cosines = [float(compare.pairs.index(r, 0).data()) for r in range(3)]
    assert cosines == sorted(cosines, reverse=True)

    dialogs.save_to = tmp_path / "out"
    written = {fmt: compare.export(fmt) for fmt in ("json", "csv", "npy")}
    assert dialogs.save_prompts == ["vectors.json", "vectors.csv", "vectors.npy"]
    data = json.loads(written["json"].read_text(encoding="utf-8"))  # type: ignore[union-attr]
    assert [row["text"] for row in data] == TEXTS and len(data[0]["vector"]) == 64
    with written["csv"].open(encoding="utf-8", newline="") as handle:  # type: ignore[union-attr]
        rows = list(csv.reader(handle))
    assert rows[0][:2] == ["text", "d0"] and len(rows) == 4 and rows[1][0] == TEXTS[0]
    matrix = np.load(written["npy"])  # type: ignore[arg-type]
    assert matrix.shape == (3, 64) and np.allclose(matrix, compare.vectors.matrix)
    dialogs.save_to = None
    assert compare.export("csv") is None  # the user closed the picker

    picker.unload_button.click()
    qtbot.waitUntil(lambda: not page.runner.busy, timeout=WAIT_MS)
    assert picker.embedder is None and window.supervisor.handle(EngineRole.EMBEDDING) is None
    assert not compare.embed_button.isEnabled()


@pytest.fixture
def page(services: Services, shared_embedder: EngineEmbedder, dialogs: SavingDialogs,
         qtbot: Any) -> Iterator[EmbeddingsPage]:
    supervisor = EngineSupervisor(services.paths)  # never started here: the shared engine is handed in
    page = EmbeddingsPage(services, supervisor, dialogs)
    qtbot.addWidget(page)
    page.picker._set_embedder(shared_embedder)
    page.tabs.setCurrentWidget(page.documents)
    yield page
    page.picker.embedder = None  # the shared engine outlives this page
    page.shutdown()


def index_and_wait(tab: DocumentsTab, qtbot: Any, rebuild: bool = False) -> None:
    assert tab.index(rebuild=rebuild)
    qtbot.waitUntil(lambda: not tab._runner.busy, timeout=60_000)


def test_collection_index_search_report_and_open(page: EmbeddingsPage, dialogs: SavingDialogs,
                                                 tmp_path: Path, qtbot: Any) -> None:
    docs = make_document_set(tmp_path / "docs")
    tab = page.documents
    dialogs.folder = docs["notes"].parent
    tab.name_field.setText("notes")
    tab.create_button.click()
    assert tab.collections.rowCount() == 1 and tab.current_name() == "notes"
    assert tab.collections.rows[0].model == page.picker.embedder.model_id  # type: ignore[union-attr]
    assert tab.collections.index(0, 3).data() == page.picker.embedder.model_id  # not in this Library

    progress: list[tuple[int, int, str]] = []
    page.runner.progress.connect(lambda done, total, text: progress.append((done, total, text)))
    index_and_wait(tab, qtbot)
    assert tab.last_report is not None and tab.last_report.added == 6 and tab.last_report.skipped == 3
    assert progress and progress[-1][:2] == (9, 9)
    row = tab.collections.rows[0]
    assert (row.files_indexed, row.files_skipped, row.dimension) == (6, 3, 64)
    reasons = {Path(r.path).name: r.reason for _shown, r in tab.report.rows}
    assert reasons["image.bin"] == "binary file (not text)" and set(reasons) == {"image.bin", "locked.pdf",
                                                                                 "empty.txt"}
    assert tab.right_tabs.tabText(1) == "Skipped files (3)"

    panel = tab.search_panel
    panel.search_field.setText("tomatoes water")
    panel.search_button.click()
    qtbot.waitUntil(lambda: panel.hits.rowCount() > 0, timeout=WAIT_MS)
    first = panel.hits.rows[0]
    assert first.display_path == "docs/notes.md" and first.vector_score is not None
    assert panel.hits.index(0, 0).data() == "docs/notes.md" and panel.hits.index(0, 1).data().startswith("line")
    assert "docs/notes.md" in panel.preview.text() and "tomatoes" in panel.preview.text().lower()
    panel.open_button.click()
    assert dialogs.opened == [Path(first.chunk.path)]

    extra = tmp_path / "extra.txt"
    extra.write_text("Pea soup with mint and tomatoes.", encoding="utf-8")
    dialogs.chosen_files = [extra]
    tab.add_files_button.click()
    index_and_wait(tab, qtbot)
    assert tab.last_report is not None and tab.last_report.added == 1 and tab.last_report.unchanged == 9


class GatedEmbedder:
    """Wraps an embedder and holds its second call until released, so a test can cancel mid-index."""

    def __init__(self, inner: EngineEmbedder) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dimension = inner.dimension
        self.max_tokens = inner.max_tokens
        self.calls = 0
        self.reached = threading.Event()
        self.release = threading.Event()

    def embed(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        if self.calls == 2:
            self.reached.set()
            self.release.wait(30)
        return self.inner.embed(texts)

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)


def test_cancel_mid_index_then_reindex_completes(page: EmbeddingsPage, shared_embedder: EngineEmbedder,
                                                 tmp_path: Path, qtbot: Any) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(90):
        (folder / f"note-{number:03}.txt").write_text(f"Note {number}: seeds, soil and water.", encoding="utf-8")
    tab = page.documents
    assert tab.create("many", [folder])
    gated = GatedEmbedder(shared_embedder)
    page.picker.embedder = gated  # type: ignore[assignment]
    assert tab.index()
    qtbot.waitUntil(gated.reached.is_set, timeout=WAIT_MS)
    with qtbot.waitSignal(page.runner.busy_changed, timeout=WAIT_MS):
        page.strip.cancel_button.click()
        gated.release.set()
    partial = tab.collections.rows[0]
    assert 0 < partial.files_indexed < 90
    with DocumentStore(page.store.path) as check:
        assert check.integrity_check() == "ok"

    page.picker.embedder = shared_embedder
    index_and_wait(tab, qtbot)
    report = tab.last_report
    assert report is not None and report.unchanged == partial.files_indexed
    assert report.added == 90 - partial.files_indexed
    assert tab.collections.rows[0].files_indexed == 90
