"""The shared write transaction: commit on success, roll back on any error, one-line store errors."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from hearth.core.errors import HearthError
from hearth.core.sqlite_tx import write_transaction


def _db() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    conn.execute("CREATE TABLE t (x INTEGER UNIQUE)")
    return conn


def _describe(stage: str, exc: sqlite3.Error) -> HearthError:
    return HearthError(f"{stage}: {exc}")


def test_commit_and_rollback() -> None:
    conn, lock = _db(), threading.Lock()
    with write_transaction(conn, lock, _describe) as db:
        db.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(RuntimeError), write_transaction(conn, lock, _describe) as db:
        db.execute("INSERT INTO t VALUES (2)")
        raise RuntimeError("boom")
    with pytest.raises(HearthError, match="^write: UNIQUE constraint failed"):
        with write_transaction(conn, lock, _describe) as db:
            db.execute("INSERT INTO t VALUES (3)")
            db.execute("INSERT INTO t VALUES (1)")
    assert [r[0] for r in conn.execute("SELECT x FROM t")] == [1]
    assert not conn.in_transaction


def test_a_transaction_already_open_is_reported_as_a_begin_failure() -> None:
    conn, lock = _db(), threading.Lock()
    conn.execute("BEGIN")
    with pytest.raises(HearthError, match="^begin: "):
        with write_transaction(conn, lock, _describe):
            pass
