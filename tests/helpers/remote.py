"""A real OpenAI-compatible server to add as a remote engine, and dialogs that answer the remote questions.

A Hearth engine process is llama-cpp-python's OpenAI server on 127.0.0.1 with
an API key: exactly what a remote llama.cpp server is, reached by address and key.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtWidgets import QWidget

from hearth.core.paths import Paths
from hearth.engine.load_settings import LoadSettings, resolve_load_settings
from hearth.engine.supervisor import EngineHandle, EngineSupervisor
from hearth.ui.remote.add_dialog import RemoteForm
from tests.helpers.chat_page import ChatDialogs
from tests.helpers.engines import entry_for
from tests.helpers.gguf_factory import write_tiny_gguf


@contextmanager
def remote_server(folder: Path) -> Iterator[EngineHandle]:
    """Start an engine on a tiny model; its ``endpoint`` (base URL and key) is the remote to add."""
    entry = entry_for(write_tiny_gguf(folder / "remote-tiny.gguf", name="Remote Tiny", context_length=2048))
    with EngineSupervisor(Paths.resolve(folder / "remote-home").ensure(), ready_timeout=120) as supervisor:
        yield supervisor.start(entry, resolve_load_settings(entry, LoadSettings(context_length=2048, threads=1)))


def dead_port() -> int:
    """A loopback port nothing listens on (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RemoteDialogs(ChatDialogs):
    """Canned answers for the Remote engines tab: the Add form, a new key, the removal question."""

    def __init__(self) -> None:
        super().__init__()
        self.remote_form: RemoteForm | None = None
        self.add_remote_calls: list[set[str]] = []
        self.secret_answer: str | None = None
        self.remove_remote_answer = True
        self.remove_remote_calls: list[str] = []

    def add_remote_engine(self, parent: QWidget | None, taken: set[str]) -> RemoteForm | None:
        self.add_remote_calls.append(set(taken))
        return self.remote_form

    def ask_secret(self, parent: QWidget | None, title: str, label: str) -> str | None:
        return self.secret_answer

    def confirm_remove_remote(self, parent: QWidget | None, name: str) -> bool:
        self.remove_remote_calls.append(name)
        return self.remove_remote_answer
