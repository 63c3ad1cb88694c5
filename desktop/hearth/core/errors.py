"""The typed errors core raises; each carries a one-line message meant for people."""

from __future__ import annotations


class HearthError(Exception):
    """Base for every error Hearth expects and explains to the user.

    ``str(err)`` is a single line that the GUI and the command line show as is.
    """


class GGUFError(HearthError):
    """A file is not a readable GGUF model (wrong magic, truncated, absurd header, no access)."""


class LibraryError(HearthError):
    """A library operation could not be done (unknown id, file exists, disk full...)."""


class SettingsError(HearthError):
    """Settings could not be saved."""


class Cancelled(HearthError):
    """A long task stopped because the user asked it to."""

    def __init__(self, message: str = "Cancelled.") -> None:
        super().__init__(message)
