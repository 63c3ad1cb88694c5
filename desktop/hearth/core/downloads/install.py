"""The end of a download: check each file against the Hub's record, quarantine or install it.

A file whose size or hash differs from what the Hub recorded moves to
``<data>/quarantine/`` (kept for inspection, never loaded) and the job fails.
Verified files move atomically (a rename on the same disk) to
``<models>/<publisher>/<repo>/<path in repo>`` and the library records where
they came from.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import time
from pathlib import Path

from hearth.core.downloads.job import DownloadJob, FilePlan, safe_repo_path
from hearth.core.downloads.transfer import Hashes
from hearth.core.hub_errors import DownloadError, IntegrityError, is_disk_full
from hearth.core.errors import LibraryError
from hearth.core.library import Library
from hearth.core.model_entry import SOURCE_HUB, ModelSource
from hearth.core.paths import Paths

log = logging.getLogger(__name__)


def quarantine_folder(paths: Paths) -> Path:
    return paths.data / "quarantine"


def verify(paths: Paths, job: DownloadJob, plan: FilePlan, part: Path, size: int, hashes: Hashes) -> str:
    """Return the sha256 of a complete file, or quarantine it and raise IntegrityError."""
    sha256 = hashes.sha256.hexdigest()
    problem = None
    if plan.size is not None and size != plan.size:
        problem = f"its size is {size:,} bytes, the Hub recorded {plan.size:,}"
    elif plan.sha256 and sha256 != plan.sha256.lower():
        problem = "its sha256 does not match the Hub's record"
    elif not plan.sha256 and plan.blob_id and hashes.blob and hashes.blob.hexdigest() != plan.blob_id:
        problem = "its git hash does not match the Hub's record"
    elif not plan.sha256 and not plan.blob_id:
        log.warning("%s/%s has no recorded hash; only its size was checked", job.repo_id, plan.path)
    if problem is None:
        return sha256
    kept = _quarantine(paths, job, plan, part)
    raise IntegrityError(f"{plan.path} failed verification ({problem}); it was not installed and is kept "
                         f"in {kept}")


def _quarantine(paths: Paths, job: DownloadJob, plan: FilePlan, part: Path) -> Path:
    folder = quarantine_folder(paths)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = folder / f"{job.repo_id.replace('/', '--')}--{plan.path.replace('/', '--')}.{stamp}"
    os.replace(part, target)
    log.warning("quarantined %s/%s@%s as %s", job.repo_id, plan.path, job.revision, target)
    return target


def destination(paths: Paths, repo_id: str, path_in_repo: str) -> Path:
    publisher, repo = repo_id.split("/", 1)
    return paths.models.joinpath(publisher, repo, *safe_repo_path(path_in_repo).parts)


def install(paths: Paths, library: Library, job: DownloadJob, done_files: list[Path]) -> list[Path]:
    """Move verified files into the models folder and record the source of the model."""
    targets = [destination(paths, job.repo_id, plan.path) for plan in job.files]
    try:
        for source, target in zip(done_files, targets):
            target.parent.mkdir(parents=True, exist_ok=True)
            _move(source, target)
    except OSError as exc:
        if is_disk_full(exc):
            raise DownloadError("The disk is full; free some space and resume the download") from exc
        raise DownloadError(f"Could not move the download into {targets[0].parent}: {exc.strerror or exc}") from exc
    first = job.files[0]
    library.record_source(targets[0], ModelSource(
        kind=SOURCE_HUB, repo_id=job.repo_id, revision=job.revision, filename=first.path,
        sha256=first.verified_sha256 or first.sha256, license=job.license,
    ))
    try:
        library.add_paths(targets)  # listed at once, without rescanning every folder
    except LibraryError as exc:
        log.info("downloaded %s but did not list it: %s", targets[0].name, exc)
    return targets


def _move(source: Path, target: Path) -> None:
    """Rename (atomic, no second copy) or, across disks, copy to a temporary name then rename."""
    try:
        os.replace(source, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        temporary = target.with_name(f".{target.name}.moving")
        shutil.copyfile(source, temporary)
        os.replace(temporary, target)
        source.unlink()
