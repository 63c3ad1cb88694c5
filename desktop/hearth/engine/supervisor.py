"""Starts, watches and stops Hearth's engine processes, one per role (chat, embedding). Qt-free.

:meth:`EngineSupervisor.start` blocks until the engine answers (call it from a
worker thread); it reports progress through ``progress(done, total, detail)``
and stops early, raising :class:`Cancelled`, when ``should_stop()`` says so.
Every change of state is announced to listeners as an :class:`EngineEvent`,
from whichever thread noticed it (the starting thread, or the log reader
thread when a process dies): a GUI forwards events to its own thread.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from hearth.core.errors import Cancelled
from hearth.core.model_entry import ModelEntry
from hearth.core.netguard import GUARD
from hearth.core.paths import HOME_ENV, Paths
from hearth.core.quants import parse_split_name
from hearth.core.privacy import OFFLINE_ENV
from hearth.engine.client import EngineClient
from hearth.engine.endpoint import EngineEndpoint
from hearth.engine.errors import EngineCrashed, EngineError, EngineStartError
from hearth.engine.launch import EngineLaunch, engine_command
from hearth.engine.load_settings import ResolvedLoadSettings, resolve_load_settings
from hearth.engine.process import EngineProcess
from hearth.engine.readiness import crash_message, wait_until_ready

log = logging.getLogger(__name__)

DEFAULT_READY_TIMEOUT = 180.0
Progress = Callable[[int, int, str], None]
ShouldStop = Callable[[], bool]
_AUTO_KEY = object()


class EngineRole(StrEnum):
    CHAT = "chat"
    EMBEDDING = "embedding"


class EngineState(StrEnum):
    STOPPED = "stopped"
    STARTING = "starting"
    READY = "ready"
    FAILED = "failed"


@dataclass(frozen=True)
class EngineEvent:
    """A role's engine changed state. ``error`` is set for FAILED (EngineStartError or EngineCrashed)."""

    role: EngineRole
    state: EngineState
    model_id: str | None
    detail: str = ""
    error: EngineError | None = None


Listener = Callable[[EngineEvent], None]


def api_model_name(entry: ModelEntry) -> str:
    """The model's name in the OpenAI API (``/v1/models``): its file name, which people recognise."""
    split = parse_split_name(entry.path.name)
    return split.stem if split is not None else entry.path.name.removesuffix(".gguf").removesuffix(".GGUF")


