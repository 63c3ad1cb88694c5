"""The Hub commands (search, show, pull, token) against the emulator, as a user runs them."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from hearth.cli.main import main
from tests.helpers.cli_runner import hearth_command, run_hearth
from tests.helpers.hub_emulator import HubEmulator
from tests.helpers.hub_publish import publish_split, publish_tiny

pytestmark = pytest.mark.e2e


@pytest.fixture
def repos(hub: HubEmulator, tiny_gguf: Callable[..., Path], split_gguf: Callable[..., list[Path]],
          monkeypatch: pytest.MonkeyPatch) -> HubEmulator:
    from hearth.core.downloads import transfer

    monkeypatch.setattr(transfer, "SPACE_MARGIN", 0)
    monkeypatch.setenv("HEARTH_OFFLINE", "0")  # restored after the test even if --offline sets it
    publish_tiny(hub, tiny_gguf, quants=("Q8_0", "F16"), downloads=500, likes=3)
    publish_split(hub, split_gguf, downloads=50, likes=9)
    publish_tiny(hub, tiny_gguf, "meta/Gated-GGUF", gated="auto", downloads=5, license="llama3.2")
    return hub


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_search_json_and_table(repos: HubEmulator, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "GGUF", "--json", "--limit", "2")
    assert code == 0
    hits = json.loads(out)
    assert [h["id"] for h in hits] == ["acme/tiny-GGUF", "acme/split-GGUF"]
    for key in ("id", "author", "downloads", "likes", "last_modified", "license", "parameters", "gated", "tags"):
        assert key in hits[0]
    assert hits[0]["parameters"] > 0 and hits[0]["license"] == "mit"
    assert hits[0]["license_class"] == "permissive"
    code, out, _ = run(capsys, "search", "--sort", "likes", "--author", "acme")
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:2] == ["MODEL", "PARAMS"] and lines[1].startswith("acme/split-GGUF")


def test_show_lists_quants_with_fit(repos: HubEmulator, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "acme/split-GGUF", "--json")
    assert code == 0
    data = json.loads(out)
    (group,) = data["quant_groups"]
    assert group["quant"] == "Q8_0" and group["bits_per_weight"] == 8.5 and len(group["files"]) == 3
    assert group["size"] == sum(f["size"] for f in group["files"]) and group["fit"] in (
        "full_gpu", "partial_gpu", "cpu_only", "wont_fit")
    assert data["license_class"] == "permissive"
    badges = {b["key"]: b for b in data["badges"]}
    assert badges["license"]["level"] == "ok" and set(badges["license"]) == {
        "key", "level", "label", "evidence", "source"}
    assert badges["provenance"]["level"] == "caution"  # "acme" is not a known publisher
    code, out, _ = run(capsys, "show", "meta/Gated-GGUF", "--json")
    gated = {b["key"]: b for b in json.loads(out)["badges"]}
    assert gated["access"]["level"] != "ok" and json.loads(out)["license_class"] == "use-restricted"
    code, out, _ = run(capsys, "show", "meta/Gated-GGUF")
    assert code == 0 and "Gated: accept the terms" in out and "Q8_0" in out and "license llama3.2" in out
    assert "CHECK" in out and "access" in out


def test_pull_installs_and_a_second_pull_knows(repos: HubEmulator, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "pull", "acme/split-GGUF")
    assert code == 0, err
    assert "Downloaded acme/split-GGUF Q8_0" in out and "sha256 verified" in out
    code, out, _ = run(capsys, "list", "--json")
    (entry,) = json.loads(out)
    assert entry["source"]["repo_id"] == "acme/split-GGUF" and len(entry["parts"]) == 3 and entry["usable"]
    code, out, _ = run(capsys, "pull", "acme/split-GGUF", "--quant", "Q8_0")
    assert code == 0 and out.startswith("Already downloaded")


@pytest.mark.parametrize(("args", "message"), [
    (["pull", "acme/nope"], "No model 'acme/nope' on the Hub"),
    (["pull", "acme/tiny-GGUF"], "several quants; choose one with --quant (Q8_0, F16)"),
    (["pull", "acme/tiny-GGUF", "--quant", "Q2_K"], "has no quant 'Q2_K'"),
    (["pull", "meta/Gated-GGUF"], "This model requires accepting its terms on the Hub: "),
    (["--offline", "pull", "acme/tiny-GGUF", "tiny-Q8_0.gguf"], "Hearth is offline"),
])
def test_pull_errors_are_one_line(repos: HubEmulator, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch, args: list[str], message: str) -> None:
    monkeypatch.setattr("hearth.core.hub_fit.assess_groups", lambda detail, profile=None: None)
    code, out, err = run(capsys, *args)
    assert code == 1 and out == ""
    assert err.startswith("hearth: error: ") and message in err and err.count("\n") == 1


def test_offline_flag_sends_no_request(repos: HubEmulator, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "search", "tiny")
    repos.clear_log()
    code, out, err = run(capsys, "--offline", "search", "tiny")
    assert code == 0 and "acme/tiny-GGUF" in out and "Hearth is offline; showing saved results" in err
    assert repos.requests() == []


def test_integrity_failure_and_full_disk_exit_non_zero(repos: HubEmulator, capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    repos.repos["acme/tiny-GGUF"].tamper("tiny-F16.gguf")
    code, _, err = run(capsys, "pull", "acme/tiny-GGUF", "tiny-F16.gguf")
    assert code == 1 and "failed verification (its sha256 does not match" in err and err.count("\n") == 1
    from hearth.core.downloads import transfer

    monkeypatch.setattr(transfer, "free_bytes", lambda folder: 10)
    code, _, err = run(capsys, "pull", "acme/tiny-GGUF", "--quant", "Q8_0")
    assert code == 1 and "Not enough free space" in err


def test_token_set_test_remove_reads_stdin(hub: HubEmulator, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    hub.add_token("hf_cli_token", user="ada")
    monkeypatch.setattr("sys.stdin", io.StringIO("hf_cli_token\n"))
    code, out, _ = run(capsys, "token", "set")
    assert code == 0 and "Token stored" in out
    code, out, _ = run(capsys, "token", "test")
    assert code == 0 and "Valid token for ada" in out
    assert run(capsys, "token", "remove")[1] == "Token removed.\n"
    code, _, err = run(capsys, "token", "test")
    assert code == 1 and "No token is stored" in err


def test_killed_pull_continues_where_it_stopped(repos: HubEmulator, hearth_home: Path) -> None:
    """A real `hearth pull` process is killed mid-transfer; running it again finishes the file."""
    repos.slow("/blobs/", bytes_per_s=60_000)
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring", "HEARTH_OFFLINE": "0"}
    process = subprocess.Popen([*hearth_command(), "pull", "acme/tiny-GGUF", "--quant", "Q8_0"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        parts: list[Path] = []
        while time.monotonic() < deadline:
            parts = [p for p in (hearth_home / "data" / "downloads").glob("*/0.part") if p.stat().st_size > 20_000]
            if parts:
                break
            time.sleep(0.05)
        assert parts, "the download never started"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    kept = parts[0].stat().st_size
    repos.clear_faults()
    repos.clear_log()
    result = run_hearth("pull", "acme/tiny-GGUF", "--quant", "Q8_0", timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Continuing Q8_0 from" in result.stderr and "Downloaded acme/tiny-GGUF Q8_0" in result.stdout
    (get,) = repos.requests("/blobs/", method="GET")
    assert get.range is not None and int(get.range.split("=")[1].rstrip("-")) >= kept
