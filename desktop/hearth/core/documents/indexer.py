"""Incremental indexing: only new or changed files are read, chunked and embedded.

A file is unchanged when its size and mtime match the stored row, or, failing
that, its sha256 does (then only the new mtime is recorded). Files that
disappeared lose their chunks. Small files are embedded together in batches
for speed, but each file is written in its own transaction with all its
chunks, so stopping (``should_stop``), an engine failure or a killed process
leaves a consistent index that the next run completes.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hearth.core.documents.chunking import Chunk, chunk_text
from hearth.core.documents.errors import DocumentsError, ModelMismatchError
from hearth.core.documents.extract import extract_text, kind_of
from hearth.core.documents.records import INDEXED, SKIPPED, Collection, FileRecord
from hearth.core.documents.store import DocumentStore
from hearth.core.documents.walk import FoundFile, sha256_file, walk_sources
from hearth.core.embeddings import Embedder, Progress, ShouldStop, embed_in_batches, l2_normalise
from hearth.core.errors import Cancelled, HearthError

log = logging.getLogger(__name__)


@dataclass
class IndexReport:
    """What one index run did. ``skipped`` counts files newly found unusable in this run."""

    collection: str
    files_total: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: int = 0
    chunks_embedded: int = 0
    embed_calls: int = 0
    missing_sources: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class _Pending:
    found: FoundFile
    record: FileRecord
    chunks: list[Chunk]
    is_new: bool


def check_model(collection: Collection, embedder: Embedder) -> None:
    """Raise :class:`ModelMismatchError` unless ``embedder`` made (or may make) this collection's vectors."""
    if collection.model is not None and collection.model != embedder.model_id:
        raise ModelMismatchError(collection.name, collection.model, embedder.model_id)
    if collection.dimension is not None and collection.dimension != embedder.dimension:
        raise DocumentsError(
            f"Collection '{collection.name}' holds {collection.dimension}-number vectors but the model "
            f"'{embedder.model_id}' makes {embedder.dimension}-number ones; rebuild the collection's index."
        )


