"""Renders the README screenshots from a throwaway data folder full of tiny models.

Run under a display (or ``xvfb-run``):

    python -m tests.gui.screenshots OUT_DIR [--home DIR]

It writes library.png (light), library-dark.png, a problem model, an empty
library, a placeholder page and Settings, each 1280×800. With ``--home`` the
demo data lives in DIR as if it were the user's home folder (so the paths in
the pictures look like a real install); DIR is emptied afterwards.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QElapsedTimer
from PySide6.QtWidgets import QApplication

from hearth.app import create_application, create_main_window
from hearth.core.model_import import import_model
from hearth.core.services import Services
from hearth.ui.main_window import MainWindow
from tests.helpers.gguf_factory import write_split_gguf, write_tiny_gguf

SIZE = (1280, 800)


def populate(root: Path, services: Services) -> None:
    """Five tiny models with different names, licenses and quants, one split, one truncated."""
    source = root / "Downloads"
    kept = root / "Models"
    gemma = write_tiny_gguf(source / "gemma-3-270m-it-Q8_0.gguf", name="Gemma 3 270M Instruct",
                            license="gemma", quant="Q8_0", context_length=32768)
    qwen = write_tiny_gguf(source / "qwen2.5-0.5b-instruct-f16.gguf", name="Qwen2.5 0.5B Instruct",
                           license="apache-2.0", quant="F16", context_length=32768, n_embd=128, n_ff=256)
    write_tiny_gguf(kept / "SmolLM2-135M-Instruct-F32.gguf", name="SmolLM2 135M Instruct", license="apache-2.0",
                    quant="F32", context_length=8192, n_layer=3)
    write_split_gguf(kept / "phi", "Phi-3.5-mini-instruct-Q8_0", parts=3, name="Phi 3.5 Mini Instruct",
                     license="mit", quant="Q8_0")
    broken = write_tiny_gguf(kept / "llama-3.2-1b-instruct-Q8_0.gguf", name="Llama 3.2 1B Instruct",
                             license="llama3.2", quant="Q8_0", context_length=131072)
    with open(broken, "r+b") as handle:  # a download that stopped early
        handle.truncate(broken.stat().st_size * 2 // 3)
    import_model(services.library, gemma)
    import_model(services.library, qwen)
    services.library.add_folder(kept)
    services.library.scan()


def settle(app: QApplication, window: MainWindow, ms: int = 400) -> None:
    timer = QElapsedTimer()
    timer.start()
    while timer.elapsed() < ms or window.library.runner.busy:
        app.processEvents()


def shoot(out: Path, home: Path | None = None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = create_application()
    with tempfile.TemporaryDirectory() as tmp:
        if home is not None:
            root = home
            os.environ["HOME"] = str(home)
            for name in ("HEARTH_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
                os.environ.pop(name, None)
        else:
            root = Path(tmp)
            os.environ["HEARTH_HOME"] = str(root / "hearth")
        root.mkdir(parents=True, exist_ok=True)
        services = Services.open()
        empty = create_main_window(services)
        empty.resize(*SIZE)
        empty.show()
        settle(app, empty)
        empty.grab().save(str(out / "library-empty.png"))
        empty.close()
        populate(root, services)
        for theme in ("light", "dark"):
            services.settings.settings.theme = theme
            window = create_main_window(services)
            window.resize(*SIZE)
            window.show()
            window.show_page("library")
            settle(app, window)
            model = window.library.model
            target = next(e for e in model.entries() if e.name.startswith("Gemma"))
            window.library.select_entry(target.id)
            settle(app, window)
            suffix = "" if theme == "light" else "-dark"
            window.grab().save(str(out / f"library{suffix}.png"))
            broken = next(e for e in model.entries() if not e.usable)
            window.library.select_entry(broken.id)
            settle(app, window)
            window.grab().save(str(out / f"library-problem{suffix}.png"))
            for page in ("discover", "settings"):
                window.show_page(page)
                settle(app, window, 200)
                window.grab().save(str(out / f"{page}{suffix}.png"))
            window.close()
        if home is not None:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--home", type=Path, help="a throwaway folder to use as the home folder")
    args = parser.parse_args()
    shoot(args.out, args.home)
