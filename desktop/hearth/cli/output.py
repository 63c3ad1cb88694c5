"""Terminal output helpers shared by every command: JSON, tables, a progress bar."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from hearth.core.units import human_bytes


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2)
    sys.stdout.write("\n")


def print_table(rows: Sequence[Sequence[object]]) -> None:
    """Print rows as aligned columns; the first row is the header."""
    if not rows:
        return
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())


def print_badges(badges: Sequence[dict[str, Any]]) -> None:
    """The risk badges (as ``Badge.to_json()`` dicts) as a readable table."""
    print_table([("CHECK", "LEVEL", "RESULT", "EVIDENCE")]
                + [(b["key"], b["level"], b["label"], b["evidence"]) for b in badges])


class ProgressBar:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal.

    By default it counts bytes ("1.2 GB / 4.0 GB"); with ``unit`` it counts items
    ("12/40 files") and shows the task's detail line after them.
    """

    def __init__(self, label: str = "", unit: str | None = None) -> None:
        self.label = label
        self.unit = unit
        self.enabled = sys.stderr.isatty()
        self._drawn = False

    def __call__(self, done: int, total: int, detail: str = "") -> None:
        if not self.enabled:
            return
        filled = int(30 * done / total) if total else 30
        bar = "#" * filled + "." * (30 - filled)
        if self.unit is None:
            text = f"\r{self.label}[{bar}] {human_bytes(done)} / {human_bytes(total)}"
        else:  # padded so a shorter detail overwrites a longer one
            text = f"\r{self.label}[{bar}] {done}/{total} {self.unit} · {detail}"[:119].ljust(119)
        sys.stderr.write(text)
        sys.stderr.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            sys.stderr.write("\n")
            self._drawn = False

    def callback(self) -> Callable[[int, int, str], None] | None:
        return self if self.enabled else None
