"""The engine half of ``hearth --self-test``: start a real engine process, generate, embed.

Both go through the same supervisor and client the app uses, so a frozen build
that passes has proved it can start ``hearth engine`` from its own executable.
"""

from __future__ import annotations

import time
from pathlib import Path

from hearth.core.library import Library
from hearth.core.model_entry import ModelEntry
from hearth.core.paths import Paths
from hearth.core.settings import SettingsStore
from hearth.engine.client import SamplingParams
from hearth.engine.embedder import EngineEmbedder
from hearth.engine.supervisor import EngineSupervisor

READY_TIMEOUT_S = 120.0


def _entry(model: Path, home: Path) -> tuple[Paths, ModelEntry]:
    paths = Paths.resolve(home).ensure()
    library = Library(paths, SettingsStore(paths.settings_file))
    return paths, library.add_paths([model])


def generate_once(model: Path, home: Path) -> tuple[str, float]:
    """Generate a few tokens in an engine process; returns (text, seconds)."""
    paths, entry = _entry(model, home)
    supervisor = EngineSupervisor(paths, ready_timeout=READY_TIMEOUT_S)
    started = time.perf_counter()
    try:
        client = supervisor.start(entry).client()
        result = client.chat([{"role": "user", "content": "Say hello."}], SamplingParams(max_tokens=8, seed=1))
        if result.stats.completion_tokens < 1:
            raise RuntimeError("the engine answered with no tokens")
        return result.text, time.perf_counter() - started
    finally:
        supervisor.close()


def embed_once(model: Path, home: Path) -> tuple[int, float]:
    """Embed one text in an embedding engine process; returns (dimensions, seconds)."""
    paths, entry = _entry(model, home)
    supervisor = EngineSupervisor(paths, ready_timeout=READY_TIMEOUT_S)
    started = time.perf_counter()
    try:
        embedder = EngineEmbedder.start(supervisor, entry)
        (vector,) = embedder.embed(["Hearth keeps your models on your own computer."])
        if not vector or not any(vector):
            raise RuntimeError("the engine returned an empty vector")
        return len(vector), time.perf_counter() - started
    finally:
        supervisor.close()
