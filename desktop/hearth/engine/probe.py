"""What the installed llama.cpp build can do, asked in a short-lived ``hearth engine --probe`` process.

The GUI process never imports llama_cpp, so questions such as "can this build
offload to a GPU?" or "which chat formats exist?" go to a child process. The
answer is cached for the life of the process.
"""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from hearth.engine.errors import EngineError
from hearth.engine.launch import engine_command

_cache: dict[tuple[str, ...], BackendInfo] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class BackendInfo:
    llama_cpp_python: str
    gpu_offload: bool
    mmap: bool
    mlock: bool
    chat_formats: list[str] = field(default_factory=list)


def probe_backend(command: Sequence[str] | None = None, timeout: float = 60.0) -> BackendInfo:
    """Run the probe once per command line and cache it. Raises EngineError when it fails."""
    argv = tuple(command or engine_command()) + ("--probe",)
    with _lock:
        if argv in _cache:
            return _cache[argv]
    try:
        done = subprocess.run(argv, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EngineError(f"Could not ask llama.cpp what it supports: {exc}") from None
    try:
        raw = json.loads(done.stdout.decode("utf-8").strip().splitlines()[-1])
        info = BackendInfo(
            llama_cpp_python=str(raw["llama_cpp_python"]), gpu_offload=bool(raw["gpu_offload"]),
            mmap=bool(raw["mmap"]), mlock=bool(raw["mlock"]), chat_formats=[str(n) for n in raw["chat_formats"]],
        )
    except (ValueError, KeyError, IndexError, TypeError):
        last = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no output"])[-1]
        raise EngineError(f"llama.cpp could not be probed (exit code {done.returncode}): {last}") from None
    with _lock:
        _cache[argv] = info
    return info
