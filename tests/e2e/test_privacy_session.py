"""Privacy, proven end to end: a whole offline session sends nothing out, and no secret reaches a file.

Both sessions run the real pieces: the Hub client against the loopback
emulator, engine processes on a tiny model, the chat store and its export,
with the offline guard installed as the app installs it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from hearth.cli.main import main
from hearth.core import chat_transfer, privacy, secrets
from hearth.core.chats import ChatStore
from hearth.core.hub import HubClient
from hearth.core.hub_errors import OfflineError
from hearth.core.netguard import GUARD
from hearth.core.netlog import NETWORK_LOG
from hearth.core.services import Services
from hearth.engine.client import SamplingParams
from hearth.engine.load_settings import LoadSettings, resolve_load_settings
from hearth.engine.remote import RemoteEngines
from hearth.engine.supervisor import EngineRole, EngineSupervisor
from tests.helpers.engines import entry_for
from tests.helpers.hub_emulator import HubEmulator
from tests.helpers.hub_publish import publish_tiny

pytestmark = [pytest.mark.e2e, pytest.mark.llama]

TOKEN = "hf_PrivacyProbeToken0123456789abcdef"
REMOTE_KEY = "sk-remote-PrivacyProbeKey-9876543210"


@pytest.fixture
def guarded(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(privacy.OFFLINE_ENV, raising=False)
    NETWORK_LOG.clear()
    yield
    privacy.apply_to_hub_client(False)
    NETWORK_LOG.clear()


def chat_and_export(supervisor: EngineSupervisor, services: Services, model: Path, target: Path) -> str:
    """Load ``model``, chat one reply, keep it in the chat store and export the conversation."""
    entry = entry_for(model)
    handle = supervisor.start(entry, resolve_load_settings(entry, LoadSettings(context_length=512, threads=1)))
    with handle.client(timeout=60) as client:
        reply = client.chat([{"role": "user", "content": "hello"}], SamplingParams(max_tokens=4, seed=1)).text
    with ChatStore.open(services.paths) as store:
        conversation = store.create_conversation("Private talk")
        store.add_message(conversation.id, "user", "hello")
        store.add_message(conversation.id, "assistant", reply)
        chat_transfer.write_export(store, conversation.id, target)
    return reply


def test_a_whole_offline_session_sends_nothing_out(hub: HubEmulator, tiny_gguf: Callable[..., Path],
                                                   services: Services, guarded: None, tmp_path: Path) -> None:
    publish_tiny(hub, tiny_gguf, "acme/tiny-GGUF")
    privacy.start_guard(services.paths.logs, services.settings.settings)
    hub_client = HubClient.from_services(services)
    online = hub_client.search("tiny").next_page()  # fills the cache, as browsing Discover does
    hub_client.repo_detail("acme/tiny-GGUF")
    assert [r.id for r in online.items] == ["acme/tiny-GGUF"]

    privacy.set_offline(True, services.settings)
    NETWORK_LOG.clear()
    hub.clear_log()

    cached = hub_client.search("tiny").next_page()
    assert [r.id for r in cached.items] == ["acme/tiny-GGUF"] and cached.from_cache
    assert hub_client.repo_detail("acme/tiny-GGUF").from_cache
    with pytest.raises(OfflineError):
        hub_client.search("never searched").next_page()

    with EngineSupervisor(services.paths) as supervisor:
        reply = chat_and_export(supervisor, services, tiny_gguf("chat.gguf"), tmp_path / "chat.md")
        embedder = entry_for(tiny_gguf("embed.gguf", extra={"llama.pooling_type": 1}))
        handle = supervisor.start(embedder, resolve_load_settings(embedder, LoadSettings(threads=1), embedding=True),
                                  role=EngineRole.EMBEDDING)
        with handle.client(timeout=60) as client:
            assert len(client.embed(["a private sentence"])) == 1
        engine_logs = [supervisor.handle(role).log_path for role in EngineRole]  # type: ignore[union-attr]
    assert reply in (tmp_path / "chat.md").read_text(encoding="utf-8")

    assert NETWORK_LOG.events(loopback=False) == [], "not one socket left this computer"
    assert hub.requests() == []
    engine_requests = [e for e in NETWORK_LOG.events(loopback=True) if e.source == "engine"]
    assert {e.path for e in engine_requests} >= {"/v1/chat/completions", "/v1/embeddings"}
    for log_path in engine_logs:
        text = log_path.read_text(encoding="utf-8")
        assert "hearth engine: offline mode on" in text, "each engine child installed the guard, offline"
        assert "hearth engine: network" not in text, "and saw no outside connection"
    assert GUARD.offline


def test_no_secret_reaches_a_file(hub: HubEmulator, tiny_gguf: Callable[..., Path], services: Services,
                                  guarded: None, hearth_home: Path, memory_keyring: Any,
                                  capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from hearth.core.downloads import transfer

    monkeypatch.setattr(transfer, "SPACE_MARGIN", 0)
    publish_tiny(hub, tiny_gguf, "meta/Gated-GGUF", gated="auto")
    hub.add_token(TOKEN, grant=["meta/Gated-GGUF"])  # the download only works if the token is sent
    secrets.set_token(TOKEN)
    RemoteEngines(services.settings).add("lan", "http://127.0.0.1:9/v1", api_key=REMOTE_KEY)

    assert main(["search", "Gated"]) == 0
    assert main(["pull", "meta/Gated-GGUF", "tiny-Q8_0.gguf"]) == 0, capsys.readouterr().err
    capsys.readouterr()
    model = next((hearth_home / "data" / "models").rglob("tiny-Q8_0.gguf"))
    with EngineSupervisor(services.paths) as supervisor:
        chat_and_export(supervisor, services, model, hearth_home / "exports" / "chat.json")

    assert (hearth_home / "logs" / "network.jsonl").is_file()
    files = [p for p in hearth_home.rglob("*") if p.is_file()]
    assert len(files) > 5
    for secret in (TOKEN, REMOTE_KEY):
        needle = secret.encode()
        leaks = [p for p in files if needle in p.read_bytes()]
        assert leaks == [], f"a secret was written to {leaks}"
        assert all(secret not in str(e.to_json()) for e in NETWORK_LOG.events())


def test_engines_listen_on_loopback_only_and_require_their_key(tiny_gguf: Callable[..., Path],
                                                                services: Services) -> None:
    import http.client
    from urllib.parse import urlsplit

    entry = entry_for(tiny_gguf("exposed.gguf"))
    with EngineSupervisor(services.paths) as supervisor:
        handle = supervisor.start(entry, resolve_load_settings(entry, LoadSettings(context_length=512, threads=1)))
        url = urlsplit(handle.endpoint.base_url)
        assert url.hostname == "127.0.0.1", "never 0.0.0.0: other machines cannot reach the engine"
        answers = {}
        for name, headers in (("none", {}), ("wrong", {"Authorization": "Bearer wrong"}),
                              ("right", {"Authorization": f"Bearer {handle.endpoint.api_key}"})):
            connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
            connection.request("GET", "/v1/models", headers=headers)
            answers[name] = connection.getresponse().status
            connection.close()
    assert answers == {"none": 401, "wrong": 401, "right": 200}
