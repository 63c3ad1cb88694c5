"""Helpers for tests that start real engine processes: library entries for loose files, waiting on logs."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from hearth.core.gguf_facts import read_facts
from hearth.core.model_entry import ModelEntry, ModelSource, model_id


def entry_for(path: Path) -> ModelEntry:
    """A ModelEntry for a .gguf outside any library, as ``hearth chat PATH`` builds one."""
    path = path.resolve()
    facts = read_facts(path)
    return ModelEntry(id=model_id(path), path=path, parts=[path], size_bytes=facts.file_size, added_at="",
                      source=ModelSource(kind="test"), folder=path.parent, facts=facts)


def wait_until(condition: Callable[[], bool], timeout: float = 20.0, step: float = 0.02) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` passes; returns whether it held."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(step)
    return True
