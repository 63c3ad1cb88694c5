"""One offline switch for the guard, huggingface_hub and the setting; telemetry is off."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest

from hearth.core import privacy
from hearth.core.netguard import GUARD, OfflineBlocked
from hearth.core.netlog import NETWORK_LOG
from hearth.core.paths import Paths
from hearth.core.services import Services


@pytest.fixture
def clean_log(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(privacy.OFFLINE_ENV, raising=False)
    NETWORK_LOG.clear()
    yield
    privacy.apply_to_hub_client(False)
    NETWORK_LOG.clear()


def test_set_offline_flips_the_guard_the_hub_client_and_the_setting(services: Services, clean_log: None) -> None:
    GUARD.install()
    assert privacy.set_offline(True, services.settings) is True
    assert GUARD.offline and os.environ.get("HF_HUB_OFFLINE") == "1"
    assert Services.open().settings.settings.offline is True
    sock = socket.socket()
    with pytest.raises(OfflineBlocked):
        sock.connect(("0.0.0.0", 9))  # stands in for an outside address
    sock.close()
    assert privacy.set_offline(False, services.settings) is False
    assert not GUARD.offline and "HF_HUB_OFFLINE" not in os.environ
    assert Services.open().settings.settings.offline is False


def test_the_environment_keeps_hearth_offline(services: Services, clean_log: None,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(privacy.OFFLINE_ENV, "1")
    assert privacy.set_offline(False, services.settings) is True
    assert GUARD.offline


def test_start_guard_mirrors_the_log_to_the_logs_folder(paths: Paths, clean_log: None) -> None:
    assert privacy.start_guard(paths.logs) is False
    NETWORK_LOG.http("GET", "http://127.0.0.1:5/v1/models", "engine", 200, 12)
    written = (paths.logs / "network.jsonl").read_text(encoding="utf-8")
    assert '"loopback": true' in written and '"/v1/models"' in written


def test_huggingface_hub_telemetry_is_off_after_importing_hub_http() -> None:
    code = ("import os; os.environ.pop('HF_HUB_DISABLE_TELEMETRY', None)\n"
            "from hearth.core import hub_http\n"
            "import huggingface_hub.constants as c\n"
            "assert os.environ['HF_HUB_DISABLE_TELEMETRY'] == '1', os.environ.get('HF_HUB_DISABLE_TELEMETRY')\n"
            "assert c.HF_HUB_DISABLE_TELEMETRY is True\n"
            "print('telemetry off')")
    env = {k: v for k, v in os.environ.items() if k != "HF_HUB_DISABLE_TELEMETRY"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "telemetry off" in done.stdout, done.stderr


def test_an_engine_child_installs_the_guard_and_refuses_outside_connections() -> None:
    """The engine process's guard, as ``hearth engine`` sets it up, with HEARTH_OFFLINE inherited."""
    code = ("import socket\n"
            "from hearth.engine.server_main import _guard_network\n"
            "_guard_network()\n"
            "s = socket.socket()\n"
            "try:\n"
            "    s.connect(('0.0.0.0', 9))\n"
            "except ConnectionRefusedError as exc:\n"
            "    print('refused:', type(exc).__name__)\n")
    env = dict(os.environ, HEARTH_OFFLINE="1")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert "refused: OfflineBlocked" in done.stdout, done.stderr
    assert "hearth engine: offline mode on" in done.stderr
    assert "blocked=True" in done.stderr and "0.0.0.0" in done.stderr  # the child's log lists the attempt
