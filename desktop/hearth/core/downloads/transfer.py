"""One resumable HTTP transfer of one Hub file into a ``.part`` file, hashed while it streams.

Each attempt asks the Hub for the file's current location (``get_hf_file_metadata``:
a HEAD on /resolve that answers with the CDN address, commit, etag and size),
then GETs it with ``Range: bytes=<have>-``. Dropped connections and 5xx answers
are retried with exponential backoff; the attempt count starts again whenever
bytes arrived, so a flaky but working line finishes.

Resuming and the hash: hashlib cannot save its state, so on resume the bytes
already in the ``.part`` file are hashed once (from disk, fast) before the
transfer continues. The partial file is therefore always the source of truth,
even after a crash in the middle of a write.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from hearth.core import hub_http
from hearth.core.errors import Cancelled
from hearth.core.hub_errors import DiskFullError, DownloadError, HubError, NetworkError, is_disk_full, translate

log = logging.getLogger(__name__)

CHUNK = 1 << 20
#: Kept free beyond the download itself, so the system does not run dry.
SPACE_MARGIN = 256 * 1024 * 1024
_RETRY_STATUS = {408, 429, 500, 502, 503, 504}


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6  # tries without progress before giving up
    base_delay: float = 1.0
    max_delay: float = 30.0

    def delay(self, failures: int) -> float:
        return min(self.max_delay, self.base_delay * 2 ** max(0, failures - 1))


@dataclass
class TransferContext:
    repo_id: str
    revision: str
    token: str | None
    on_bytes: Callable[[int], None]  # called with each chunk's length
    should_stop: Callable[[], bool]
    wait: Callable[[float], None]  # sleeps, returning early when asked to stop
    retry: RetryPolicy = RetryPolicy()


def free_bytes(folder: Path) -> int:
    """Free space on the file system holding ``folder`` (or its nearest existing parent)."""
    probe = folder
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    return shutil.disk_usage(probe).free


def check_space(folder: Path, needed: int) -> None:
    free = free_bytes(folder)
    if needed + SPACE_MARGIN > free:
        from hearth.core.units import human_bytes

        raise DiskFullError(f"Not enough free space: the download needs {human_bytes(needed)} more "
                            f"(plus {human_bytes(SPACE_MARGIN)} to spare) but only {human_bytes(free)} is free")


def write_chunk(handle: BinaryIO, data: bytes | memoryview) -> None:
    """The one place bytes reach the disk (tests replace it to simulate a full disk)."""
    handle.write(data)


class Hashes:
    """sha256 (always) and git blob sha1 (when that is all the Hub recorded) of a growing file."""

    def __init__(self, size: int | None, want_blob: bool) -> None:
        self._size = size
        self._want_blob = want_blob and size is not None
        self.reset()

    def reset(self) -> None:
        self.sha256 = hashlib.sha256()
        self.blob = hashlib.sha1(b"blob %d\0" % self._size) if self._want_blob else None

    def update(self, data: bytes | memoryview) -> None:
        self.sha256.update(data)
        if self.blob is not None:
            self.blob.update(data)


def hash_existing(part: Path, hashes: Hashes, should_stop: Callable[[], bool]) -> int:
    """Feed the bytes already downloaded into the hashes; returns how many there were."""
    done = 0
    with part.open("rb") as handle:
        while chunk := handle.read(8 * CHUNK):
            if should_stop():
                raise Cancelled()
            hashes.update(chunk)
            done += len(chunk)
    return done


def fetch(path_in_repo: str, size: int | None, part: Path, hashes: Hashes, ctx: TransferContext) -> int:
    """Bring ``part`` to the whole file, resuming from what it holds. Returns its final size.

    Raises Cancelled when stopped, DiskFullError, NetworkError after the retries,
    or the translated Hub error (gated, not found...) at once.
    """
    state = _Written(part.stat().st_size if part.exists() else 0)
    if size is not None and state.have > size:
        part.unlink()
        state.have = 0
    if state.have:
        state.have = hash_existing(part, hashes, ctx.should_stop)
    failures = 0
    while size is None or state.have < size:
        if ctx.should_stop():
            raise Cancelled()
        before = state.have
        try:
            _attempt(path_in_repo, size, part, state, hashes, ctx)
            if size is None or state.have >= size:
                break
            raise NetworkError("Could not reach the Hub: the connection closed early")
        except (Cancelled, DownloadError):
            raise
        except Exception as exc:
            error = _as_hub_error(exc, ctx.repo_id)
            if not isinstance(error, NetworkError) and not _retryable_status(exc):
                raise error from exc
            failures = 1 if state.have > before else failures + 1
            if failures > ctx.retry.attempts:
                raise error from exc
            delay = ctx.retry.delay(failures)
            log.info("download of %s interrupted (%s); retry %d in %.1fs", path_in_repo, error, failures, delay)
            ctx.wait(delay)
    return state.have


@dataclass
class _Written:
    """Bytes in the part file that the hashes have seen; kept current chunk by chunk so an
    exception in the middle of a body loses nothing."""

    have: int


def _attempt(path_in_repo: str, size: int | None, part: Path, state: _Written, hashes: Hashes,
             ctx: TransferContext) -> None:
    """One HEAD + ranged GET, appending to ``part`` and advancing ``state.have``."""
    endpoint = hub_http.endpoint()
    url = hub_http.hf_hub_url(ctx.repo_id, path_in_repo, revision=ctx.revision, endpoint=endpoint)
    meta = hub_http.get_hf_file_metadata(url, token=ctx.token or False, endpoint=endpoint,
                                         timeout=hub_http.API_TIMEOUT_S, library_name="hearth")
    headers = {"Accept-Encoding": "identity"}
    location = meta.location
    if _same_origin(location, endpoint) and ctx.token:  # the token never goes to a CDN
        headers["authorization"] = f"Bearer {ctx.token}"
    if state.have:
        headers["Range"] = f"bytes={state.have}-"
    timeout = hub_http.httpx2.Timeout(30.0, read=60.0)
    with hub_http.get_session().stream("GET", location, headers=headers, timeout=timeout,
                                       follow_redirects=True) as response:
        hub_http.hf_raise_for_status(response)
        mode = "ab"
        if state.have and response.status_code != 206:
            log.info("server ignored the range for %s; starting over", path_in_repo)
            hashes.reset()
            ctx.on_bytes(-state.have)
            state.have, mode = 0, "wb"
        try:
            with part.open(mode, buffering=0) as handle:
                for chunk in response.iter_raw():
                    write_chunk(handle, chunk)
                    hashes.update(chunk)
                    state.have += len(chunk)
                    ctx.on_bytes(len(chunk))
                    if ctx.should_stop():
                        raise Cancelled()
                    if size is not None and state.have > size:
                        break  # a server sending too much: verification will reject the file
        except OSError as exc:
            if is_disk_full(exc):
                raise DiskFullError("The disk is full; free some space and resume the download") from exc
            if isinstance(exc, hub_http.httpx2.HTTPError | ConnectionError):
                raise
            raise DownloadError(f"Could not write {part}: {exc.strerror or exc}") from exc


def _same_origin(url: str, endpoint: str) -> bool:
    from urllib.parse import urlsplit

    a, b = urlsplit(url), urlsplit(endpoint)
    return (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port)


def _retryable_status(exc: BaseException) -> bool:
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None) in _RETRY_STATUS


def _as_hub_error(exc: BaseException, repo_id: str) -> HubError:
    error = translate(exc, endpoint=hub_http.endpoint(), repo_id=repo_id)
    if isinstance(error, HubError):
        return error
    return NetworkError(f"Could not reach the Hub: {error}") if isinstance(exc, OSError) else HubError(str(error))


def remove_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
