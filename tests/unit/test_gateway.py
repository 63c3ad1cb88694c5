"""The local API server in front of a real engine, spoken to with the real ``openai`` client.

One chat engine serves the whole module (an embedding engine is started in the
one test that needs it); each test runs its own gateway on a free port.
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openai
import pytest
from hearth.core.netguard import GUARD
from hearth.core.netlog import NETWORK_LOG
from hearth.core.paths import Paths
from hearth.engine.gateway import ALL_INTERFACES, LOOPBACK, ApiGateway, GatewayError, lan_addresses, serve_host
from hearth.engine.gateway_proxy import INCOMING
from hearth.engine.load_settings import LoadSettings, resolve_load_settings
from hearth.engine.supervisor import EngineHandle, EngineRole, EngineSupervisor, api_model_name

from tests.helpers.engines import entry_for, wait_until
from tests.helpers.gguf_factory import write_tiny_gguf

pytestmark = pytest.mark.llama

CONTEXT = 2048
KEY = "test-gateway-key"
#: Bans end-of-text and the byte tokens of the tiny vocabulary: a long reply of whole words.
WORDS_ONLY = {"2": -100.0} | {str(token): -100.0 for token in range(3, 259)}


@dataclass
class Engines:
    supervisor: EngineSupervisor
    chat: EngineHandle
    folder: Path


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engines]:
    folder = tmp_path_factory.mktemp("gateway")
    entry = entry_for(write_tiny_gguf(folder / "tiny-chat.gguf", context_length=CONTEXT))
    supervisor = EngineSupervisor(Paths.resolve(folder / "home").ensure())
    handle = supervisor.start(entry, resolve_load_settings(entry, LoadSettings(context_length=CONTEXT, threads=1)))
    yield Engines(supervisor, handle, folder)
    supervisor.close()


@pytest.fixture
def gateway(engines: Engines) -> Iterator[ApiGateway]:
    served = ApiGateway(engines.supervisor, api_key=KEY)
    served.start(0)
    yield served
    served.stop()


def client(gateway: ApiGateway, key: str = KEY) -> openai.OpenAI:
    return openai.OpenAI(base_url=gateway.url, api_key=key, max_retries=0, timeout=60)


def raw(gateway: ApiGateway, method: str, path: str, body: Any = None,
        headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    """One request without any client library: status and parsed JSON."""
    connection = http.client.HTTPConnection(LOOPBACK, gateway.port, timeout=60)
    try:
        data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        connection.request(method, path, data, headers or {})
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_models_and_a_streamed_chat(gateway: ApiGateway, engines: Engines) -> None:
    with client(gateway) as api:
        models = api.models.list()
        assert [m.id for m in models] == [engines.chat.api_name]
        chunks = list(api.chat.completions.create(
            model="whatever-the-client-calls-it", messages=[{"role": "user", "content": "hello"}],
            max_tokens=6, seed=3, stream=True, stream_options={"include_usage": True}))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text and chunks[-1].usage is not None and chunks[-1].usage.completion_tokens >= 1
    assert {c.model for c in chunks} == {engines.chat.api_name}
    assert gateway.requests == 2


def test_completions_and_a_plain_chat(gateway: ApiGateway, engines: Engines) -> None:
    with client(gateway) as api:
        completion = api.completions.create(model="x", prompt="the cat", max_tokens=5, seed=2)
        chat = api.chat.completions.create(model="y", messages=[{"role": "user", "content": "hi"}], max_tokens=4)
    assert completion.model == engines.chat.api_name and isinstance(completion.choices[0].text, str)
    assert completion.usage is not None and completion.usage.completion_tokens >= 1
    assert chat.choices[0].message.role == "assistant" and chat.model == engines.chat.api_name


def test_embeddings_go_to_the_embedding_engine(gateway: ApiGateway, engines: Engines) -> None:
    supervisor = engines.supervisor
    with client(gateway) as api:
        with pytest.raises(openai.InternalServerError) as refused:
            api.embeddings.create(model="any", input=["hello"])
        assert refused.value.status_code == 503 and "Embeddings page" in str(refused.value)
        entry = entry_for(write_tiny_gguf(engines.folder / "tiny-embed.gguf", extra={"llama.pooling_type": 1}))
        supervisor.start(entry, resolve_load_settings(entry, LoadSettings(threads=1), embedding=True),
                         role=EngineRole.EMBEDDING)
        try:
            assert sorted(m.id for m in api.models.list()) == sorted([engines.chat.api_name, api_model_name(entry)])
            vectors = api.embeddings.create(model="any", input=["hello world", "the cat"])
            assert [len(item.embedding) for item in vectors.data] == [64, 64]
            assert vectors.data[0].embedding != vectors.data[1].embedding
        finally:
            supervisor.stop(EngineRole.EMBEDDING)
        assert [m.id for m in api.models.list()] == [engines.chat.api_name]  # follows the unload


def test_a_wrong_or_missing_key_is_refused(gateway: ApiGateway, engines: Engines) -> None:
    with client(gateway, key="wrong") as api:
        with pytest.raises(openai.AuthenticationError):
            api.models.list()
    status, body = raw(gateway, "GET", "/v1/models")
    assert status == 401 and body["error"]["type"] == "authentication_error"
    status, body = raw(gateway, "POST", "/v1/chat/completions", {"messages": []},
                       {"Authorization": f"Basic {KEY}"})
    assert status == 401
    assert engines.chat.endpoint.api_key not in json.dumps(body)


def test_without_a_key_requirement_anyone_local_may_ask(gateway: ApiGateway, engines: Engines) -> None:
    gateway.api_key = None  # the switch applies to the running server
    status, body = raw(gateway, "GET", "/v1/models")
    assert status == 200 and [m["id"] for m in body["data"]] == [engines.chat.api_name]
    with client(gateway, key="anything") as api:
        reply = api.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}], max_tokens=3)
    assert reply.choices[0].message is not None


def test_bad_requests_get_openai_style_errors(engines: Engines) -> None:
    small = ApiGateway(engines.supervisor, api_key=KEY, max_body=1024)
    small.start(0)
    try:
        auth = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
        status, body = raw(small, "GET", "/v1/nowhere", headers=auth)
        assert status == 404 and "Unknown address /v1/nowhere" in body["error"]["message"]
        assert raw(small, "GET", "/v1/chat/completions", headers=auth)[0] == 405
        assert raw(small, "POST", "/v1/chat/completions", b"{not json", auth)[0] == 400
        assert raw(small, "POST", "/v1/chat/completions", b"[1, 2]", auth)[0] == 400
        status, body = raw(small, "POST", "/v1/completions", {"prompt": "x" * 2000}, auth)
        assert status == 413 and "too large" in body["error"]["message"]
    finally:
        small.stop()


def test_no_model_loaded_is_one_clear_error(paths: Paths) -> None:
    with EngineSupervisor(paths) as empty:
        served = ApiGateway(empty)
        served.start(0)
        try:
            with client(served, key="none-needed") as api:
                assert list(api.models.list()) == []
                with pytest.raises(openai.InternalServerError) as refused:
                    api.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
            assert "No chat model is loaded" in str(refused.value) and "Chat page" in str(refused.value)
        finally:
            served.stop()


def test_a_port_in_use_is_one_line(gateway: ApiGateway, engines: Engines) -> None:
    second = ApiGateway(engines.supervisor)
    with pytest.raises(GatewayError) as taken:
        second.start(int(gateway.port or 0))
    assert str(taken.value) == f"Port {gateway.port} is already in use by another program: choose another port"
    assert not second.running


def test_stop_closes_the_socket(engines: Engines) -> None:
    served = ApiGateway(engines.supervisor)
    served.start(0)
    port = served.port
    served.stop()
    assert not served.running and served.url is None
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((LOOPBACK, int(port or 0)), timeout=5).close()
    served.start(0)  # and it starts again
    served.stop()


def test_a_client_leaving_mid_stream_stops_the_engine(gateway: ApiGateway, engines: Engines) -> None:
    log_before = len(engines.chat.log_path.read_text(encoding="utf-8"))
    with client(gateway) as api:
        stream = api.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "go on"}], max_tokens=CONTEXT - 100, seed=5,
            stream=True, extra_body={"logit_bias": WORDS_ONLY})
        received = 0
        for chunk in stream:
            received += bool(chunk.choices and chunk.choices[0].delta.content)
            if received == 5:
                break
        stream.close()
        # The gateway cuts the engine's connection; llama_cpp.server notices after its next token.
        assert wait_until(lambda: "Disconnected from client"
                          in engines.chat.log_path.read_text(encoding="utf-8")[log_before:])
        reply = api.chat.completions.create(model="m", messages=[{"role": "user", "content": "still there?"}],
                                            max_tokens=3)
    assert reply.choices[0].message is not None and engines.chat.alive


def test_offline_forces_loopback(engines: Engines, monkeypatch: pytest.MonkeyPatch) -> None:
    assert serve_host(lan=False, offline=False) == LOOPBACK
    assert serve_host(lan=True, offline=False) == ALL_INTERFACES
    assert serve_host(lan=True, offline=True) == LOOPBACK
    monkeypatch.setattr(GUARD, "offline", True)
    served = ApiGateway(engines.supervisor)
    served.start(0, lan=True)
    try:
        assert served.host == LOOPBACK
    finally:
        served.stop()
    monkeypatch.setattr(GUARD, "offline", False)
    served.start(0, lan=True)
    try:
        assert served.host == ALL_INTERFACES and served.url == f"http://{LOOPBACK}:{served.port}/v1"
    finally:
        served.stop()


def test_the_log_names_requests_but_never_keys(gateway: ApiGateway, engines: Engines,
                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with client(gateway) as api:
        api.completions.create(model="m", prompt="hi", max_tokens=2)
    raw(gateway, "GET", "/v1/models", headers={"Authorization": "Bearer wrong-key"})
    assert "POST /v1/completions 200" in caplog.text and "GET /v1/models 401" in caplog.text
    assert KEY not in caplog.text and "wrong-key" not in caplog.text
    assert str(engines.chat.endpoint.api_key) not in caplog.text


def test_requests_from_other_devices_appear_in_the_network_log(engines: Engines) -> None:
    """With network access on, what other devices ask is listed for the user; local programs are not."""
    addresses = lan_addresses()
    if not addresses:
        pytest.skip("this machine has no network address besides loopback")
    served = ApiGateway(engines.supervisor, api_key=KEY)
    served.start(0, lan=True)
    before = len(NETWORK_LOG.events())
    try:
        with openai.OpenAI(base_url=f"http://{addresses[0]}:{served.port}/v1", api_key=KEY, max_retries=0,
                           timeout=60) as other_device:
            assert [m.id for m in other_device.models.list()] == [engines.chat.api_name]
        status, _body = raw(served, "GET", "/v1/models", headers={"Authorization": f"Bearer {KEY}"})
        assert status == 200
    finally:
        served.stop()
    incoming = [e for e in NETWORK_LOG.events()[before:] if e.source == INCOMING]
    assert [(e.method, e.host, e.path, e.status, e.loopback) for e in incoming] == [
        ("GET", addresses[0], "/v1/models", 200, False)]  # the loopback request is not listed
