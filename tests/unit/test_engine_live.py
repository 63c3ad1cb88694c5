"""A real engine process on a tiny model, shared by this module: streaming, stats, cancel, overflow, embeddings.

One chat engine (and, for the side-by-side test, one embedding engine) is
started for the whole module so the suite stays fast on two cores.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openai
import pytest

from hearth.core.paths import Paths
from hearth.engine.client import EngineClient, SamplingParams
from hearth.engine.errors import ContextOverflowError, EngineRequestError
from hearth.engine.load_settings import LoadSettings, resolve_load_settings
from hearth.engine.supervisor import EngineEvent, EngineHandle, EngineRole, EngineState, EngineSupervisor
from tests.helpers.engines import entry_for, wait_until
from tests.helpers.gguf_factory import write_tiny_gguf

pytestmark = pytest.mark.llama

CONTEXT = 2048
#: Bans end-of-text and the 256 byte tokens of the tiny vocabulary: a long reply of whole words.
#: (Random byte tokens often form invalid UTF-8, which llama-cpp-python's streaming holds back
#: and re-decodes with every new token, slowing a long reply to a crawl.)
WORDS_ONLY = {2: -100.0} | {token: -100.0 for token in range(3, 259)}


@dataclass
class Running:
    supervisor: EngineSupervisor
    handle: EngineHandle
    events: list[EngineEvent]
    progress: list[tuple[int, int, str]]
    folder: Path


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    folder = tmp_path_factory.mktemp("engine-live")
    entry = entry_for(write_tiny_gguf(folder / "tiny-chat.gguf", context_length=CONTEXT))
    supervisor = EngineSupervisor(Paths.resolve(folder / "home").ensure())
    events: list[EngineEvent] = []
    progress: list[tuple[int, int, str]] = []
    supervisor.add_listener(events.append)
    handle = supervisor.start(entry, resolve_load_settings(entry, LoadSettings(context_length=CONTEXT, threads=1)),
                              progress=lambda done, total, detail: progress.append((done, total, detail)))
    yield Running(supervisor, handle, events, progress, folder)
    supervisor.close()


@pytest.fixture
def client(running: Running) -> Iterator[EngineClient]:
    with running.handle.client(timeout=60) as c:
        yield c


def test_start_reports_progress_and_states(running: Running) -> None:
    assert running.supervisor.state() is EngineState.READY
    assert [e.state for e in running.events[:2]] == [EngineState.STARTING, EngineState.READY]
    assert running.progress[0][0] == 0 and running.progress[-1][:2] == (3, 3)
    endpoint = running.handle.endpoint
    assert endpoint.base_url.startswith("http://127.0.0.1:") and endpoint.is_loopback
    assert endpoint.api_key and endpoint.api_key not in repr(endpoint)
    assert running.handle.log_path.is_file()
    assert any("llama" in line for line in running.handle.log_tail(200))
    assert endpoint.api_key not in running.handle.log_path.read_text(encoding="utf-8")


def test_the_openai_client_needs_the_key(running: Running) -> None:
    endpoint = running.handle.endpoint
    with openai.OpenAI(base_url=endpoint.base_url, api_key=endpoint.api_key, max_retries=0) as good:
        assert [m.id for m in good.models.list()] == [running.handle.api_name]
    with openai.OpenAI(base_url=endpoint.base_url, api_key="wrong", max_retries=0) as bad:
        with pytest.raises(openai.AuthenticationError):
            bad.models.list()


def test_the_openai_client_streams_with_a_usage_chunk(running: Running) -> None:
    endpoint = running.handle.endpoint
    with openai.OpenAI(base_url=endpoint.base_url, api_key=endpoint.api_key, max_retries=0) as raw:
        chunks = list(raw.chat.completions.create(
            model="any", messages=[{"role": "user", "content": "hello"}], max_tokens=6, seed=3,
            stream=True, stream_options={"include_usage": True}))
    text_chunks = [c for c in chunks if c.choices and c.choices[0].delta.content]
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    # llama-cpp-python may run past max_tokens to finish a multi-byte character.
    assert 6 <= chunks[-1].usage.completion_tokens <= 9
    assert chunks[-1].usage.completion_tokens >= len(text_chunks) > 0
    assert chunks[-1].usage.prompt_tokens > 1


def test_stream_a_reply_with_stats(client: EngineClient) -> None:
    stream = client.stream_chat([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}],
                                SamplingParams(max_tokens=12, seed=1, temperature=0.7))
    deltas = list(stream)
    stats = stream.stats
    assert stats is not None and deltas and stream.text == "".join(deltas)
    assert stats.usage_reported and 12 <= stats.completion_tokens <= 15 and stats.finish_reason == "length"
    assert stats.prompt_tokens and stats.prompt_tokens > 3
    assert stats.time_to_first_token is not None and 0 < stats.time_to_first_token <= stats.total_time
    assert stats.tokens_per_second and stats.tokens_per_second > 0
    assert not stats.partial


def test_the_same_seed_gives_the_same_reply(client: EngineClient) -> None:
    params = SamplingParams(max_tokens=10, seed=42, temperature=1.0)
    first = client.chat([{"role": "user", "content": "tell me"}], params)
    second = client.chat([{"role": "user", "content": "tell me"}], params)
    assert first.text == second.text


def test_completion_and_non_chat_stats(client: EngineClient) -> None:
    result = client.complete("the cat", SamplingParams(max_tokens=5, seed=2))
    assert 5 <= result.stats.completion_tokens <= 8 and result.stats.usage_reported
    assert isinstance(result.text, str)


def test_cancel_mid_stream_stops_the_engine(client: EngineClient, running: Running) -> None:
    stream = client.stream_chat([{"role": "user", "content": "go on"}],
                                SamplingParams(max_tokens=CONTEXT - 100, seed=5, logit_bias=WORDS_ONLY))
    received = []
    for delta in stream:
        received.append(delta)
        if len(received) == 5:
            stream.cancel()
    assert stream.stats is not None and stream.stats.finish_reason == "cancelled" and stream.stats.partial
    assert stream.stats.completion_tokens < CONTEXT - 100
    # llama_cpp.server notices the closed connection after its next token and stops generating.
    assert wait_until(lambda: any("Disconnected from client" in line for line in running.handle.log_tail(50)))
    assert client.chat([{"role": "user", "content": "still there?"}], SamplingParams(max_tokens=3)).text is not None


def test_cancel_from_another_thread_wakes_the_reader(client: EngineClient) -> None:
    import threading

    stream = client.stream_chat([{"role": "user", "content": "go on"}],
                                SamplingParams(max_tokens=CONTEXT - 100, seed=6, logit_bias=WORDS_ONLY))
    first = threading.Event()
    pieces: list[str] = []

    def read() -> None:
        for piece in stream:
            pieces.append(piece)
            first.set()

    reader = threading.Thread(target=read)
    reader.start()
    assert first.wait(20)
    stream.cancel()
    reader.join(20)
    assert not reader.is_alive()
    assert stream.stats is not None and stream.stats.finish_reason == "cancelled"


def test_leaving_the_loop_early_counts_as_cancelled(client: EngineClient) -> None:
    stream = client.stream_chat([{"role": "user", "content": "go"}],
                                SamplingParams(max_tokens=200, seed=7, logit_bias=WORDS_ONLY))
    for _ in stream:
        break
    assert stream.stats is not None and stream.stats.finish_reason == "cancelled"


def test_context_overflow_is_one_clear_error(client: EngineClient) -> None:
    too_long = [{"role": "user", "content": "hello " * (CONTEXT + 200)}]
    stream = client.stream_chat(too_long, SamplingParams(max_tokens=8))
    with pytest.raises(ContextOverflowError) as caught:
        list(stream)
    message = str(caught.value)
    assert "\n" not in message and "context" in message and str(CONTEXT) in message
    assert stream.stats is not None and stream.stats.finish_reason == "error"


def test_non_streamed_overflow_is_translated(client: EngineClient) -> None:
    too_long = [{"role": "user", "content": "hello " * (CONTEXT + 200)}]
    try:
        client._openai.chat.completions.create(model="m", messages=too_long, max_tokens=8)  # type: ignore
    except openai.BadRequestError as exc:
        error = client._translate(exc)
    assert isinstance(error, ContextOverflowError) and "\n" not in str(error)


def test_embeddings_from_a_chat_engine_are_refused(client: EngineClient) -> None:
    with pytest.raises(EngineRequestError):
        client.embed(["hello"])


def test_chat_and_embedding_engines_side_by_side(running: Running) -> None:
    supervisor = running.supervisor
    entry = entry_for(write_tiny_gguf(running.folder / "tiny-embed.gguf", extra={"llama.pooling_type": 1}))
    embedder = supervisor.start(entry, resolve_load_settings(entry, LoadSettings(threads=1), embedding=True),
                                role=EngineRole.EMBEDDING)
    try:
        assert supervisor.state(EngineRole.EMBEDDING) is EngineState.READY
        assert embedder.endpoint.base_url != running.handle.endpoint.base_url
        with embedder.client() as client:
            vectors = client.embed(["hello world", "the cat", "hello world"])
        assert len(vectors) == 3 and len(vectors[0]) == 64
        assert np.allclose(vectors[0], vectors[2], atol=1e-4) and not np.allclose(vectors[0], vectors[1], atol=1e-4)
        with running.handle.client() as chat:
            assert chat.chat([{"role": "user", "content": "hi"}], SamplingParams(max_tokens=2)).stats
    finally:
        supervisor.stop(EngineRole.EMBEDDING)
    assert supervisor.state(EngineRole.EMBEDDING) is EngineState.STOPPED and not embedder.alive
    assert supervisor.state(EngineRole.CHAT) is EngineState.READY and running.handle.alive
