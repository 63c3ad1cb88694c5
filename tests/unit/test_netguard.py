"""The offline guard refuses every non-loopback socket and records what it saw.

"0.0.0.0" stands in for an outside address: the guard treats it as leaving the
machine, while a guard that failed would only reach this machine's own listener.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from hearth.core.netguard import GUARD, OfflineBlocked
from hearth.core.netlog import NETWORK_LOG


@pytest.fixture
def guard() -> Iterator[None]:
    GUARD.install()
    NETWORK_LOG.clear()
    yield
    GUARD.set_offline(False)
    NETWORK_LOG.clear()


@pytest.fixture
def listener() -> Iterator[int]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    yield server.getsockname()[1]
    server.close()


def test_offline_blocks_a_non_loopback_connect_before_it_happens(guard: None, listener: int) -> None:
    GUARD.set_offline(True)
    sock = socket.socket()
    with pytest.raises(OfflineBlocked, match="offline"):
        sock.connect(("0.0.0.0", listener))
    sock.close()
    blocked = [e for e in NETWORK_LOG.events() if e.blocked]
    assert [(e.host, e.port, e.method) for e in blocked] == [("0.0.0.0", listener, "CONNECT")]


def test_offline_blocks_name_lookups_that_could_leak(guard: None) -> None:
    GUARD.set_offline(True)
    with pytest.raises(OfflineBlocked):
        socket.getaddrinfo("0.0.0.0", 80)
    assert NETWORK_LOG.events()[-1].method == "RESOLVE"


def test_loopback_is_allowed_offline_and_not_logged_as_leaving(guard: None, listener: int) -> None:
    GUARD.set_offline(True)
    with socket.create_connection(("127.0.0.1", listener), timeout=2):
        pass
    with socket.create_connection(("localhost", listener), timeout=2):
        pass
    assert [e for e in NETWORK_LOG.events() if not e.loopback] == []


def test_online_records_outside_connections_without_blocking(guard: None, listener: int) -> None:
    GUARD.set_offline(False)
    with socket.create_connection(("0.0.0.0", listener), timeout=2):
        pass
    events = NETWORK_LOG.events(loopback=False)
    assert [(e.host, e.blocked) for e in events] == [("0.0.0.0", False)]
