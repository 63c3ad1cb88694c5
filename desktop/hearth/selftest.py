"""``hearth --self-test``: proves an installed or frozen Hearth works, one step per line.

Each step prints ``OK <step>: <detail>`` or ``FAIL <step>: <reason>``; the run
stops at the first failure and exits non-zero. Everything happens in a
temporary data folder with a tiny model written on the spot, so the self-test
needs no network, no download and leaves nothing behind.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from hearth import __version__


class StepFailed(Exception):
    pass


class _Context:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.model: Path | None = None


def _step_qt(ctx: _Context) -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    # Qt's notes (e.g. the offscreen platform's) belong in the log, not between the OK lines.
    qt_log = logging.getLogger("qt")
    qInstallMessageHandler(lambda _mode, _context, message: qt_log.debug("%s", message))

    from hearth.app import create_main_window
    from hearth.core.services import Services

    app = QApplication.instance() or QApplication([])
    window = create_main_window(Services.open(ctx.home))
    window.show()
    app.processEvents()
    title = window.windowTitle()
    window.close()
    return f"Qt {app.platformName()} platform, window '{title}' shown"


def _step_gguf(ctx: _Context) -> str:
    from hearth.core.gguf_facts import read_facts
    from hearth.core.tiny_model import write_tiny_gguf

    ctx.model = write_tiny_gguf(ctx.home / "selftest.gguf", name="Self Test")
    facts = read_facts(ctx.model)
    if facts.architecture != "llama" or not facts.parameters:
        raise StepFailed(f"unexpected facts: {facts.architecture}, {facts.parameters} parameters")
    return f"{facts.parameters:,} parameters, {facts.quantization}, {facts.context_length} context"


def _step_engine(ctx: _Context) -> str:
    from hearth.engine.selfcheck import generate_once

    assert ctx.model is not None
    text, seconds = generate_once(ctx.model, ctx.home)
    return f"engine process generated {len(text)} characters in {seconds:.1f} s"


def _step_embed(ctx: _Context) -> str:
    from hearth.core.tiny_model import write_tiny_gguf
    from hearth.engine.selfcheck import embed_once

    # Mean pooling makes the tiny model an embedding model: one vector per text.
    model = write_tiny_gguf(ctx.home / "selftest-embed.gguf", name="Self Test Embed",
                            extra={"llama.pooling_type": 1})
    dims, seconds = embed_once(model, ctx.home)
    return f"embedded a text into {dims} dimensions in {seconds:.1f} s"


STEPS: list[tuple[str, Callable[[_Context], str]]] = [
    ("qt", _step_qt),
    ("gguf", _step_gguf),
    ("engine", _step_engine),
    ("embed", _step_embed),
]


def run_self_test(out: TextIO) -> int:
    print(f"Hearth {__version__} self-test", file=out)
    with tempfile.TemporaryDirectory(prefix="hearth-selftest-") as tmp:
        ctx = _Context(Path(tmp))
        for name, step in STEPS:
            started = time.perf_counter()
            try:
                detail = step(ctx)
            except Exception as exc:  # any failure is reported as this step's, in one line
                reason = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
                print(f"FAIL {name}: {reason}", file=out)
                return 1
            print(f"OK {name}: {detail} ({time.perf_counter() - started:.1f} s)", file=out)
    return 0
