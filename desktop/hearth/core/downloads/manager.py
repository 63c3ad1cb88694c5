"""The download queue: runs jobs on worker threads, pauses, resumes, cancels, and tells listeners.

Every public method is thread-safe and returns quickly; transfers run on one
thread per running job (at most ``download_concurrency`` at once). Listeners
registered with :meth:`DownloadManager.subscribe` receive :class:`DownloadEvent`
objects *on the worker threads* (or on the caller's thread for add/pause/...):
a GUI should forward them to its own thread (a Qt signal with a queued
connection does exactly that). The command line calls :meth:`wait`.

Jobs survive restarts: their records and partial files stay under
``<data>/downloads/``. A job that was running when the process ended comes back
paused; resuming it continues where its bytes stopped.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hearth.core import privacy, secrets
from hearth.core.downloads.install import destination, install, verify
from hearth.core.downloads.events import EventBus, Listener
from hearth.core.downloads.job import (
    ACTIVE_STATES, RESUMABLE_STATES, DownloadEvent, DownloadJob, JobSnapshot, JobState,
)
from hearth.core.downloads.store import JobStore
from hearth.core.downloads.transfer import Hashes, RetryPolicy, TransferContext, check_space, fetch
from hearth.core.errors import Cancelled, HearthError
from hearth.core.hub_errors import DiskFullError, DownloadError, OfflineError
from hearth.core.hub_models import QuantGroup, RepoDetail
from hearth.core.library import Library
from hearth.core.paths import Paths
from hearth.core.settings import SettingsStore

if TYPE_CHECKING:
    from hearth.core.services import Services

log = logging.getLogger(__name__)

_SPEED_WINDOW_S = 3.0
_STOP_MESSAGES = {
    "pause": "Paused.",
    "offline": "Paused: Hearth went offline.",
    "shutdown": "Paused when Hearth closed; resume to continue.",
}


@dataclass
class _Live:
    """Run-time state of a job (not saved): bytes so far, speed samples, the stop switch."""

    done_bytes: int = 0
    stop: threading.Event = field(default_factory=threading.Event)
    reason: str | None = None
    thread: threading.Thread | None = None
    samples: deque[tuple[float, int]] = field(default_factory=lambda: deque(maxlen=256))
    last_emit: float = 0.0

    def speed(self) -> float:
        if len(self.samples) < 2:
            return 0.0
        (t0, b0), (t1, b1) = self.samples[0], self.samples[-1]
        return (b1 - b0) / (t1 - t0) if t1 > t0 else 0.0


class DownloadManager:
    """Queue and run Hub downloads into the library."""

    def __init__(self, paths: Paths, library: Library, *, settings: SettingsStore | None = None,
                 concurrency: int | None = None, token: Callable[[], str | None] = secrets.get_token,
                 retry: RetryPolicy = RetryPolicy(), progress_interval: float = 0.25) -> None:
        self.paths = paths
        self.library = library
        self.settings = settings
        self.store = JobStore(paths.data / "downloads")
        self.retry = retry
        self.progress_interval = progress_interval
        self._concurrency = concurrency
        self._token = token
        self._cond = threading.Condition(threading.RLock())
        self._jobs: dict[str, DownloadJob] = {}
        self._live: dict[str, _Live] = {}
        self._events = EventBus(self._cond)
        self._closed = False
        for job in self.store.load():
            self._jobs[job.id] = job
            self._live[job.id] = _Live(done_bytes=self.store.bytes_on_disk(job))

    @classmethod
    def from_services(cls, services: Services, **options: Any) -> DownloadManager:
        """A manager on the app's folders, library and settings (options: see __init__)."""
        return cls(services.paths, services.library, settings=services.settings, **options)

    # ---- reading ---------------------------------------------------------------------------
    def jobs(self) -> list[JobSnapshot]:
        with self._cond:
            return [self._snapshot(job) for job in sorted(self._jobs.values(), key=lambda j: j.created_at)]

    def get(self, job_id: str) -> JobSnapshot:
        with self._cond:
            if job_id not in self._jobs:
                raise DownloadError(f"No download '{job_id}'")
            return self._snapshot(self._jobs[job_id])

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(event)`` on every change; returns a function that unsubscribes."""
        return self._events.subscribe(listener)

    @property
    def concurrency(self) -> int:
        wanted = self._concurrency
        if wanted is None:
            wanted = self.settings.settings.download_concurrency if self.settings else 2
        return max(1, min(int(wanted), 8))

    def installed_paths(self, detail: RepoDetail, group: QuantGroup) -> list[Path] | None:
        """The files of this group already in the models folder with the Hub's sizes, else None."""
        targets = [destination(self.paths, detail.id, f.path) for f in group.files]
        for target, f in zip(targets, group.files):
            if not target.is_file() or (f.size is not None and target.stat().st_size != f.size):
                return None
        return targets

    # ---- commands --------------------------------------------------------------------------
    def add(self, detail: RepoDetail, group: QuantGroup) -> JobSnapshot:
        """Queue a group for download (or resume the unfinished job for the same files)."""
        self._check_online()
        job = DownloadJob.for_group(detail, group)
        with self._cond:
            existing = self._jobs.get(job.id)
            known = existing is not None and existing.state not in (JobState.DONE, JobState.CANCELLED)
            if not known:
                check_space(self.store.root, job.total_bytes)
                self._jobs[job.id] = job
                self._live[job.id] = _Live()
                self.store.save(job)
                self._queue("added", job)
        if known:  # the same files again: continue that job (outside the lock: resume delivers events)
            return self.resume(job.id)
        self._schedule()
        return self.get(job.id)

    def pause(self, job_id: str) -> JobSnapshot:
        with self._cond:
            job = self._job(job_id)
            if job.state == JobState.QUEUED:
                self._set_state(job, JobState.PAUSED, _STOP_MESSAGES["pause"])
            elif job.state in ACTIVE_STATES:
                self._request_stop(job_id, "pause")
        self._flush()
        return self.get(job_id)

    def resume(self, job_id: str) -> JobSnapshot:
        self._check_online()
        with self._cond:
            job = self._job(job_id)
            if job.state in RESUMABLE_STATES:
                self._set_state(job, JobState.QUEUED, "")
        self._schedule()
        return self.get(job_id)

    def cancel(self, job_id: str) -> JobSnapshot:
        """Stop a job and delete its partial files."""
        with self._cond:
            job = self._job(job_id)
            if job.state in (JobState.RUNNING, JobState.VERIFYING):
                self._request_stop(job_id, "cancel")
                return self._snapshot(job)
            if job.state not in (JobState.DONE, JobState.CANCELLED):
                self._discard(job)
        self._flush()
        return self.get(job_id)

    def forget(self, job_id: str) -> None:
        """Drop a finished (done or cancelled) job from the list."""
        with self._cond:
            job = self._job(job_id)
            if job.state not in (JobState.DONE, JobState.CANCELLED):
                raise DownloadError("Cancel the download first")
            self._queue("removed", job)
            del self._jobs[job_id]
            self._live.pop(job_id, None)
        self._flush()

    def wait(self, job_id: str, timeout: float | None = None) -> JobSnapshot:
        """Block until the job is no longer queued or running (or the timeout passes).

        Events queued up to then have been delivered to listeners when it returns.
        """
        with self._cond:
            self._cond.wait_for(lambda: self._job(job_id).state not in ACTIVE_STATES, timeout)
        self._flush()
        return self.get(job_id)

    def shutdown(self, timeout: float = 10.0) -> None:
        """Pause running jobs (their partial files stay) and wait for the workers to stop."""
        with self._cond:
            self._closed = True
            for job_id, job in self._jobs.items():
                if job.state in (JobState.RUNNING, JobState.VERIFYING):
                    self._request_stop(job_id, "shutdown")
            threads = [live.thread for live in self._live.values() if live.thread is not None]
        for thread in threads:
            thread.join(timeout)

    # ---- the queue -------------------------------------------------------------------------
    def _schedule(self) -> None:
        """Start queued jobs while fewer than ``concurrency`` run; then deliver pending events."""
        with self._cond:
            self._start_queued()
        self._flush()

    def _start_queued(self) -> None:
        if self._closed:
            return
        running = sum(1 for j in self._jobs.values() if j.state in (JobState.RUNNING, JobState.VERIFYING))
        for job in sorted(self._jobs.values(), key=lambda j: j.created_at):
            if running >= self.concurrency:
                break
            if job.state != JobState.QUEUED:
                continue
            live = self._live.setdefault(job.id, _Live())
            live.stop.clear()
            live.reason = None
            live.samples.clear()
            self._set_state(job, JobState.RUNNING, "")
            live.thread = threading.Thread(target=self._work, args=(job.id,), daemon=True,
                                           name=f"download-{job.id}")
            live.thread.start()
            running += 1

    def _work(self, job_id: str) -> None:
        with self._cond:
            job, live = self._jobs[job_id], self._live[job_id]
        try:
            self._check_online()
            with self.store.lock(job.id):  # another Hearth process must not write the same files
                targets = self._fetch_and_install(job, live)
            self.store.discard(job.id)
            with self._cond:
                job.installed = [str(t) for t in targets]
            self._update(job, JobState.DONE, f"Installed in {targets[0].parent}")
        except Cancelled:
            with self._cond:
                if live.reason == "cancel":
                    self._discard(job)
                else:
                    self._set_state(job, JobState.PAUSED, _STOP_MESSAGES.get(live.reason or "", "Paused."))
        except (DiskFullError, OfflineError) as exc:
            self._update(job, JobState.PAUSED, str(exc))
        except HearthError as exc:
            self._update(job, JobState.FAILED, str(exc))
        except Exception as exc:  # a bug: keep the traceback in the log, one line for the user
            log.exception("download %s failed unexpectedly", job_id)
            self._update(job, JobState.FAILED, f"Internal error: {exc.__class__.__name__}: {exc}")
        finally:
            with self._cond:
                if live.thread is threading.current_thread():
                    live.thread = None
                if job.state not in ACTIVE_STATES:
                    live.done_bytes = job.total_bytes if job.state == JobState.DONE else self.store.bytes_on_disk(job)
            self._schedule()

    def _fetch_and_install(self, job: DownloadJob, live: _Live) -> list[Path]:
        """Fetch and verify every file not yet verified, then install them all."""
        check_space(self.store.folder(job.id), job.total_bytes - self.store.bytes_on_disk(job))
        token = self._token()
        for index, plan in enumerate(job.files):
            if plan.done and self.store.done(job.id, index).exists():
                continue
            part = self.store.part(job.id, index)
            hashes = Hashes(plan.size, want_blob=not plan.sha256 and bool(plan.blob_id))
            ctx = TransferContext(job.repo_id, job.revision, token, lambda n: self._on_bytes(job.id, n),
                                  self._should_stop(job.id), live.stop.wait, self.retry)
            size = fetch(plan.path, plan.size, part, hashes, ctx)
            self._update(job, JobState.VERIFYING)
            sha256 = verify(self.paths, job, plan, part, size, hashes)
            os.replace(part, self.store.done(job.id, index))
            with self._cond:
                plan.done, plan.verified_sha256 = True, sha256
                self.store.save(job)
            self._update(job, JobState.RUNNING)
        done_files = [self.store.done(job.id, i) for i in range(len(job.files))]
        return install(self.paths, self.library, job, done_files)

    def _should_stop(self, job_id: str) -> Callable[[], bool]:
        live = self._live[job_id]

        def should_stop() -> bool:
            if not live.stop.is_set() and self._offline():
                self._request_stop(job_id, "offline")
            return live.stop.is_set()

        return should_stop

    def _on_bytes(self, job_id: str, count: int) -> None:
        now = time.monotonic()
        with self._cond:
            live = self._live[job_id]
            live.done_bytes += count
            live.samples.append((now, live.done_bytes))
            while len(live.samples) > 2 and now - live.samples[0][0] > _SPEED_WINDOW_S:
                live.samples.popleft()
            if now - live.last_emit < self.progress_interval:
                return
            live.last_emit = now
            self._queue("progress", self._jobs[job_id])
        self._flush()

    # ---- state and records -----------------------------------------------------------------
    def _update(self, job: DownloadJob, state: JobState, message: str | None = None) -> None:
        with self._cond:
            self._set_state(job, state, message)
        self._flush()

    def _set_state(self, job: DownloadJob, state: JobState, message: str | None = None) -> None:
        """Change state, save the record, wake waiters and queue an event. Called with the lock
        held; the caller delivers the event with _flush() once it has released the lock."""
        job.state = state
        if message is not None:
            job.message = message
        if state not in (JobState.DONE, JobState.CANCELLED):
            self.store.save(job)
        self._cond.notify_all()
        self._queue("state", job)

    def _discard(self, job: DownloadJob) -> None:
        self.store.discard(job.id)
        self._live.setdefault(job.id, _Live()).done_bytes = 0
        self._set_state(job, JobState.CANCELLED, "Cancelled; its partial files were deleted.")

    def _request_stop(self, job_id: str, reason: str) -> None:
        live = self._live.setdefault(job_id, _Live())
        live.reason = live.reason or reason
        live.stop.set()

    def _job(self, job_id: str) -> DownloadJob:
        job = self._jobs.get(job_id)
        if job is None:
            raise DownloadError(f"No download '{job_id}'")
        return job

    def _snapshot(self, job: DownloadJob) -> JobSnapshot:
        live = self._live.get(job.id) or _Live()
        running = job.state in (JobState.RUNNING, JobState.VERIFYING)
        speed = live.speed() if running else 0.0
        remaining = max(0, job.total_bytes - live.done_bytes)
        return JobSnapshot(
            id=job.id, repo_id=job.repo_id, revision=job.revision, label=job.label,
            files=tuple(f.path for f in job.files), state=job.state, done_bytes=live.done_bytes,
            total_bytes=job.total_bytes, speed_bps=speed, eta_s=remaining / speed if speed > 0 else None,
            message=job.message, installed=tuple(job.installed), created_at=job.created_at,
        )

    # ---- listeners -------------------------------------------------------------------------
    def _queue(self, kind: str, job: DownloadJob) -> None:
        self._events.queue(DownloadEvent(kind, self._snapshot(job)))

    def _flush(self) -> None:
        self._events.flush()

    def _check_online(self) -> None:
        if self._offline():
            raise OfflineError("Hearth is offline; turn offline mode off to download.")

    def _offline(self) -> bool:
        return privacy.is_offline(self.settings.settings if self.settings else None)