class EngineHandle:
    """A started engine: where it answers, what it runs, and its log."""

    def __init__(self, role: EngineRole, entry: ModelEntry, settings: ResolvedLoadSettings,
                 process: EngineProcess, endpoint: EngineEndpoint) -> None:
        self.role = role
        self.model_id = entry.id
        self.model_name = entry.name
        self.api_name = api_model_name(entry)
        self.settings = settings
        self.endpoint = endpoint
        self._process = process
        self.crash: EngineCrashed | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid

    @property
    def n_ctx(self) -> int | None:
        """The loaded context length (what :class:`~hearth.engine.target.ChatTarget` asks)."""
        return self.settings.n_ctx

    @property
    def log_path(self) -> Path:
        return self._process.log_path

    @property
    def alive(self) -> bool:
        return not self._process.exited.is_set()

    def log_tail(self, lines: int = 40) -> list[str]:
        return self._process.tail(lines)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the engine process ends (or ``timeout``); True if it has ended."""
        return self._process.exited.wait(timeout)

    def client(self, timeout: float = 600.0) -> EngineClient:
        """A client for this engine whose connection errors become EngineCrashed when it died."""
        return EngineClient(self.endpoint, model=self.model_id, timeout=timeout, diagnose=self.diagnose)

    def diagnose(self, wait: float = 2.0) -> EngineCrashed | None:
        """The crash that explains a failed request, waiting briefly for a dying process to end."""
        if self._process.exited.wait(wait) and self._process.stop_requested is False:
            return self.crash or EngineCrashed(
                crash_message(self.model_name, self._process), self._process.tail(20),
                self._process.log_path, self._process.returncode,
            )
        return None


class EngineSupervisor:
    """Runs at most one engine per :class:`EngineRole`. All methods are thread-safe."""

    def __init__(self, paths: Paths, *, command: Sequence[str] | None = None,
                 ready_timeout: float = DEFAULT_READY_TIMEOUT) -> None:
        self.paths = paths
        self.command = list(command) if command else engine_command()
        self.ready_timeout = ready_timeout
        self._lock = threading.RLock()
        self._handles: dict[EngineRole, EngineHandle] = {}
        self._states: dict[EngineRole, EngineState] = {}
        self._errors: dict[EngineRole, EngineError] = {}
        self._listeners: list[Listener] = []

    # ---- observing -----------------------------------------------------------------------
    def add_listener(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(event)`` on every state change; returns a function that unsubscribes."""
        with self._lock:
            self._listeners.append(listener)

        def remove() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return remove

    def state(self, role: EngineRole = EngineRole.CHAT) -> EngineState:
        with self._lock:
            return self._states.get(role, EngineState.STOPPED)

    def handle(self, role: EngineRole = EngineRole.CHAT) -> EngineHandle | None:
        """The READY (or STARTING) engine for ``role``, or None."""
        with self._lock:
            return self._handles.get(role)

    def last_error(self, role: EngineRole = EngineRole.CHAT) -> EngineError | None:
        with self._lock:
            return self._errors.get(role)

    # ---- starting ------------------------------------------------------------------------
    def start(self, entry: ModelEntry, settings: ResolvedLoadSettings | None = None, *,
              role: EngineRole = EngineRole.CHAT, host: str = "127.0.0.1", port: int = 0,
              api_key: str | None | object = _AUTO_KEY, timeout: float | None = None,
              progress: Progress | None = None, should_stop: ShouldStop | None = None) -> EngineHandle:
        """Load ``entry`` in a new engine for ``role`` (replacing any engine there) and wait until it answers.

        ``api_key`` defaults to a fresh random key; pass None for an engine without one.
        Raises EngineStartError (one line, with ``log_tail``) or Cancelled.
        """
        if not entry.usable:
            reason = "; ".join(entry.problems) or "the file could not be read"
            raise EngineStartError(f"Cannot load {entry.name}: {reason}")
        if settings is None:
            settings = resolve_load_settings(entry, embedding=role is EngineRole.EMBEDDING)
        key = secrets.token_urlsafe(24) if api_key is _AUTO_KEY else api_key
        assert key is None or isinstance(key, str)
        self.stop(role)
        launch = EngineLaunch.build(entry.path, api_model_name(entry), settings, host=host, port=port, api_key=key)
        process = EngineProcess(self.command, launch, self.paths.logs / f"engine-{role.value}.log",
                                env=self._child_env(), on_exit=lambda p: self._exited(role, p))
        report = progress or (lambda done, total, detail: None)
        report(0, 3, f"Starting the engine for {entry.name}")
        with self._lock:
            handle = EngineHandle(role, entry, settings, process, EngineEndpoint("", key, entry.name))
            self._handles[role] = handle
            self._errors.pop(role, None)
        self._set(role, EngineState.STARTING, entry.id, f"Loading {entry.name}")
        try:
            try:
                process.start()
            except OSError as exc:
                raise EngineStartError(f"Could not start the engine: {exc.strerror or exc}") from None
            url = wait_until_ready(process, entry.name, key, timeout or self.ready_timeout, report, should_stop)
        except Cancelled:
            self._forget(role, process)
            process.stop()
            self._set(role, EngineState.STOPPED, entry.id, "Loading cancelled")
            raise
        except EngineStartError as error:
            self._forget(role, process)
            process.stop()
            with self._lock:
                self._errors[role] = error
            self._set(role, EngineState.FAILED, entry.id, str(error), error)
            raise
        with self._lock:
            if self._handles.get(role) is not handle:  # stopped from another thread meanwhile
                raise Cancelled("Loading cancelled.")
            handle.endpoint = EngineEndpoint(url, key, entry.name)
            self._states[role] = EngineState.READY
        report(3, 3, f"{entry.name} is ready")
        log.info("engine %s ready: %s (pid %s, %s)", role.value, entry.name, process.pid, url)
        self._set(role, EngineState.READY, entry.id, f"{entry.name} is ready")
        if process.exited.is_set():  # died between answering and READY: the reader skipped it
            self._exited(role, process)
        return handle

    def _child_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["PYTHONUNBUFFERED"] = "1"
        env["PYTHONIOENCODING"] = "utf-8"
        # The engine needs none of the user's data; a home of its own keeps it off the app's files.
        env[HOME_ENV] = str(self.paths.cache / "engine-home")
        if GUARD.offline:  # the settings switch lives in this process; the child's guard reads the variable
            env[OFFLINE_ENV] = "1"
        return env

    # ---- stopping ------------------------------------------------------------------------
    def stop(self, role: EngineRole = EngineRole.CHAT) -> None:
        """Unload ``role``'s engine (if any): the process ends and its memory is freed."""
        with self._lock:
            handle = self._handles.pop(role, None)
        if handle is None:
            return
        handle._process.stop()
        self._set(role, EngineState.STOPPED, handle.model_id, f"{handle.model_name} unloaded")

    def stop_all(self) -> None:
        for role in list(EngineRole):
            self.stop(role)

    def close(self) -> None:
        self.stop_all()

    def __enter__(self) -> EngineSupervisor:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ---- internals -----------------------------------------------------------------------
    def _forget(self, role: EngineRole, process: EngineProcess) -> None:
        with self._lock:
            current = self._handles.get(role)
            if current is not None and current._process is process:
                del self._handles[role]

    def _exited(self, role: EngineRole, process: EngineProcess) -> None:
        """Reader thread: a process ended. If it was READY and nobody asked, that is a crash."""
        with self._lock:
            handle = self._handles.get(role)
            if handle is None or handle._process is not process or process.stop_requested:
                return
            if self._states.get(role) is not EngineState.READY:
                return  # start() is waiting on it and reports the failure itself
            crash = EngineCrashed(crash_message(handle.model_name, process), process.tail(20),
                                  process.log_path, process.returncode)
            handle.crash = crash
            del self._handles[role]
            self._errors[role] = crash
        log.error("%s\n%s", crash, "\n".join(crash.log_tail))
        self._set(role, EngineState.FAILED, handle.model_id, str(crash), crash)

    def _set(self, role: EngineRole, state: EngineState, model_id: str | None, detail: str,
             error: EngineError | None = None) -> None:
        with self._lock:
            self._states[role] = state
            listeners = list(self._listeners)
        event = EngineEvent(role, state, model_id, detail, error)
        for listener in listeners:
            try:
                listener(event)
            except Exception:  # a listener's bug must not break the supervisor
                log.exception("engine listener failed")

