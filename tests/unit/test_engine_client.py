"""The client against a stand-in remote server, remote engines with keyring keys, and the launch protocol."""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path
from typing import Any

import pytest

from hearth.core.services import Services
from hearth.engine.client import EngineClient, SamplingParams
from hearth.engine.endpoint import EngineEndpoint, is_loopback_host, normalise_base_url
from hearth.engine.errors import ContextOverflowError, EngineError, EngineRequestError, EngineUnavailable
from hearth.engine.launch import EngineLaunch, engine_command, parse_marker
from hearth.engine.load_settings import ResolvedLoadSettings
from hearth.engine.remote import KEYRING_SERVICE, RemoteEngines
from tests.helpers.fake_openai import REPLY, FakeOpenAI


def test_a_server_without_usage_is_counted() -> None:
    with FakeOpenAI() as server, EngineClient(EngineEndpoint(server.base_url, None, "fake")) as client:
        stream = client.stream_chat([{"role": "user", "content": "hi"}], SamplingParams(max_tokens=9, top_k=5))
        assert list(stream) == REPLY
        stats = stream.stats
    assert stats is not None and not stats.usage_reported and stats.prompt_tokens is None
    assert stats.completion_tokens == len(REPLY) and stats.finish_reason == "stop"
    request = server.requests[-1]
    assert request["stream"] is True and request["stream_options"] == {"include_usage": True}
    assert request["max_tokens"] == 9 and request["top_k"] == 5  # llama.cpp's extras ride in the body


def test_sampling_params_round_trip() -> None:
    params = SamplingParams(temperature=0.2, max_tokens=5, stop=["\n"], logit_bias={7: -100.0})
    assert SamplingParams.from_dict(json.loads(json.dumps(params.to_dict()))) == params
    args = params.request_args()
    assert args["logit_bias"] == {"7": -100.0} and "extra_body" not in args
    assert SamplingParams.from_dict({"temperature": 1.0, "unknown": 3}) == SamplingParams(temperature=1.0)


def test_a_wrong_key_is_one_line() -> None:
    with FakeOpenAI(api_key="right") as server:
        with EngineClient(EngineEndpoint(server.base_url, "wrong", "remote box")) as client:
            with pytest.raises(EngineRequestError) as caught:
                client.models()
        assert caught.value.status == 401 and str(caught.value) == "remote box refused the API key"
        with EngineClient(EngineEndpoint(server.base_url, "right", "remote box")) as client:
            assert client.models() == ["fake-model"]


def test_a_remote_context_overflow_is_recognised() -> None:
    with FakeOpenAI() as server, EngineClient(EngineEndpoint(server.base_url, None, "fake")) as client:
        with pytest.raises(ContextOverflowError) as caught:
            client.stream_chat([{"role": "user", "content": "overflow"}])
    assert "\n" not in str(caught.value) and caught.value.code == "context_length_exceeded"


def test_nobody_listening_is_unavailable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connections are refused
        with EngineClient(EngineEndpoint(f"http://127.0.0.1:{port}/v1", None, "gone")) as client:
            with pytest.raises(EngineUnavailable) as caught:
                client.chat([{"role": "user", "content": "hi"}])
    assert str(caught.value) == f"Cannot reach gone at http://127.0.0.1:{port}/v1"


def test_the_diagnosis_hook_explains_a_refused_connection() -> None:
    class Died(EngineError):
        pass

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
        with EngineClient(EngineEndpoint(url, None, "x"), diagnose=lambda: Died("it died")) as client:
            with pytest.raises(Died):
                client.models()


def test_remote_engines_keep_keys_in_the_keyring(services: Services, memory_keyring: Any) -> None:
    remotes = RemoteEngines(services.settings)
    with FakeOpenAI(api_key="s3cret") as server:
        remotes.add("box", server.base_url + "/", api_key="s3cret")
        assert [(e.name, e.base_url) for e in remotes.list()] == [("box", server.base_url)]
        assert memory_keyring.store[(KEYRING_SERVICE, "remote:box")] == "s3cret"
        assert "s3cret" not in services.settings.path.read_text(encoding="utf-8")
        endpoint = remotes.endpoint("box")
        assert endpoint.api_key == "s3cret" and "s3cret" not in repr(endpoint)
        with EngineClient(endpoint) as client:
            assert client.chat([{"role": "user", "content": "hi"}]).text == "".join(REPLY)
    with pytest.raises(EngineError, match="already"):
        remotes.add("box", "http://example.invalid/v1")
    with pytest.raises(EngineError, match="not a usable address"):
        remotes.add("ftp", "ftp://example.invalid")
    remotes.set_key("box", None)
    assert remotes.endpoint("box").api_key is None
    remotes.remove("box")
    assert remotes.list() == [] and not memory_keyring.store
    with pytest.raises(EngineError, match="No remote engine"):
        remotes.endpoint("box")


def test_endpoint_helpers() -> None:
    assert is_loopback_host("127.0.0.1") and is_loopback_host("::1") and is_loopback_host("localhost")
    assert not is_loopback_host("0.0.0.0") and not is_loopback_host("192.168.1.4")
    assert normalise_base_url(" http://h:1/v1/ ") == "http://h:1/v1"
    with pytest.raises(ValueError):
        normalise_base_url("http://h/v1?x=1")


def test_launch_settings_round_trip_and_keep_the_key_out_of_logs() -> None:
    settings = ResolvedLoadSettings(n_ctx=512, n_gpu_layers=None, n_threads=1, n_batch=64, flash_attn=False,
                                    use_mmap=True, use_mlock=False, chat_format="chatml")
    launch = EngineLaunch.build(Path("/models/m.gguf"), "abc", settings, port=0, api_key="k3y")
    assert EngineLaunch.from_json(launch.to_json()) == launch
    assert "k3y" not in launch.described() and "k3y" not in repr(launch)
    with pytest.raises(ValueError):
        EngineLaunch.from_json("[1, 2]")


def test_engine_command_for_source_and_frozen_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    assert engine_command() == [sys.executable, "-m", "hearth", "engine"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert engine_command() == [sys.executable, "engine"]


def test_markers() -> None:
    assert parse_marker("@@hearth-engine listening 127.0.0.1 5555") == ("listening", "127.0.0.1 5555")
    assert parse_marker("llama_model_load: error") is None
