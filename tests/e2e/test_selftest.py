"""``hearth --self-test`` proves an installation works, one OK line per step, or names the failure."""

from __future__ import annotations

import io

import pytest

from hearth import selftest
from tests.helpers.cli_runner import run_hearth

pytestmark = pytest.mark.e2e


def test_self_test_passes_every_step_with_a_real_engine() -> None:
    result = run_hearth("--self-test", timeout=300)
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    assert [line.split(":")[0] for line in lines[1:]] == ["OK qt", "OK gguf", "OK engine", "OK embed"]
    assert "dimensions" in lines[-1] and result.stderr.strip() == ""


def test_a_failing_step_is_named_and_stops_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[str] = []

    def ok(_ctx: object) -> str:
        ran.append("ok")
        return "fine"

    def broken(_ctx: object) -> str:
        raise RuntimeError("engine would not start\nsecond line of detail")

    monkeypatch.setattr(selftest, "STEPS", [("first", ok), ("second", broken), ("third", ok)])
    out = io.StringIO()
    assert selftest.run_self_test(out) == 1
    assert out.getvalue().splitlines()[1:] == [
        out.getvalue().splitlines()[1], "FAIL second: engine would not start"]
    assert out.getvalue().splitlines()[1].startswith("OK first: fine") and ran == ["ok"]


def test_version_verbose_names_the_llama_cpp_backend() -> None:
    from hearth.core.about import backend_label
    from hearth.core.hardware import llama_gpu_backends

    result = run_hearth("--version", "--verbose")
    assert result.returncode == 0
    lines = dict(line.strip().split(": ", 1) for line in result.stdout.splitlines()[1:])
    assert lines["llama.cpp backend"] == backend_label(llama_gpu_backends())
    assert lines["llama-cpp-python"][0].isdigit() and lines["qt binding"].startswith("PySide6 ")


def test_backend_labels() -> None:
    from hearth.core.about import backend_label

    assert backend_label(()) == "CPU only" and backend_label(None) == "unknown"
    assert backend_label(("cuda",)) == "CUDA (GPU offload)"
    assert backend_label(("metal", "vulkan")) == "METAL, Vulkan (GPU offload)"
