"""What a download row says and which buttons it offers, per job state (plain Python, no Qt)."""

from __future__ import annotations

from dataclasses import dataclass

from hearth.core.downloads import JobSnapshot, JobState
from hearth.core.units import human_bytes, human_duration

PAUSE, RESUME, CANCEL, REMOVE, SHOW = "pause", "resume", "cancel", "remove", "show"


@dataclass(frozen=True)
class Action:
    key: str
    text: str
    icon: str
    tip: str


ACTIONS = {
    PAUSE: Action(PAUSE, "Pause", "pause", "Pause; the bytes so far are kept"),
    RESUME: Action(RESUME, "Resume", "resume", "Continue where it stopped"),
    CANCEL: Action(CANCEL, "Cancel", "cancel", "Stop and delete the partial file"),
    REMOVE: Action(REMOVE, "Remove", "close", "Remove from this list (the model stays in your library)"),
    SHOW: Action(SHOW, "Show in Library", "library", "Select the model in the Library"),
}

STATE_WORDS = {
    JobState.QUEUED: "Waiting", JobState.RUNNING: "Downloading", JobState.PAUSED: "Paused",
    JobState.VERIFYING: "Checking SHA-256", JobState.DONE: "Done", JobState.FAILED: "Failed",
    JobState.CANCELLED: "Cancelled",
}
_MESSAGES_SAID_BY_STATE = {"", "Paused."}


#: The buttons each state offers, most likely first.
ACTION_SETS: dict[JobState, tuple[str, ...]] = {
    JobState.QUEUED: (PAUSE, CANCEL), JobState.RUNNING: (PAUSE, CANCEL), JobState.VERIFYING: (CANCEL,),
    JobState.PAUSED: (RESUME, CANCEL), JobState.FAILED: (RESUME, CANCEL),
    JobState.DONE: (SHOW, REMOVE), JobState.CANCELLED: (REMOVE,),
}


def actions_for(job: JobSnapshot) -> list[Action]:
    return [ACTIONS[key] for key in ACTION_SETS[job.state]]


def resume_text(job: JobSnapshot) -> str:
    return "Retry" if job.state is JobState.FAILED else "Resume"


def title(job: JobSnapshot) -> str:
    return f"{job.repo_id} · {job.label}"


def amounts(job: JobSnapshot) -> str:
    """The numbers line: bytes, speed and time left while running."""
    if job.state is JobState.CANCELLED:
        return ""
    if job.state is JobState.DONE:
        return f"{human_bytes(job.total_bytes)} · SHA-256 verified"
    line = f"{human_bytes(job.done_bytes)} of {human_bytes(job.total_bytes)}"
    if job.state is JobState.RUNNING:
        if job.speed_bps > 0:
            line += f" · {human_bytes(int(job.speed_bps))}/s"
        if job.eta_s is not None:
            line += f" · {human_duration(job.eta_s)} left"
    return line


def message(job: JobSnapshot) -> str:
    """The job's last word worth showing (why it paused or failed, where it was installed)."""
    return "" if job.message in _MESSAGES_SAID_BY_STATE else job.message


def is_problem(job: JobSnapshot) -> bool:
    return job.state is JobState.FAILED


def summary(jobs: list[JobSnapshot]) -> str:
    """The page subtitle: "1 downloading · 2 paused · 3 done"."""
    if not jobs:
        return "Model files on their way to your library."
    counts: dict[str, int] = {}
    for job in jobs:
        word = {JobState.QUEUED: "waiting", JobState.RUNNING: "downloading", JobState.VERIFYING: "downloading",
                JobState.PAUSED: "paused", JobState.FAILED: "failed", JobState.DONE: "done",
                JobState.CANCELLED: "cancelled"}[job.state]
        counts[word] = counts.get(word, 0) + 1
    order = ("downloading", "waiting", "paused", "failed", "done", "cancelled")
    return " · ".join(f"{counts[w]} {w}" for w in order if w in counts)
