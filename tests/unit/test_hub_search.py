"""Searching the Hub through the real huggingface_hub client against the loopback emulator."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hearth.core import hub_http
from hearth.core.hub import HubClient
from hearth.core.hub_cache import HubCache
from hearth.core.hub_errors import NetworkError, OfflineError
from hearth.core.paths import Paths
from tests.helpers.hub_emulator import HubEmulator
from tests.helpers.hub_publish import publish_tiny


@pytest.fixture
def client(paths: Paths) -> HubClient:
    return HubClient(HubCache(paths.cache / "hub"), token=lambda: None)


@pytest.fixture
def five(hub: HubEmulator, tiny_gguf: Callable[..., Path]) -> HubEmulator:
    """Five GGUF repos with distinct downloads, likes, trending and dates, plus one non-GGUF repo."""
    for i, name in enumerate(["alpha", "bravo", "charlie", "delta", "echo"]):
        publish_tiny(hub, tiny_gguf, f"org{i % 2}/{name}-GGUF", downloads=100 * (i + 1), likes=50 - i,
                     trending_score=(i * 7) % 5, last_modified=f"2025-0{i + 1}-01T00:00:00.000Z")
    hub.add_repo("org0/safetensors-only", {"model.safetensors": b"x" * 10}, downloads=10_000)
    return hub


def ids(items: list) -> list[str]:
    return [i.id.split("/")[1].removesuffix("-GGUF") for i in items]


@pytest.mark.parametrize(("sort", "expected"), [
    ("downloads", ["echo", "delta", "charlie", "bravo", "alpha"]),
    ("likes", ["alpha", "bravo", "charlie", "delta", "echo"]),
    ("trending", ["charlie", "echo", "bravo", "delta", "alpha"]),
    ("updated", ["echo", "delta", "charlie", "bravo", "alpha"]),
])
def test_search_sorts_and_lists_gguf_repos_only(five: HubEmulator, client: HubClient, sort: str,
                                                expected: list[str]) -> None:
    session = client.search(sort=sort, page_size=10)  # type: ignore[arg-type]
    page = session.next_page()
    assert ids(page.items) == expected
    assert not page.has_more and not page.from_cache
    request = five.requests("/api/models")[0]
    assert "filter=gguf" in request.query and "expand=gguf" in request.query


def test_pages_load_on_demand_following_the_cursor(five: HubEmulator, client: HubClient) -> None:
    session = client.search("", sort="downloads", page_size=2)
    assert five.requests() == []  # nothing is sent until a page is asked for
    first = session.next_page()
    assert ids(first.items) == ["echo", "delta"] and first.has_more
    assert len(five.requests("/api/models")) == 1
    second = session.next_page()
    third = session.next_page()
    assert ids(second.items) == ["charlie", "bravo"] and ids(third.items) == ["alpha"]
    assert not session.has_more and len(session.items) == 5
    queries = [r.query for r in five.requests("/api/models")]
    assert len(queries) == 3 and "cursor=" not in queries[0] and all("cursor=" in q for q in queries[1:])
    with pytest.raises(IndexError):
        session.next_page()


def test_search_text_and_author_filter(five: HubEmulator, client: HubClient) -> None:
    assert ids(client.search("CHAR").next_page().items) == ["charlie"]
    assert sorted(ids(client.search(author="org1").next_page().items)) == ["bravo", "delta"]


def test_summary_carries_license_gate_and_gguf_facts(hub: HubEmulator, tiny_gguf: Callable[..., Path],
                                                     client: HubClient) -> None:
    publish_tiny(hub, tiny_gguf, "meta/Custom-GGUF", license="other", gated="manual", tags=["chat"],
                 card_data={"license_name": "custom-community", "license_link": "LICENSE",
                            "base_model": ["meta/Custom"]})
    (hit,) = client.search("custom").next_page().items
    assert (hit.license, hit.license_name, hit.license_link) == ("other", "custom-community", "LICENSE")
    assert hit.gated and hit.gate == "manual"
    assert hit.architecture == "llama" and hit.parameters and hit.parameters > 1000
    assert hit.context_length == 512 and hit.base_model == "meta/Custom"
    assert "gguf" in hit.tags and "chat" in hit.tags and hit.author == "meta"
    assert hit.last_modified and hit.last_modified.startswith("2025-")


def test_offline_sends_nothing_and_serves_the_cached_pages(five: HubEmulator, client: HubClient,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    online = client.search("", page_size=2)
    online.next_page()
    online.next_page()
    five.clear_log()
    monkeypatch.setenv("HEARTH_OFFLINE", "1")
    offline = client.search("", page_size=2)
    pages = [offline.next_page(), offline.next_page()]
    assert [ids(p.items) for p in pages] == [["echo", "delta"], ["charlie", "bravo"]]
    assert all(p.from_cache and p.fetched_at for p in pages)
    with pytest.raises(OfflineError, match="offline"):
        offline.next_page()  # the third page was never seen
    with pytest.raises(OfflineError):
        client.search("never searched").next_page()
    assert five.requests() == []


def test_unreachable_hub_falls_back_to_the_cache(five: HubEmulator, client: HubClient,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    client.search("echo").next_page()
    monkeypatch.setattr(hub_http, "API_RETRIES", 0)
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # nothing listens on the discard port
    page = client.search("echo").next_page()
    assert page.from_cache and ids(page.items) == ["echo"]
    with pytest.raises(NetworkError, match="^Could not reach the Hub"):
        client.search("bravo").next_page()


def test_settings_offline_switch_is_honoured(five: HubEmulator, paths: Paths) -> None:
    from hearth.core.settings import SettingsStore

    store = SettingsStore(paths.settings_file)
    store.settings.offline = True
    client = HubClient(HubCache(paths.cache / "hub"), settings=store, token=lambda: None)
    with pytest.raises(OfflineError):
        client.search("x").next_page()
    assert five.requests() == []


def test_bad_sort_is_refused_before_any_request(hub: HubEmulator, client: HubClient) -> None:
    with pytest.raises(ValueError, match="sort must be one of"):
        client.search("x", sort="stars")  # type: ignore[arg-type]
    assert hub.requests() == []
