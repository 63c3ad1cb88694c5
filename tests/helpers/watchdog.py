"""A guard for tests whose failure mode is a hang: abort the run loudly instead of waiting forever."""

from __future__ import annotations

import faulthandler
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def watchdog(seconds: float = 60) -> Iterator[None]:
    """After ``seconds``, print every thread's stack and exit the test process."""
    faulthandler.dump_traceback_later(seconds, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
