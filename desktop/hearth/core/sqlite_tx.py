"""One write transaction on a shared SQLite connection, the way every Hearth store needs it.

``BEGIN IMMEDIATE`` takes the write lock up front (so a busy database fails
at once, not halfway), success commits, any error rolls back, and SQLite's own
errors become the store's one-line :class:`~hearth.core.errors.HearthError`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from hearth.core.errors import HearthError

#: describe(stage, error) -> the store's error; stage is "begin" or "write".
Describe = Callable[[str, sqlite3.Error], HearthError]


@contextmanager
def write_transaction(conn: sqlite3.Connection, lock: threading.Lock | threading.RLock,
                      describe: Describe) -> Iterator[sqlite3.Connection]:
    with lock:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise describe("begin", exc) from exc
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:  # a failed COMMIT may already have ended it
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise describe("write", exc) from exc
            raise
