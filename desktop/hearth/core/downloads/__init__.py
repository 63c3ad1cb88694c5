"""Safe Hub downloads: resumable, verified against the Hub's sha256, installed atomically.

    manager = DownloadManager.from_services(services)
    job = manager.add(detail, detail.group("Q4_K_M"))
    manager.wait(job.id)
"""

from hearth.core.downloads.job import DownloadEvent, DownloadJob, FilePlan, JobSnapshot, JobState
from hearth.core.downloads.manager import DownloadManager
from hearth.core.downloads.transfer import RetryPolicy

__all__ = ["DownloadEvent", "DownloadJob", "DownloadManager", "FilePlan", "JobSnapshot", "JobState", "RetryPolicy"]
