"""One-line errors for everything that can go wrong between Hearth and the Hub.

``translate`` turns whatever huggingface_hub or its HTTP client raised into one
of these, so the GUI and the command line only ever show a single readable line.
"""

from __future__ import annotations

import errno
import logging

from hearth.core.errors import HearthError

log = logging.getLogger(__name__)


class HubError(HearthError):
    """The Hub answered with an error, or could not be reached."""


class RepoNotFoundError(HubError):
    """No such repository (or it is private and the token cannot see it)."""


class RevisionNotFoundError(HubError):
    """The repository exists but not at the asked revision."""


class FileNotOnHubError(HubError):
    """The repository exists but has no such file."""


class GatedRepoError(HubError):
    """The repository requires accepting its terms (and a token of an account that did)."""

    def __init__(self, repo_url: str) -> None:
        super().__init__(f"This model requires accepting its terms on the Hub: {repo_url}")
        self.repo_url = repo_url


class OfflineError(HubError):
    """Hearth is in offline mode, so no request was sent."""


class NetworkError(HubError):
    """The Hub could not be reached (no connection, timeout, broken transfer)."""


class NoGGUFError(HubError):
    """The repository holds no GGUF file Hearth could download."""


class DownloadError(HearthError):
    """A download could not finish (base of the download-specific errors)."""


class IntegrityError(DownloadError):
    """A downloaded file's size or sha256 differs from what the Hub recorded."""


class DiskFullError(DownloadError):
    """Not enough free space to start or finish a download."""


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def translate(exc: BaseException, *, endpoint: str, repo_id: str | None = None) -> HearthError:
    """Map an exception from huggingface_hub / httpx2 to a HearthError with one line of text."""
    import httpx2
    from huggingface_hub import errors as hf_errors

    if isinstance(exc, HearthError):
        return exc
    repo_url = f"{endpoint.rstrip('/')}/{repo_id}" if repo_id else endpoint
    if isinstance(exc, hf_errors.OfflineModeIsEnabled):
        return OfflineError("Hearth is offline; turn offline mode off to reach the Hub.")
    if isinstance(exc, hf_errors.GatedRepoError):
        return GatedRepoError(repo_url)
    if isinstance(exc, hf_errors.RevisionNotFoundError):
        return RevisionNotFoundError(f"{repo_id or 'The repository'} has no such revision on the Hub")
    if isinstance(exc, hf_errors.RemoteEntryNotFoundError):
        return FileNotOnHubError(f"{repo_id or 'The repository'} has no such file on the Hub")
    if isinstance(exc, hf_errors.RepositoryNotFoundError):
        return RepoNotFoundError(
            f"No model '{repo_id}' on the Hub (check the name; private models need a token)"
            if repo_id else "No such model on the Hub"
        )
    if isinstance(exc, hf_errors.HfHubHTTPError):
        status = exc.response.status_code if exc.response is not None else "?"
        if status == 401:
            return HubError("The Hub refused the token (HTTP 401); check it with 'hearth token test'")
        return HubError(f"The Hub answered HTTP {status} for {repo_id or 'the request'}")
    if isinstance(exc, httpx2.TimeoutException):
        return NetworkError("Could not reach the Hub: the connection timed out")
    if isinstance(exc, httpx2.HTTPError | ConnectionError):
        return NetworkError(f"Could not reach the Hub: {_reason(exc)}")
    if is_disk_full(exc):
        return DiskFullError("The disk is full; free some space and resume the download")
    log.debug("untranslated hub error", exc_info=exc)
    return HubError(f"Hub request failed: {_reason(exc)}")


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text and text[0] else exc.__class__.__name__
