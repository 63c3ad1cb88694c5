"""GUI fixtures: a main window on a temp data folder, dialogs with canned answers, fake entries."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from hearth.app import create_main_window
from hearth.core.badges import Badge
from hearth.core.gguf_facts import GGUFFacts
from hearth.core.model_entry import ModelEntry, ModelSource, model_id
from hearth.core.services import Services
from hearth.ui.dialogs import Dialogs
from hearth.ui.main_window import MainWindow

WAIT_MS = 15_000
#: Qt's offscreen platform warns about this whenever a window with a layout is shown.
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


class FakeDialogs(Dialogs):
    """Answers every question the GUI asks without showing a dialog, and remembers the questions."""

    def __init__(self) -> None:
        self.confirm_answer = True
        self.confirm_calls: list[list[ModelEntry]] = []
        self.files: list[Path] = []
        self.file_prompts = 0
        self.folder: Path | None = None
        self.opened: list[Path] = []
        self.open_result = True
        self.risky_answer = False  # like the real dialog's default button: Cancel
        self.risky_calls: list[tuple[str, list[Badge]]] = []
        self.lan_answer = False  # like the real dialog's default button: Cancel
        self.lan_calls = 0

    def confirm_remove(self, parent: QWidget | None, entries: Sequence[ModelEntry]) -> bool:
        self.confirm_calls.append(list(entries))
        return self.confirm_answer

    def confirm_risky_load(self, parent: QWidget | None, name: str, dangers: Sequence[Badge]) -> bool:
        self.risky_calls.append((name, list(dangers)))
        return self.risky_answer

    def confirm_lan_access(self, parent: QWidget | None) -> bool:
        self.lan_calls += 1
        return self.lan_answer

    def choose_model_files(self, parent: QWidget | None) -> list[Path]:
        self.file_prompts += 1
        return list(self.files)

    def choose_folder(self, parent: QWidget | None, title: str = "") -> Path | None:
        return self.folder

    def open_folder(self, path: Path) -> bool:
        self.opened.append(path)
        return self.open_result


@pytest.fixture
def dialogs() -> FakeDialogs:
    return FakeDialogs()


@pytest.fixture
def make_window(qtbot: Any, dialogs: FakeDialogs) -> Iterator[Callable[..., MainWindow]]:
    """Factory: a main window over ``services`` whose startup scan has finished."""
    made: list[MainWindow] = []

    def make(services: Services | None = None, *, show: bool = False) -> MainWindow:
        window = create_main_window(services or Services.open(), dialogs=dialogs)
        qtbot.addWidget(window)
        made.append(window)
        if show:
            window.show()
            qtbot.waitExposed(window)
        wait_idle(qtbot, window)
        return window

    yield make
    for window in made:
        window.library.shutdown()


@pytest.fixture
def window(make_window: Callable[..., MainWindow], services: Services) -> MainWindow:
    return make_window(services)


def wait_idle(qtbot: Any, window: MainWindow) -> None:
    """Wait until the library page has no task running or queued."""
    qtbot.waitUntil(lambda: not window.library.runner.busy, timeout=WAIT_MS)


def fake_entry(name: str, *, parameters: int = 1_000_000, size: int = 1_000, context: int | None = 4096,
               quant: str | None = "Q8_0", license: str | None = "mit", arch: str | None = "llama",
               folder: str = "/models", problems: Sequence[str] = (), broken: bool = False,
               source: ModelSource | None = None) -> ModelEntry:
    """A ModelEntry that exists only in memory (for table model tests)."""
    path = Path(folder) / f"{name.lower().replace(' ', '-')}.gguf"
    facts = None if broken else GGUFFacts(
        path=str(path), file_size=size, gguf_version=3, architecture=arch, name=name,
        parameters=parameters, quantization=quant, context_length=context, license=license,
        problems=list(problems), metadata={"general.name": name, "general.architecture": arch or ""},
    )
    return ModelEntry(
        id=model_id(path), path=path, parts=[path], size_bytes=size, added_at="2025-01-01T00:00:00+00:00",
        source=source or ModelSource(), folder=Path(folder), facts=facts,
        error="not a GGUF file (the first bytes are not 'GGUF')" if broken else None,
    )
