"""A process killed (SIGKILL) in the middle of an index run leaves a sound index the next run completes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from hearth.core.documents import DocumentStore, index_collection
from tests.helpers.embedders import HashingEmbedder

REPO = Path(__file__).resolve().parents[2]
FILES = 200

CHILD = r"""
import sys, time
from pathlib import Path
from hearth.core.documents import DocumentStore, index_collection
from tests.helpers.embedders import HashingEmbedder

def slow(_texts):
    time.sleep(0.01)  # an engine takes time; this keeps the run going while the parent kills it

with DocumentStore(Path(sys.argv[1])) as store:
    index_collection(store, "many", HashingEmbedder(before_embed=slow), batch_size=2,
                     progress=lambda done, total, detail: print("done", done, flush=True))
print("finished", flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_kill_9_mid_index_then_resume(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(FILES):
        (folder / f"note-{i:03d}.txt").write_text(f"Note number {i} about topic {i % 7}.", encoding="utf-8")
    db = tmp_path / "documents.sqlite3"
    with DocumentStore(db) as store:
        store.create("many", [folder])

    env = dict(os.environ, PYTHONPATH=str(REPO))
    with subprocess.Popen([sys.executable, "-c", CHILD, str(db)], stdout=subprocess.PIPE, text=True,
                          env=env, cwd=REPO) as child:
        watchdog = threading.Timer(60, child.kill)  # nothing may hang
        watchdog.start()
        try:
            assert child.stdout is not None
            for line in child.stdout:
                if line.startswith("done") and int(line.split()[1]) >= 30:
                    child.send_signal(signal.SIGKILL)
                    break
            child.wait(timeout=30)
        finally:
            watchdog.cancel()
    assert child.returncode == -signal.SIGKILL

    with DocumentStore(db) as store:
        assert store.integrity_check() == "ok"
        collection = store.get("many")
        chunk_rows = store._conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        assert collection.chunk_count == chunk_rows == collection.files_indexed
        assert 30 <= collection.files_indexed < FILES
        done_before = collection.files_indexed

        embedder = HashingEmbedder()
        report = index_collection(store, "many", embedder)
        assert report.added == FILES - done_before and report.unchanged == done_before
        assert len(embedder.texts_embedded) == FILES - done_before
        assert store.get("many").files_indexed == FILES
        assert store.integrity_check() == "ok"
