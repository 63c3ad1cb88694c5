"""One engine child process: started, its output captured to a log file and a tail, its end noticed.

A reader thread drains the child's merged stdout/stderr (so the child never
blocks on a full pipe), writes every line to the log file, keeps the last lines
in memory, picks out the protocol lines of :mod:`hearth.engine.launch`, and
calls ``on_exit`` once the process has ended.
"""

from __future__ import annotations

import collections
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

from hearth.engine.launch import ERROR, LISTENING, EngineLaunch, parse_marker

log = logging.getLogger(__name__)

TAIL_LINES = 200
_WINDOWS_FLAGS = 0x00000200 | 0x08000000  # CREATE_NEW_PROCESS_GROUP | CREATE_NO_WINDOW


class EngineProcess:
    """Start with :meth:`start`; stop with :meth:`stop`. Thread-safe for readers of its state."""

    def __init__(self, command: Sequence[str], launch: EngineLaunch, log_path: Path, *,
                 env: dict[str, str] | None = None,
                 on_exit: Callable[[EngineProcess], None] | None = None) -> None:
        self.command = list(command)
        self.launch = launch
        self.log_path = log_path
        self._env = env
        self._on_exit = on_exit
        self._tail: collections.deque[str] = collections.deque(maxlen=TAIL_LINES)
        self._changed = threading.Condition()
        self._popen: subprocess.Popen[bytes] | None = None
        self._reader: threading.Thread | None = None
        self.address: tuple[str, int] | None = None
        self.error_line: str | None = None
        self.stop_requested = False
        self.exited = threading.Event()

    # ---- lifecycle -----------------------------------------------------------------------
    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        if self.log_path.exists():  # keep the previous run's log: it may explain a crash
            os.replace(self.log_path, self.log_path.with_suffix(".previous.log"))
        log_file = self.log_path.open("w", encoding="utf-8", errors="replace")
        log_file.write(f"=== {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(self.command)}\n")
        log_file.flush()
        kwargs: dict[str, object] = {}
        if sys.platform == "win32":
            kwargs["creationflags"] = _WINDOWS_FLAGS
        else:
            kwargs["start_new_session"] = True  # Ctrl-C in a terminal must not reach the engine
        try:
            self._popen = subprocess.Popen(
                self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                env=self._env, **kwargs,  # type: ignore[call-overload]
            )
        except OSError:
            log_file.close()
            raise
        assert self._popen.stdin is not None and self._popen.stdout is not None
        try:
            self._popen.stdin.write(self.launch.to_json().encode("utf-8") + b"\n")
            self._popen.stdin.flush()
        except OSError:  # it died at once; the reader reports how
            pass
        self._reader = threading.Thread(
            target=self._read, args=(self._popen.stdout, log_file), name=f"engine-log-{self.pid}", daemon=True,
        )
        self._reader.start()

    def stop(self, grace: float = 3.0) -> None:
        """Ask the engine to go (close its stdin), then terminate, then kill. Blocks until it is gone."""
        self.stop_requested = True
        popen = self._popen
        if popen is None:
            return
        self._close_stdin()
        for action in (None, popen.terminate, popen.kill):
            if action is not None:
                try:
                    action()
                except OSError:
                    pass
            try:
                popen.wait(timeout=grace)
                break
            except subprocess.TimeoutExpired:
                continue
        self.exited.wait(timeout=grace)

    def _close_stdin(self) -> None:
        stdin = self._popen.stdin if self._popen else None
        try:
            if stdin is not None and not stdin.closed:
                stdin.close()
        except OSError:  # the engine is gone and the pipe broken: nothing to tell it
            pass

    def kill(self) -> None:
        """End the process at once without marking it as stopped on purpose (tests use this)."""
        if self._popen is not None:
            self._popen.kill()

    # ---- state ---------------------------------------------------------------------------
    @property
    def pid(self) -> int | None:
        return self._popen.pid if self._popen else None

    @property
    def returncode(self) -> int | None:
        return self._popen.poll() if self._popen else None

    def tail(self, lines: int = 40) -> list[str]:
        with self._changed:
            return list(self._tail)[-lines:]

    def wait_for_change(self, timeout: float) -> None:
        """Sleep until the process prints or ends, or ``timeout`` passes."""
        with self._changed:
            if not self.exited.is_set():
                self._changed.wait(timeout)

    # ---- reader thread -------------------------------------------------------------------
    def _read(self, stream: IO[bytes], log_file: IO[str]) -> None:
        try:
            with log_file:
                for raw in iter(stream.readline, b""):
                    line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
                    log_file.write(line + "\n")
                    log_file.flush()
                    self._note(line)
        except (OSError, ValueError) as exc:  # the log file vanished or the disk filled up
            log.warning("engine log %s: %s", self.log_path, exc)
            for _ in iter(stream.readline, b""):
                pass
        finally:
            stream.close()
            if self._popen is not None:
                self._popen.wait()
                self._close_stdin()
            with self._changed:
                self.exited.set()
                self._changed.notify_all()
            if self._on_exit is not None:
                self._on_exit(self)

    def _note(self, line: str) -> None:
        marker = parse_marker(line)
        with self._changed:
            if marker is None:
                self._tail.append(line)
            elif marker[0] == LISTENING:
                host, _, port = marker[1].rpartition(" ")
                self.address = (host, int(port))
            elif marker[0] == ERROR:
                self.error_line = marker[1]
            self._changed.notify_all()
