"""What a download job is: its files, its state, and the small JSON record that outlives the process.

A job is one downloadable unit (a single .gguf, or every part of a split model).
Its record lives at ``<data>/downloads/<job id>/job.json`` beside the partial
files (``<n>.part``, renamed ``<n>.done`` once verified), so a job killed with
the process is found and continued by the next run.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Any

from hearth.core.fileio import atomic_write_json
from hearth.core.hub_errors import DownloadError
from hearth.core.hub_models import QuantGroup, RepoDetail

log = logging.getLogger(__name__)

RECORD_VERSION = 1


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    PAUSED = "paused"
    VERIFYING = "verifying"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


#: States in which a job holds (or waits for) a worker.
ACTIVE_STATES = frozenset({JobState.QUEUED, JobState.RUNNING, JobState.VERIFYING})
#: States a job can be resumed from.
RESUMABLE_STATES = frozenset({JobState.PAUSED, JobState.FAILED})


def safe_repo_path(path: str) -> PurePosixPath:
    """A repository file path that cannot climb out of the model folder ('..', absolute, empty parts)."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or not pure.parts or any(p in ("", ".", "..") or "\\" in p for p in pure.parts):
        raise DownloadError(f"Refusing a file with an unsafe path from the Hub: {path!r}")
    return pure


@dataclass
class FilePlan:
    """One file of a job, with what the Hub recorded for it."""

    path: str  # inside the repository
    size: int | None
    sha256: str | None
    blob_id: str | None = None
    done: bool = False  # downloaded and verified (waiting as <n>.done)
    verified_sha256: str | None = None


def job_id_for(repo_id: str, paths: list[str]) -> str:
    """The same files of the same repository always map to the same job, so a second pull resumes."""
    return hashlib.sha1("\n".join([repo_id, *sorted(paths)]).encode()).hexdigest()[:12]


@dataclass
class DownloadJob:
    """A job's durable facts. Mutated only by the manager, under its lock."""

    id: str
    repo_id: str
    revision: str  # the commit every file is fetched at, so parts of one job always match
    label: str
    files: list[FilePlan]
    license: str | None = None
    state: JobState = JobState.QUEUED
    message: str = ""  # the last thing worth telling the user (why it paused or failed)
    created_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    installed: list[str] = field(default_factory=list)  # final paths, once done

    @property
    def total_bytes(self) -> int:
        return sum(f.size or 0 for f in self.files)

    @classmethod
    def for_group(cls, detail: RepoDetail, group: QuantGroup) -> DownloadJob:
        if not detail.sha:
            raise DownloadError(f"The Hub did not say which commit {detail.id} is at; try again")
        if group.missing_parts:
            missing = ", ".join(str(n) for n in group.missing_parts)
            raise DownloadError(f"{group.label} of {detail.id} is missing split part(s) {missing} on the Hub")
        for f in group.files:
            safe_repo_path(f.path)
        plans = [FilePlan(f.path, f.size, f.sha256, f.blob_id) for f in group.files]
        return cls(job_id_for(detail.id, [f.path for f in group.files]), detail.id, detail.sha, group.label,
                   plans, license=detail.summary.license_name or detail.summary.license)

    # ---- the record on disk ---------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["state"] = self.state.value
        data["version"] = RECORD_VERSION
        return data

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> DownloadJob:
        files = [FilePlan(**{k: v for k, v in f.items() if k in FilePlan.__dataclass_fields__})
                 for f in raw["files"]]
        for plan in files:
            safe_repo_path(plan.path)
        return cls(
            id=str(raw["id"]), repo_id=str(raw["repo_id"]), revision=str(raw["revision"]),
            label=str(raw["label"]), files=files, license=raw.get("license"),
            state=JobState(raw.get("state", "paused")), message=str(raw.get("message", "")),
            created_at=str(raw.get("created_at", "")), installed=list(raw.get("installed", [])),
        )

    def save(self, folder: Path) -> None:
        try:
            atomic_write_json(folder / "job.json", self.to_json())
        except OSError as exc:  # the download still works; only a restart would lose track of it
            log.warning("could not save download record %s: %s", self.id, exc)


@dataclass(frozen=True)
class JobSnapshot:
    """A consistent copy of a job for views: safe to hand to another thread."""

    id: str
    repo_id: str
    revision: str
    label: str
    files: tuple[str, ...]
    state: JobState
    done_bytes: int
    total_bytes: int
    speed_bps: float  # recent average, bytes per second (0 when not running)
    eta_s: float | None  # seconds left at that speed, None when unknown
    message: str
    installed: tuple[str, ...]
    created_at: str

    @property
    def fraction(self) -> float:
        return min(1.0, self.done_bytes / self.total_bytes) if self.total_bytes else 0.0

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.CANCELLED)


@dataclass(frozen=True)
class DownloadEvent:
    """Sent to subscribers: ``kind`` is "added", "state", "progress" or "removed"."""

    kind: str
    job: JobSnapshot
