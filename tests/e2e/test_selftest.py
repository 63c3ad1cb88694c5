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
