"""Killing a writer at any moment (kill -9) loses no committed message and never corrupts the database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from hearth.core.chats import ChatStore

REPO = Path(__file__).resolve().parents[2]


def _run_and_kill(db: Path, after: int) -> list[int]:
    """Start a writer, SIGKILL it once it has reported ``after`` commits; return every id it reported."""
    writer = subprocess.Popen([sys.executable, "-m", "tests.helpers.chat_writer", str(db)], cwd=REPO,
                              stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None
    committed: list[int] = []
    try:
        for line in writer.stdout:
            if line.startswith("committed "):
                committed.append(int(line.split()[1]))
                if len(committed) >= after:
                    break
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(30)
        writer.stdout.close()
    assert writer.returncode == -signal.SIGKILL
    return committed


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("after", [1, 37, 150])
def test_kill_9_mid_stream_keeps_every_commit(tmp_path: Path, after: int) -> None:
    db = tmp_path / "chats.sqlite3"
    committed = _run_and_kill(db, after)
    second = _run_and_kill(db, 5)  # a second writer after the crash, on the same file
    with ChatStore(db) as store:
        assert store.integrity_ok()
        assert store.notice is None
        ids = {m.id for c in store.conversations() for m in store.messages(c.id)}
        assert set(committed) <= ids and set(second) <= ids
        assert len(store.conversations()) == 2
        assert store.search("message")  # the full-text index survived too
        rows = store._read("INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')")
        assert rows == []
