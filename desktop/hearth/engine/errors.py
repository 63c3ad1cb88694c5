"""Errors the engine layer raises; like every HearthError, ``str()`` is one line for people."""

from __future__ import annotations

from pathlib import Path

from hearth.core.errors import HearthError


class EngineError(HearthError):
    """Base for problems starting, talking to or keeping an inference engine alive."""


class EngineStartError(EngineError):
    """An engine could not be started: unusable file, load failure, timeout, bad settings."""

    def __init__(self, message: str, log_tail: list[str] | None = None, log_path: Path | None = None) -> None:
        super().__init__(message)
        #: The engine's last output lines (llama.cpp's own explanation is usually here).
        self.log_tail = list(log_tail or [])
        self.log_path = log_path


class EngineCrashed(EngineError):
    """A running engine process died without being asked to (bad file, out of memory, crash, killed)."""

    def __init__(self, message: str, log_tail: list[str], log_path: Path | None, exit_code: int | None) -> None:
        super().__init__(message)
        self.log_tail = list(log_tail)
        self.log_path = log_path
        #: The process's exit status; negative numbers are POSIX signals (-9 = SIGKILL).
        self.exit_code = exit_code


class EngineUnavailable(EngineError):
    """The engine's address did not answer (not started, stopped, or a remote server is down)."""


class EngineRequestError(EngineError):
    """The engine answered a request with an error (bad key, bad parameters, server error)."""

    def __init__(self, message: str, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class ContextOverflowError(EngineRequestError):
    """The prompt (conversation so far plus the reply budget) does not fit the loaded context."""
