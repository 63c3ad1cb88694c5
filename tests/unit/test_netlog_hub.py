"""Hub traffic made through huggingface_hub's client lands in the network log, tokens excluded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hearth.core.hub import HubClient
from hearth.core.hub_cache import HubCache
from hearth.core.netlog import NETWORK_LOG
from hearth.core.paths import Paths
from tests.helpers.hub_emulator import HubEmulator
from tests.helpers.hub_publish import publish_tiny


def test_search_and_detail_are_logged_without_the_token(hub: HubEmulator, paths: Paths,
                                                         tiny_gguf: Callable[..., Path]) -> None:
    publish_tiny(hub, tiny_gguf, "org/netlog-GGUF")
    token = "hf_netlogSecretValue123"
    client = HubClient(HubCache(paths.cache / "hub"), token=lambda: token)
    NETWORK_LOG.clear()
    client.search("netlog", page_size=5).next_page()
    client.repo_detail("org/netlog-GGUF", fresh=True)
    events = [e for e in NETWORK_LOG.events() if e.source == "hub"]
    paths_seen = [e.path for e in events]
    assert any(p.startswith("/api/models?") and "search=netlog" in p for p in paths_seen)
    assert any(p.startswith("/api/models/org/netlog-GGUF") for p in paths_seen)
    assert all(e.status == 200 and e.loopback and e.method == "GET" for e in events)
    assert token not in repr(NETWORK_LOG.events())
