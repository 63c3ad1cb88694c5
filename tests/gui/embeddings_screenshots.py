"""Renders the Embeddings page screenshots: the heatmap of five texts, and a document search.

Run under a display (or ``xvfb-run``, or ``QT_QPA_PLATFORM=offscreen``):

    python -m tests.gui.embeddings_screenshots OUT_DIR

It writes embeddings-heatmap.png and documents-search.png (light) and their
``-dark`` twins, each 1280×800, from a throwaway data folder holding a tiny
embedding model; the engine really runs, so the numbers are real (if not wise).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QElapsedTimer
from PySide6.QtWidgets import QApplication

from hearth.app import create_application, create_main_window
from hearth.core.services import Services
from hearth.ui.main_window import MainWindow
from tests.helpers.documents import make_document_set
from tests.helpers.gguf_factory import write_tiny_gguf

SIZE = (1280, 800)
TEXTS = [
    "The cat sat on the mat.",
    "A kitten is sleeping on the rug.",
    "Stock markets fell sharply on Monday.",
    "Shares dropped as investors worried about rates.",
    "Water the tomatoes every morning in summer.",
]


def wait(app: QApplication, condition: Callable[[], bool], timeout_ms: int = 60_000) -> None:
    timer = QElapsedTimer()
    timer.start()
    while not condition():
        if timer.elapsed() > timeout_ms:
            raise TimeoutError("the page did not get there in time")
        app.processEvents()


def settle(app: QApplication, ms: int = 300) -> None:
    timer = QElapsedTimer()
    timer.start()
    while timer.elapsed() < ms:
        app.processEvents()


def shoot(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = create_application([])
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["HEARTH_HOME"] = str(root / "home")
        services = Services.open()
        write_tiny_gguf(services.paths.models / "nomic-embed-text-v1.5.Q8_0.gguf", name="Nomic Embed Text v1.5",
                        license="apache-2.0", quant="Q8_0", n_embd=64, extra={"llama.pooling_type": 1})
        services.library.scan()
        docs = make_document_set(root / "Documents" / "garden")
        window: MainWindow = create_main_window(services)
        window.resize(*SIZE)
        window.show()
        wait(app, lambda: not window.library.runner.busy)
        window.show_page("embeddings")
        page = window.embeddings
        page.picker.load()
        wait(app, lambda: page.picker.embedder is not None)
        page.compare.editor.setPlainText("\n".join(TEXTS))
        page.compare.embed()
        wait(app, lambda: page.compare.vectors.rowCount() == len(TEXTS))
        tab = page.documents
        tab.create("Garden notes", [docs["notes"].parent])
        tab.index()
        wait(app, lambda: not page.runner.busy)
        tab.search_panel.search_field.setText("when to water tomatoes")
        tab.search_panel.search()
        wait(app, lambda: tab.search_panel.hits.rowCount() > 0)
        window.message_bar.dismiss()
        for theme in ("light", "dark"):
            window.theme.set_preference(theme)
            suffix = "" if theme == "light" else "-dark"
            page.tabs.setCurrentWidget(page.compare)
            settle(app)
            window.grab().save(str(out / f"embeddings-heatmap{suffix}.png"))
            page.tabs.setCurrentWidget(tab)
            settle(app)
            window.grab().save(str(out / f"documents-search{suffix}.png"))
        window.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    shoot(parser.parse_args().out)


if __name__ == "__main__":
    main()
