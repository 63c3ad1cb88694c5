"""The background Worker and the TaskRunner queue: results, errors, throttled progress, cancel."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hearth.core.errors import LibraryError
from hearth.core.model_import import import_model
from hearth.core.services import Services
from hearth.ui.task_runner import Task, TaskRunner
from hearth.ui.worker import CANCELLED, FAILED, FINISHED, Worker
from tests.gui.conftest import WAIT_MS


def run_to_end(qtbot: Any, worker: Worker) -> None:
    with qtbot.waitSignal(worker.done, timeout=WAIT_MS):
        worker.start()


def test_finished_carries_the_result_and_progress_is_throttled(qtbot: Any) -> None:
    seen: list[tuple[int, int, str]] = []
    results: list[object] = []

    def count(progress: Callable[[int, int, str], None], should_stop: Callable[[], bool]) -> str:
        for i in range(1, 50_001):
            progress(i, 50_000, f"step {i}")
        return "all done"

    worker = Worker(count)
    worker.progress.connect(lambda done, total, text: seen.append((done, total, text)))
    worker.finished.connect(results.append)
    run_to_end(qtbot, worker)
    assert results == ["all done"]
    assert worker.outcome == FINISHED
    assert 1 <= len(seen) < 1000, "50,000 reports must not become 50,000 signals"
    assert seen[-1] == (50_000, 50_000, "step 50000"), "the last report always arrives"


def test_a_stalled_task_shows_its_latest_progress(qtbot: Any) -> None:
    seen: list[tuple[int, int, str]] = []
    resume = threading.Event()

    def stall(progress: Callable[[int, int, str], None], should_stop: Callable[[], bool]) -> None:
        for done in range(1, 5):
            progress(done, 10, "copying")  # four quick reports, then a long wait (a slow disk)
        resume.wait(WAIT_MS / 1000)

    worker = Worker(stall, interval_s=0.05)
    worker.progress.connect(lambda done, total, text: seen.append((done, total, text)))
    worker.start()
    qtbot.waitUntil(lambda: bool(seen) and seen[-1] == (4, 10, "copying"), timeout=2000)
    assert len(seen) <= 2, "quick reports are coalesced"
    with qtbot.waitSignal(worker.done, timeout=WAIT_MS):
        resume.set()


def test_a_hearth_error_becomes_failed_with_its_message(qtbot: Any) -> None:
    def fail(progress: Any, should_stop: Any) -> None:
        raise LibraryError("model.gguf is already in the library")

    worker = Worker(fail)
    messages: list[str] = []
    worker.failed.connect(messages.append)
    run_to_end(qtbot, worker)
    assert messages == ["model.gguf is already in the library"]
    assert worker.outcome == FAILED


def test_a_bug_in_a_task_is_reported_not_raised(qtbot: Any) -> None:
    def crash(progress: Any, should_stop: Any) -> None:
        raise ZeroDivisionError("division by zero")

    worker = Worker(crash)
    messages: list[str] = []
    worker.failed.connect(messages.append)
    run_to_end(qtbot, worker)
    assert len(messages) == 1 and "division by zero" in messages[0] and "log" in messages[0]


def test_cancel_before_start_never_runs_the_task(qtbot: Any) -> None:
    ran: list[bool] = []
    worker = Worker(lambda progress, should_stop: ran.append(True))
    worker.cancel()
    with qtbot.waitSignal(worker.cancelled, timeout=WAIT_MS):
        worker.start()
    assert ran == [] and worker.outcome == CANCELLED


def test_cancelling_an_import_emits_cancelled_and_removes_the_partial_file(
    qtbot: Any, services: Services, tiny_gguf: Callable[..., Path], monkeypatch: Any,
) -> None:
    source = tiny_gguf("big-model.gguf", n_embd=128, n_ff=256)
    monkeypatch.setattr("hearth.core.model_import.CHUNK", 4096)  # many chunks, so there is a middle
    copying, resume = threading.Event(), threading.Event()

    def gated_import(progress: Any, should_stop: Callable[[], bool]) -> object:
        def report(done: int, total: int, text: str) -> None:
            if not copying.is_set():
                copying.set()
                resume.wait(WAIT_MS / 1000)  # hold the copy half-way until the test has cancelled
            progress(done, total, text)

        return import_model(services.library, source, progress=report, should_stop=should_stop)

    worker = Worker(gated_import)
    outcomes: list[str] = []
    worker.finished.connect(lambda _r: outcomes.append("finished"))
    worker.cancelled.connect(lambda: outcomes.append("cancelled"))
    worker.start()
    qtbot.waitUntil(copying.is_set, timeout=WAIT_MS)
    target_dir = services.paths.models / "imported" / "big-model"
    assert [p.name for p in target_dir.iterdir()] == ["big-model.gguf.part"], "the copy was under way"
    with qtbot.waitSignal(worker.done, timeout=WAIT_MS):
        worker.cancel()
        resume.set()
    assert outcomes == ["cancelled"]
    assert not target_dir.exists() or list(target_dir.iterdir()) == []
    assert source.exists(), "the original file is untouched"
    assert services.library.entries() == []


def test_runner_runs_tasks_one_after_another_and_skips_duplicates(qtbot: Any) -> None:
    runner = TaskRunner()
    order: list[str] = []
    gate = threading.Event()

    def first(progress: Any, should_stop: Any) -> str:
        gate.wait(WAIT_MS / 1000)
        return "first"

    assert runner.submit(Task("one", first, on_finished=order.append, key="scan"))
    assert not runner.submit(Task("again", first, key="scan")), "a waiting scan is not queued twice"
    assert runner.submit(Task("two", lambda p, s: "second", on_finished=order.append))
    assert runner.busy and [t.title for t in runner.pending()] == ["two"]
    with qtbot.waitSignal(runner.busy_changed, timeout=WAIT_MS, check_params_cb=lambda busy: not busy):
        gate.set()
    assert order == ["first", "second"]
    assert not runner.busy


def test_runner_shutdown_stops_the_running_task(qtbot: Any) -> None:
    runner = TaskRunner()
    started, stopped = threading.Event(), threading.Event()

    def wait_for_stop(progress: Any, should_stop: Callable[[], bool]) -> None:
        started.set()
        while not should_stop():
            threading.Event().wait(0.01)
        stopped.set()

    runner.submit(Task("endless", wait_for_stop))
    runner.submit(Task("never", lambda p, s: None))
    qtbot.waitUntil(started.is_set, timeout=WAIT_MS)
    assert runner.shutdown(timeout_ms=WAIT_MS)
    assert stopped.is_set()
    assert not runner.busy and runner.pending() == []
    assert not runner.submit(Task("late", lambda p, s: None)), "a closed runner takes no more tasks"