class Indexer:
    """One index run of one collection; :meth:`run` does the work and returns an :class:`IndexReport`.

    ``progress(files_done, files_total, detail)`` is called after each file with
    ``detail = "<chunks embedded so far> chunks embedded · <file path>"``.
    """

    def __init__(self, store: DocumentStore, name: str, embedder: Embedder, *, rebuild: bool = False,
                 batch_size: int = 32, progress: Progress | None = None,
                 should_stop: ShouldStop | None = None) -> None:
        self.store = store
        self.name = name
        self.embedder = embedder
        self.rebuild = rebuild
        self.batch_size = batch_size
        self.progress = progress
        self.should_stop = should_stop or (lambda: False)
        self.report = IndexReport(name)
        self._done = 0
        self._pending: list[_Pending] = []

    def run(self) -> IndexReport:
        started = time.monotonic()
        collection = self._prepare()
        key = collection.settings_key(self.embedder.model_id)
        found, self.report.missing_sources = walk_sources(collection.sources)
        self.report.files_total = len(found)
        existing = {r.path: r for r in self.store.files(collection.id)}
        present = {f.path for f in found}
        gone = [path for path in existing if path not in present]
        if gone:
            self.report.removed = self.store.delete_files(collection.id, gone)
        for item in found:
            if self.should_stop():
                raise Cancelled()
            row = existing.get(item.path)
            if row is not None and row.settings_key == key and (row.size, row.mtime_ns) == (item.size, item.mtime_ns):
                self._advance(item.path, unchanged=True)
                continue
            self._consider(collection, item, row, key)
        self._flush(collection)
        self.store.mark_indexed(collection.id)
        self.report.seconds = time.monotonic() - started
        return self.report

    def _prepare(self) -> Collection:
        collection = self.store.get(self.name)
        model, dimension = self.embedder.model_id, self.embedder.dimension
        has_files = bool(collection.files_indexed or collection.files_skipped)
        if self.rebuild and (has_files or collection.model):
            self.store.clear(collection.id, model)
            collection = self.store.get(self.name)
        elif has_files:  # with nothing indexed yet, any model may be chosen
            check_model(collection, self.embedder)
        limit = getattr(self.embedder, "max_tokens", None)
        if isinstance(limit, int) and collection.settings.chunk_tokens > limit:
            raise DocumentsError(f"Chunks of {collection.settings.chunk_tokens} tokens are longer than the "
                                 f"{limit} tokens the embedding engine takes at once; choose smaller chunks.")
        if collection.model != model or collection.dimension != dimension:
            self.store.set_model(collection.id, model, dimension)
        return self.store.get(self.name)

    def _consider(self, collection: Collection, item: FoundFile, row: FileRecord | None, key: str) -> None:
        kind = kind_of(Path(item.path))
        if kind in ("text", "unknown") and item.size > collection.max_text_bytes:
            digest = ""  # not worth reading a huge file just to hash it; size/mtime tell changes
        else:
            try:
                digest = sha256_file(item.path)
            except OSError as exc:
                self._skip(collection, item, key, kind, "", f"could not be read: {exc.strerror or exc}")
                return
        if row is not None and digest and row.sha256 == digest and row.settings_key == key:
            assert row.id is not None
            self.store.touch_file(row.id, item.size, item.mtime_ns)
            self._advance(item.path, unchanged=True)
            return
        try:
            extracted = extract_text(item.path, collection.max_text_bytes)
            if extracted.skipped:
                self._skip(collection, item, key, extracted.kind, digest, extracted.skip_reason or "")
                return
            chunks = chunk_text(extracted.text, self.embedder.count_tokens, collection.settings,
                                extracted.page_starts)
        except HearthError:
            raise  # cancelled, or the engine failed: not this file's fault
        except Exception as exc:
            log.warning("could not chunk %s", item.path, exc_info=True)
            self._skip(collection, item, key, kind, digest, f"could not be processed ({exc.__class__.__name__})")
            return
        record = FileRecord(item.path, item.size, item.mtime_ns, digest, extracted.kind, INDEXED, key,
                            note=extracted.note)
        self._pending.append(_Pending(item, record, chunks, row is None))
        if sum(len(p.chunks) for p in self._pending) >= self.batch_size:
            self._flush(collection)

    def _skip(self, collection: Collection, item: FoundFile, key: str, kind: str, digest: str,
              reason: str) -> None:
        record = FileRecord(item.path, item.size, item.mtime_ns, digest, kind, SKIPPED, key, reason=reason)
        self.store.write_file(collection.id, record)
        self.report.skipped += 1
        self._advance(item.path)

    def _flush(self, collection: Collection) -> None:
        """Embed the pending files' chunks together, then write each file in its own transaction."""
        pending, self._pending = self._pending, []
        texts = [c.text for p in pending for c in p.chunks]
        if texts:
            base, last = self.report.chunks_embedded, pending[-1].found.path

            def partial(done: int, _total: int, _detail: str) -> None:
                if self.progress is not None:
                    self.progress(self._done, self.report.files_total, f"{base + done} chunks embedded · {last}")

            vectors = l2_normalise(embed_in_batches(self.embedder, texts, self.batch_size, partial,
                                                    self.should_stop))
            self.report.embed_calls += -(-len(texts) // self.batch_size)
        else:
            vectors = np.zeros((0, self.embedder.dimension), np.float32)
        at = 0
        for item in pending:
            count = len(item.chunks)
            self.store.write_file(collection.id, item.record, item.chunks, vectors[at:at + count])
            at += count
            self.report.chunks_embedded += count
            if item.is_new:
                self.report.added += 1
            else:
                self.report.updated += 1
            self._advance(item.found.path)

    def _advance(self, path: str, unchanged: bool = False) -> None:
        self._done += 1
        if unchanged:
            self.report.unchanged += 1
        if self.progress is not None:
            detail = f"{self.report.chunks_embedded} chunks embedded · {path}"
            self.progress(self._done, self.report.files_total, detail)


def index_collection(store: DocumentStore, name: str, embedder: Embedder, *, rebuild: bool = False,
                     batch_size: int = 32, progress: Progress | None = None,
                     should_stop: ShouldStop | None = None) -> IndexReport:
    """Bring collection ``name`` up to date with its folders; see :class:`Indexer`."""
    return Indexer(store, name, embedder, rebuild=rebuild, batch_size=batch_size, progress=progress,
                   should_stop=should_stop).run()
