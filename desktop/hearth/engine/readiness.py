"""Waiting for an engine process to answer, and explaining in one line why it did not or died."""

from __future__ import annotations

import re
import signal
import time
import urllib.error
import urllib.request
from collections.abc import Callable

from hearth.core.errors import Cancelled
from hearth.engine.errors import EngineStartError
from hearth.engine.process import EngineProcess

_POLL_SECONDS = 0.03
#: llama.cpp's own explanation of a failed load: the best reason there is.
_LOAD_ERROR = re.compile(r"error loading model: (.+)", re.I)
#: Other lines worth quoting, best first.
_ERROR_LINES = (
    re.compile(r"(failed to .+)", re.I),
    re.compile(r"\b(\w*Error: .+)"),
    re.compile(r"(error: .+)", re.I),
)
# urllib would send loopback requests to a configured HTTP proxy; never do that.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def connect_host(host: str) -> str:
    """The address to reach a server bound to ``host`` (a wildcard bind is reached on loopback)."""
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "::1"
    return host


def base_url(host: str, port: int) -> str:
    host = connect_host(host)
    return f"http://[{host}]:{port}/v1" if ":" in host else f"http://{host}:{port}/v1"


def answers(url: str, api_key: str | None, timeout: float = 2.0) -> bool:
    """Whether ``GET {url}/models`` succeeds with the key (connection refused = not yet)."""
    request = urllib.request.Request(f"{url}/models")
    if api_key:
        request.add_header("Authorization", f"Bearer {api_key}")
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return bool(response.status == 200)
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 403):
            raise EngineStartError("The engine refused its own key (another program on that port?)") from None
        return False
    except (urllib.error.URLError, OSError):
        return False


def wait_until_ready(process: EngineProcess, name: str, api_key: str | None, timeout: float,
                     progress: Callable[[int, int, str], None],
                     should_stop: Callable[[], bool] | None) -> str:
    """Block until the engine answers; returns its base URL. Raises EngineStartError or Cancelled."""
    deadline = time.monotonic() + timeout
    loading_reported = False
    while True:
        if (should_stop is not None and should_stop()) or process.stop_requested:
            raise Cancelled("Loading cancelled.")
        if process.exited.is_set():
            raise EngineStartError(start_failure_message(name, process), process.tail(20), process.log_path)
        if process.address is not None:
            url = base_url(*process.address)
            if not loading_reported:
                progress(1, 3, f"Loading {name}")
                loading_reported = True
            if answers(url, api_key):
                progress(2, 3, f"{name} is answering")
                return url
        if time.monotonic() >= deadline:
            raise EngineStartError(f"{name} did not finish loading within {timeout:.0f} seconds",
                                   process.tail(20), process.log_path)
        process.exited.wait(_POLL_SECONDS)


def _reason(process: EngineProcess) -> str | None:
    """The best one-line explanation: llama.cpp's load error, then the engine's own, then any error line."""
    lines = [line.strip() for line in process.tail(60) if line.strip()]

    def last_match(pattern: re.Pattern[str]) -> str | None:
        for line in reversed(lines):
            found = pattern.search(line)
            if found:
                return found.group(1).strip()
        return None

    return last_match(_LOAD_ERROR) or process.error_line or next(
        (found for pattern in _ERROR_LINES if (found := last_match(pattern))), None)


def _how_it_ended(code: int | None) -> str:
    if code is None:
        return "for an unknown reason"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = ", perhaps out of memory" if -code == getattr(signal, "SIGKILL", 9) else ""
        return f"killed by {name}{hint}"
    return f"exit code {code}"


def start_failure_message(name: str, process: EngineProcess) -> str:
    if process.error_line:
        return f"Could not load {name}: {_reason(process)}"
    reason = _reason(process)
    return f"The engine stopped while loading {name} ({_how_it_ended(process.returncode)})" + (
        f": {reason}" if reason else "")


def crash_message(name: str, process: EngineProcess) -> str:
    reason = _reason(process)
    return f"The engine running {name} stopped unexpectedly ({_how_it_ended(process.returncode)})" + (
        f": {reason}" if reason else "")
