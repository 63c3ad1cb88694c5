"""Remote engines against a real OpenAI-compatible server (a Hearth engine process added by address and key).

Also: the remembered model lists in Settings, and the one-line reasons a check
fails (wrong key, no key, nothing listening, unknown host, not OpenAI-compatible,
timeout, offline).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest

from hearth.core.netguard import GUARD
from hearth.core.services import Services
from hearth.core.settings import Settings, SettingsStore
from hearth.engine.client import SamplingParams
from hearth.engine.endpoint import EngineEndpoint
from hearth.engine.errors import EngineError, EngineRequestError, EngineUnavailable
from hearth.engine.remote import RemoteEngines, remote_model_id, remote_model_label
from hearth.engine.remote_check import list_models
from hearth.engine.supervisor import EngineHandle
from hearth.engine.target import RemoteTarget
from tests.helpers.memory_keyring import MemoryKeyring as MemoryKeyringBase
from tests.helpers.remote import dead_port, remote_server

pytestmark = pytest.mark.llama

WORDS_ONLY = {2: -100.0} | {token: -100.0 for token in range(3, 259)}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineHandle]:
    with remote_server(tmp_path_factory.mktemp("remote")) as handle:
        yield handle


@pytest.fixture
def server(engine: EngineHandle) -> EngineEndpoint:
    return engine.endpoint


@pytest.fixture
def remotes(services: Services, memory_keyring: Any) -> RemoteEngines:
    return RemoteEngines(services.settings)


def test_a_real_server_added_by_address_and_key_lists_its_models_and_chats(
        remotes: RemoteEngines, server: EngineEndpoint, engine: EngineHandle, services: Services) -> None:
    assert server.api_key
    remotes.add("Box", server.base_url, api_key=server.api_key)
    assert remotes.get("Box").models == () and remotes.has_key("Box")
    models = remotes.check("Box")
    assert models == [engine.api_name]
    # Remembered in the settings file (without the key), so the picker needs no network at start.
    reread = RemoteEngines(SettingsStore(services.settings.path))
    reread.settings.load()
    assert reread.get("Box").models == tuple(models)
    text = services.settings.path.read_text(encoding="utf-8")
    assert server.api_key not in text and json.loads(text)["remote_engines"][0]["models"] == models
    target = RemoteTarget("Box", models[0], remotes.endpoint("Box"))
    assert target.model_id == remote_model_id("Box", models[0]) == f"remote:Box/{models[0]}"
    assert remote_model_label(target.model_id) == target.model_name == f"Box · {models[0]}"
    assert target.n_ctx is None and target.host == server.base_url.split("/")[2]
    with target.client(timeout=60) as client:
        result = client.chat([{"role": "user", "content": "hello"}],
                             SamplingParams(max_tokens=6, seed=1, logit_bias=WORDS_ONLY))
    assert result.text and result.stats.completion_tokens == 6


def test_a_wrong_or_missing_key_is_named(remotes: RemoteEngines, server: EngineEndpoint) -> None:
    remotes.add("Box", server.base_url, api_key="not-the-key")
    with pytest.raises(EngineRequestError, match=r"^Box refused the API key \(HTTP 401\): check the key$"):
        remotes.check("Box")
    assert remotes.get("Box").models == ()  # a failed check remembers nothing
    remotes.set_key("Box", None)
    assert not remotes.has_key("Box")
    with pytest.raises(EngineRequestError, match="Box needs an API key"):
        remotes.check("Box")
    assert server.api_key
    remotes.set_key("Box", server.api_key)
    assert remotes.check("Box")


def test_an_address_without_v1_is_not_an_openai_server(remotes: RemoteEngines, server: EngineEndpoint) -> None:
    root = server.base_url.removesuffix("/v1")
    remotes.add("Root", root, api_key=server.api_key)
    with pytest.raises(EngineRequestError, match="is not an OpenAI-compatible server.*ends in /v1"):
        remotes.check("Root")


def test_unreachable_servers_give_one_clear_line(remotes: RemoteEngines) -> None:
    remotes.add("Dead", f"http://127.0.0.1:{dead_port()}/v1")
    with pytest.raises(EngineUnavailable, match=r"connection refused\): is the Dead server running\?"):
        remotes.check("Dead")
    remotes.add("Nowhere", "http://no-such-host.invalid/v1")
    with pytest.raises(EngineUnavailable, match="Cannot find the host 'no-such-host.invalid'"):
        remotes.check("Nowhere")


def test_a_server_that_never_answers_times_out() -> None:
    with socket.socket() as silent:  # accepts connections (the backlog) but never replies
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        port = silent.getsockname()[1]
        with pytest.raises(EngineUnavailable, match="did not answer within 0.3 s"):
            list_models(EngineEndpoint(f"http://127.0.0.1:{port}/v1", None, "Slow"), timeout=0.3)


def test_offline_refuses_a_remote_off_this_computer_but_not_a_loopback_one(
        remotes: RemoteEngines, server: EngineEndpoint) -> None:
    remotes.add("Far", "http://192.0.2.1:8080/v1", api_key="k")
    remotes.add("Near", server.base_url, api_key=server.api_key)
    GUARD.offline = True
    message = "Hearth is offline: turn off offline mode in Settings → Privacy to use Far"
    with pytest.raises(EngineUnavailable) as caught:
        remotes.check("Far")
    assert str(caught.value) == message
    assert remotes.check("Near")  # a server on this computer is no network use
    target = RemoteTarget("Far", "m", remotes.endpoint("Far"))
    with target.client(timeout=5) as client, pytest.raises(EngineError) as chat_error:
        client.chat([{"role": "user", "content": "hi"}])
    assert str(chat_error.value) == message


def test_settings_keep_model_lists_and_drop_malformed_remotes(tmp_path: Path, memory_keyring: Any) -> None:
    store = SettingsStore(tmp_path / "settings.json")
    store.save(Settings(remote_engines=[{"name": "A", "base_url": "http://h/v1", "models": ["x", "y"]}]))
    assert store.load().remote_engines == [{"name": "A", "base_url": "http://h/v1", "models": ["x", "y"]}]
    assert RemoteEngines(store).get("A").models == ("x", "y")
    store.path.write_text(json.dumps({"remote_engines": [{"name": "A", "models": [1]}], "theme": "dark"}),
                          encoding="utf-8")
    loaded = store.load()
    assert loaded.remote_engines == [] and loaded.theme == "dark"
    store.path.write_text(json.dumps({"remote_engines": [{"name": "B"}, {"name": "C", "base_url": "http://c/v1"}]}),
                          encoding="utf-8")
    store.load()
    remotes = RemoteEngines(store)
    assert [e.name for e in remotes.list()] == ["C"]
    with pytest.raises(EngineError, match="No remote engine named 'B'"):
        remotes.set_models("B", ["m"])
    assert remote_model_label("sha256:abc") is None


class _Watched(MemoryKeyringBase):
    """Counts reads, so a test can see that listing engines never asks the keyring."""

    reads = 0

    def get_password(self, service: str, username: str) -> str | None:
        type(self).reads += 1
        return super().get_password(service, username)


def test_whether_a_key_is_stored_comes_from_settings_not_the_keyring(services: Services,
                                                                    memory_keyring: Any) -> None:
    watched = _Watched()
    keyring.set_keyring(watched)
    remotes = RemoteEngines(services.settings)
    remotes.add("Box", "http://127.0.0.1:8080/v1", "k-1")
    remotes.add("Open", "http://127.0.0.1:11434/v1")
    _Watched.reads = 0
    store = SettingsStore(services.settings.path)
    store.load()
    reread = RemoteEngines(store)
    assert [reread.has_key(engine.name) for engine in reread.list()] == [True, False]
    assert _Watched.reads == 0
    assert "k-1" not in services.settings.path.read_text()  # the note is on disk, the key is not
    remotes.set_key("Box", None)
    assert not remotes.has_key("Box") and watched.get_password("hearth", "remote:Box") is None
    remotes.set_key("Open", "k-2")
    assert remotes.has_key("Open") and remotes.endpoint("Open").api_key == "k-2"


def test_without_a_keyring_a_remote_key_lasts_for_this_run(services: Services) -> None:
    from keyring.backends import fail

    from hearth.core import secrets

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    secrets.forget_memory()
    try:
        remotes = RemoteEngines(services.settings)
        remotes.add("Box", "http://127.0.0.1:8080/v1", "k-run")  # no error: kept in memory, like the Hub token
        assert remotes.endpoint("Box").api_key == "k-run" and remotes.has_key("Box")
        assert "k-run" not in services.settings.path.read_text()
        remotes.remove("Box")
        assert secrets.get_secret(secrets.remote_key_user("Box")) is None
    finally:
        keyring.set_keyring(previous)
        secrets.forget_memory()
