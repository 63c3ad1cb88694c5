"""The supervisor's lifecycle with real engine processes: refusal, load failure, crash, restart, cancel, switch.

Tiny models run with one thread: they gain nothing from two, and on a busy
two-core machine OpenMP threads spinning against each other slow everything.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hearth.core.errors import Cancelled, HearthError
from hearth.core.paths import Paths
from hearth.engine.client import SamplingParams
from hearth.engine.errors import EngineCrashed, EngineStartError
from hearth.engine.load_settings import LoadSettings, resolve_load_settings
from hearth.engine.probe import probe_backend
from hearth.engine.supervisor import EngineEvent, EngineRole, EngineState, EngineSupervisor
from tests.helpers.engines import entry_for, wait_until

pytestmark = pytest.mark.llama

TinyGGUF = Callable[..., Path]
ONE_THREAD = LoadSettings(threads=1)


@pytest.fixture
def supervisor(paths: Paths) -> Iterator[EngineSupervisor]:
    with EngineSupervisor(paths, ready_timeout=120) as sup:
        yield sup


def test_an_unusable_file_is_refused_before_any_process_starts(
        supervisor: EngineSupervisor, tiny_gguf: TinyGGUF, tmp_path: Path) -> None:
    good = tiny_gguf()
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size - 4000])
    with pytest.raises(EngineStartError) as caught:
        supervisor.start(entry_for(cut))
    message = str(caught.value)
    assert "\n" not in message and "incomplete" in message and message.startswith("Cannot load")
    assert supervisor.state() is EngineState.STOPPED and supervisor.handle() is None


def test_a_file_llama_cpp_rejects_fails_clearly_and_leaves_us_running(
        supervisor: EngineSupervisor, tiny_gguf: TinyGGUF) -> None:
    events: list[EngineEvent] = []
    supervisor.add_listener(events.append)
    evil = entry_for(tiny_gguf("evil.gguf", arch="evilarch"))
    assert evil.usable  # the header is fine: only llama.cpp can tell
    with pytest.raises(EngineStartError) as caught:
        supervisor.start(evil, resolve_load_settings(evil, ONE_THREAD))
    error = caught.value
    assert "\n" not in str(error) and "evilarch" in str(error), str(error)
    assert error.log_tail and error.log_path is not None and error.log_path.is_file()
    assert supervisor.state() is EngineState.FAILED and supervisor.last_error() is error
    assert [e.state for e in events] == [EngineState.STARTING, EngineState.FAILED]
    assert events[-1].error is error
    assert isinstance(error, HearthError)


def test_crash_is_reported_with_the_log_and_a_restart_works(supervisor: EngineSupervisor, tiny_gguf: TinyGGUF) -> None:
    events: list[EngineEvent] = []
    supervisor.add_listener(events.append)
    entry = entry_for(tiny_gguf())
    settings = resolve_load_settings(entry, ONE_THREAD)
    handle = supervisor.start(entry, settings)
    client = handle.client(timeout=30)
    assert client.chat([{"role": "user", "content": "hi"}], SamplingParams(max_tokens=3)).stats
    assert handle.pid is not None
    os.kill(handle.pid, signal.SIGKILL)  # what the OOM killer does
    assert wait_until(lambda: supervisor.state() is EngineState.FAILED)
    crash = supervisor.last_error()
    assert isinstance(crash, EngineCrashed) and crash.exit_code == -signal.SIGKILL
    assert "SIGKILL" in str(crash) and "\n" not in str(crash) and crash.log_tail
    assert events[-1].state is EngineState.FAILED and events[-1].error is crash
    with pytest.raises(EngineCrashed):
        client.chat([{"role": "user", "content": "are you there?"}], SamplingParams(max_tokens=3))
    client.close()

    again = supervisor.start(entry, settings)
    assert supervisor.state() is EngineState.READY and again.pid != handle.pid
    assert handle.log_path.with_suffix(".previous.log").is_file()  # the crashed run's log is kept
    with again.client() as fresh:
        assert fresh.chat([{"role": "user", "content": "hi"}], SamplingParams(max_tokens=3)).stats


def test_a_model_without_a_chat_template_uses_a_fallback_format(
        supervisor: EngineSupervisor, tiny_gguf: TinyGGUF) -> None:
    entry = entry_for(tiny_gguf("plain.gguf", chat_template=None))
    settings = resolve_load_settings(entry, ONE_THREAD)
    assert settings.chat_format == "chatml" and any("chat template" in n for n in settings.notes)
    handle = supervisor.start(entry, settings)
    with handle.client() as client:
        result = client.chat([{"role": "user", "content": "hello"}], SamplingParams(max_tokens=4))
    assert result.stats.completion_tokens >= 1
    assert '"chat_format": "chatml"' in handle.log_path.read_text(encoding="utf-8")

    # Switching models on the same role replaces the engine.
    other = entry_for(tiny_gguf("other.gguf"))
    replaced = supervisor.start(other, resolve_load_settings(other, ONE_THREAD))
    assert not handle.alive and replaced.alive and replaced.model_id == other.id
    supervisor.stop()
    assert not replaced.alive and supervisor.state() is EngineState.STOPPED and supervisor.handle() is None


def test_an_unknown_chat_format_is_explained(supervisor: EngineSupervisor, tiny_gguf: TinyGGUF) -> None:
    entry = entry_for(tiny_gguf())
    with pytest.raises(EngineStartError) as caught:
        supervisor.start(entry, resolve_load_settings(entry, LoadSettings(threads=1, chat_format="nonsense")))
    assert str(caught.value).startswith("Could not load Tiny Llama: unknown chat format 'nonsense' (known: ")


def test_start_can_be_cancelled_while_loading(supervisor: EngineSupervisor, tiny_gguf: TinyGGUF) -> None:
    entry = entry_for(tiny_gguf())
    steps: list[int] = []
    with pytest.raises(Cancelled):
        supervisor.start(entry, resolve_load_settings(entry, ONE_THREAD),
                         progress=lambda done, total, detail: steps.append(done),
                         should_stop=lambda: 1 in steps)  # stop once the process is loading
    assert steps == [0, 1]
    assert supervisor.state() is EngineState.STOPPED and supervisor.handle() is None


def test_roles_are_independent(supervisor: EngineSupervisor, tiny_gguf: TinyGGUF) -> None:
    assert supervisor.state(EngineRole.EMBEDDING) is EngineState.STOPPED
    supervisor.stop(EngineRole.EMBEDDING)  # stopping nothing is fine
    assert supervisor.handle(EngineRole.EMBEDDING) is None


def test_the_backend_probe_answers_from_a_child_process() -> None:
    info = probe_backend()
    assert isinstance(info.gpu_offload, bool) and info.llama_cpp_python
    assert {"chatml", "gemma", "llama-3"} <= set(info.chat_formats)
    assert probe_backend() is info  # cached
