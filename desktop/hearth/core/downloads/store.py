"""Where unfinished downloads live on disk: ``<data>/downloads/<job id>/``.

Each job folder holds ``job.json`` (its record), ``<n>.part`` for the file being
fetched and ``<n>.done`` for parts already verified. The folder is deleted once
the files are installed or the job is cancelled.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import filelock

from hearth.core.downloads.job import ACTIVE_STATES, DownloadJob, JobState
from hearth.core.errors import HearthError
from hearth.core.hub_errors import DownloadError
from hearth.core.fileio import move_aside

log = logging.getLogger(__name__)

INTERRUPTED = "Interrupted when Hearth stopped; resume to continue."


class JobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def folder(self, job_id: str) -> Path:
        return self.root / job_id

    def part(self, job_id: str, index: int) -> Path:
        return self.folder(job_id) / f"{index}.part"

    def done(self, job_id: str, index: int) -> Path:
        return self.folder(job_id) / f"{index}.done"

    def save(self, job: DownloadJob) -> None:
        folder = self.folder(job.id)
        folder.mkdir(parents=True, exist_ok=True)
        job.save(folder)

    @contextmanager
    def lock(self, job_id: str) -> Iterator[None]:
        """Hold the job's folder for this process (a second Hearth running the same job is refused)."""
        folder = self.folder(job_id)
        folder.mkdir(parents=True, exist_ok=True)
        lock = filelock.FileLock(str(folder / ".lock"))
        try:
            lock.acquire(timeout=0)
        except filelock.Timeout:
            raise DownloadError("This download is running in another Hearth window or command; "
                                "let it finish or stop it there") from None
        try:
            yield
        finally:
            lock.release()

    def discard(self, job_id: str) -> None:
        shutil.rmtree(self.folder(job_id), ignore_errors=True)

    def bytes_on_disk(self, job: DownloadJob) -> int:
        """Bytes already downloaded: verified parts plus the partial file."""
        total = 0
        for index in range(len(job.files)):
            for path in (self.done(job.id, index), self.part(job.id, index)):
                try:
                    total += path.stat().st_size
                    break
                except OSError:
                    continue
        return total

    def load(self) -> list[DownloadJob]:
        """The jobs a previous run left; those that were running come back paused."""
        jobs = []
        for record in sorted(self.root.glob("*/job.json")):
            try:
                job = DownloadJob.from_json(json.loads(record.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError, HearthError) as exc:
                kept = move_aside(record) if record.exists() else None
                log.warning("unreadable download record %s (%s); kept as %s", record, exc, kept)
                continue
            if job.state in (JobState.DONE, JobState.CANCELLED):
                self.discard(job.id)  # its folder should already be gone
                continue
            if job.state in ACTIVE_STATES:
                job.state, job.message = JobState.PAUSED, INTERRUPTED
                job.save(record.parent)
            jobs.append(job)
        return jobs
