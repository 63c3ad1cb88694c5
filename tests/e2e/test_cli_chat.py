"""``hearth chat`` and ``hearth serve`` end to end: the installed command, real engine processes, real models."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

import openai
import pytest

from hearth.core.chats import ChatStore
from hearth.core.model_entry import model_id
from hearth.core.paths import Paths
from hearth.engine.load_settings import LoadSettings, LoadSettingsStore
from tests.helpers.cli_runner import hearth_command, run_hearth

pytestmark = [pytest.mark.e2e, pytest.mark.llama]

TinyGGUF = Callable[..., Path]


def _one_thread(home: Path, model: Path) -> None:
    """Tiny models run best on one thread (and do not fight the other tests for the two cores)."""
    LoadSettingsStore.open(Paths.resolve(home).ensure()).set(model_id(model.resolve()), LoadSettings(threads=1))


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ, HEARTH_HOME=str(home), PYTHONUNBUFFERED="1")
    env.pop("PYTHONWARNINGS", None)
    return env


def test_gemma_answers_with_text_and_stats_as_json(gemma_gguf: Path, hearth_home: Path) -> None:
    result = run_hearth("chat", gemma_gguf, "--prompt", "Say hi", "--max-tokens", "16", "--json",
                        "--temperature", "0", home=hearth_home, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    assert data["name"] and isinstance(data["text"], str) and data["text"].strip()
    stats = data["stats"]
    assert stats["usage_reported"] and 1 <= stats["completion_tokens"] <= 19 and stats["prompt_tokens"] > 2
    assert stats["finish_reason"] in ("stop", "length") and stats["time_to_first_token"] > 0


def test_one_shot_streams_text_and_prints_stats(tiny_gguf: TinyGGUF, hearth_home: Path) -> None:
    model = tiny_gguf()
    _one_thread(hearth_home, model)
    result = run_hearth("chat", model, "--prompt", "hello", "--system", "Be brief.", "--max-tokens", "5",
                        "--seed", "3", home=hearth_home, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("\n") and result.stderr_lines[-1].startswith("[")
    assert "tokens" in result.stderr_lines[-1] and "length" in result.stderr_lines[-1]


def test_a_truncated_model_is_one_line(tiny_gguf: TinyGGUF, hearth_home: Path, tmp_path: Path) -> None:
    good = tiny_gguf()
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(good.read_bytes()[:-3000])
    result = run_hearth("chat", cut, "--prompt", "hi", home=hearth_home)
    assert result.returncode == 1 and len(result.stderr_lines) == 1 and "Traceback" not in result.stderr
    assert result.stderr_lines[0].startswith("hearth: error: Cannot load") and "incomplete" in result.stderr


def test_a_model_llama_cpp_rejects_is_one_line(tiny_gguf: TinyGGUF, hearth_home: Path) -> None:
    model = tiny_gguf("strange.gguf", arch="strangearch")
    result = run_hearth("chat", model, "--prompt", "hi", "--json", home=hearth_home, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr_lines) == 1 and "strangearch" in result.stderr_lines[0], result.stderr
    assert result.stdout == ""


def test_interactive_chat_is_saved(tiny_gguf: TinyGGUF, hearth_home: Path) -> None:
    model = tiny_gguf()
    _one_thread(hearth_home, model)
    done = subprocess.run(
        [*hearth_command(), "chat", str(model), "--max-tokens", "4", "--system", "Be kind."],
        input="Hello there\n\nWhat is a fox?\n/new\nAnother chat\n/exit\nnever sent\n",
        capture_output=True, text=True, env=_env(hearth_home), timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and done.stderr.count("first token") == 3
    with ChatStore.open(Paths.resolve(hearth_home)) as store:
        conversations = store.conversations()
        assert len(conversations) == 2
        older, newer = conversations[1], conversations[0]
        assert older.title == "Hello there" and older.system_prompt == "Be kind."
        assert older.params == {"max_tokens": 4}
        first = store.messages(older.id)
        assert [m.role for m in first] == ["user", "assistant", "user", "assistant"]
        assert first[1].stats and first[1].stats["completion_tokens"] >= 4 and not first[1].partial
        assert [m.content for m in store.messages(newer.id)][0] == "Another chat"
        assert store.search("never") == []


def test_serve_answers_the_openai_client_until_interrupted(tiny_gguf: TinyGGUF, hearth_home: Path) -> None:
    model = tiny_gguf()
    _one_thread(hearth_home, model)
    server = subprocess.Popen([*hearth_command(), "serve", str(model), "--port", "0", "--api-key", "k-123"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(hearth_home))
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert line.startswith("Serving Tiny Llama at http://127.0.0.1:") and "k-123" not in line, line
        url = line.split(" at ")[1].split()[0].rstrip(".")
        with openai.OpenAI(base_url=url, api_key="k-123", max_retries=0, timeout=60) as client:
            reply = client.chat.completions.create(model="x", messages=[{"role": "user", "content": "hi"}],
                                                   max_tokens=3)
            assert reply.usage is not None and reply.usage.completion_tokens >= 1
        with openai.OpenAI(base_url=url, api_key="wrong", max_retries=0, timeout=60) as client:
            with pytest.raises(openai.AuthenticationError):
                client.models.list()
        server.send_signal(signal.SIGINT)
        assert server.wait(30) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(10)
        for stream in (server.stdout, server.stderr):
            if stream:
                stream.close()
    with pytest.raises(openai.APIConnectionError):
        with openai.OpenAI(base_url=url, api_key="k-123", max_retries=0, timeout=5) as client:
            client.models.list()


def test_serving_beyond_this_computer_warns(tiny_gguf: TinyGGUF, hearth_home: Path, tmp_path: Path) -> None:
    good = tiny_gguf()
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(good.read_bytes()[:-3000])  # fails before anything listens
    result = run_hearth("serve", cut, "--host", "0.0.0.0", home=hearth_home)
    assert result.returncode == 1
    assert result.stderr_lines[0].startswith("hearth: warning: serving on 0.0.0.0") and "without an API key" in \
        result.stderr_lines[0]
    assert result.stderr_lines[-1].startswith("hearth: error: Cannot load")


def test_json_without_a_prompt_is_refused(tiny_gguf: TinyGGUF, hearth_home: Path) -> None:
    result = run_hearth("chat", tiny_gguf(), "--json", home=hearth_home)
    assert result.returncode == 1 and result.stderr_lines == [
        "hearth: error: --json needs --prompt (the interactive chat prints text as it comes)"]
