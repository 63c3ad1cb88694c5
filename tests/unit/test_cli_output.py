"""The terminal progress bar: bytes by default, items with a unit, silent when not a terminal."""

from __future__ import annotations

import io

import pytest

from hearth.cli.output import ProgressBar


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bytes_and_items(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    bar = ProgressBar("Importing ")
    bar(500_000, 1_000_000)
    assert "Importing [###############...............] 500.00 KB / 1.00 MB" in terminal.getvalue()
    items = ProgressBar(unit="files")
    items(12, 40, "notes/garden.txt")
    line = terminal.getvalue().rsplit("\r", 1)[1]
    assert "12/40 files · notes/garden.txt" in line and len(line) == 118  # 119 with the leading carriage return
    items.close()
    assert terminal.getvalue().endswith("\n")


def test_nothing_is_drawn_when_stderr_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    pipe = io.StringIO()
    monkeypatch.setattr("sys.stderr", pipe)
    bar = ProgressBar(unit="files")
    bar(1, 2, "x")
    bar.close()
    assert pipe.getvalue() == "" and bar.callback() is None
