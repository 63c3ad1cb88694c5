"""Document collections and embeddings from the terminal: ``hearth docs ...`` and ``hearth embed``.

The engine package is imported inside the handlers that start an embedding
engine, so listing or reporting never loads it.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hearth.cli.library_cmds import resolve_model
from hearth.cli.output import ProgressBar, print_json, print_table
from hearth.core.documents import (
    ChunkSettings,
    DocumentsError,
    DocumentSearch,
    DocumentStore,
    IndexReport,
    ModelMismatchError,
    index_collection,
)
from hearth.core.documents.extract import DEFAULT_MAX_TEXT_BYTES
from hearth.core.embeddings import export_vectors
from hearth.core.errors import LibraryError
from hearth.core.services import Services

if TYPE_CHECKING:
    from hearth.engine.embedder import EngineEmbedder


def register(commands: Any) -> None:
    docs = commands.add_parser("docs", help="collections of your documents: index them, search them")
    actions = docs.add_subparsers(dest="docs_command", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="create a collection, or add folders/files to one")
    add.add_argument("name", metavar="NAME")
    add.add_argument("paths", metavar="PATH", nargs="+")
    add.add_argument("--model", metavar="MODEL", help="embedding model: library id, name or .gguf path")
    add.add_argument("--chunk-tokens", type=int, default=ChunkSettings.chunk_tokens, metavar="N",
                     help=f"tokens per chunk (default {ChunkSettings.chunk_tokens})")
    add.add_argument("--overlap", type=int, default=ChunkSettings.overlap_tokens, metavar="N",
                     help=f"tokens shared by neighbouring chunks (default {ChunkSettings.overlap_tokens})")
    add.add_argument("--max-file-mb", type=float, default=DEFAULT_MAX_TEXT_BYTES / 1e6, metavar="MB",
                     help=f"skip files with more text than this (default {DEFAULT_MAX_TEXT_BYTES / 1e6:.0f})")
    add.set_defaults(handler=cmd_add)

    lst = actions.add_parser("list", help="list the collections")
    lst.add_argument("--json", action="store_true", help="print a JSON list")
    lst.set_defaults(handler=cmd_list)

    index = actions.add_parser("index", help="read, chunk and embed new or changed files (Ctrl+C stops)")
    index.add_argument("name", metavar="NAME")
    index.add_argument("--model", metavar="MODEL", help="embedding model (default: the collection's)")
    index.add_argument("--rebuild", action="store_true", help="forget the index and embed every file again")
    index.set_defaults(handler=cmd_index)

    search = actions.add_parser("search", help="search a collection (keywords and meaning together)")
    search.add_argument("name", metavar="NAME")
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--k", type=int, default=5, metavar="N", help="how many results (default 5)")
    search.add_argument("--keyword-only", action="store_true", help="keyword search only (no model needed)")
    search.add_argument("--json", action="store_true", help="print a JSON list")
    search.set_defaults(handler=cmd_search)

    report = actions.add_parser("report", help="show skipped files and why")
    report.add_argument("name", metavar="NAME")
    report.add_argument("--json", action="store_true", help="print one JSON object")
    report.set_defaults(handler=cmd_report)

    rm = actions.add_parser("rm", help="delete a collection's index (your files are not touched)")
    rm.add_argument("name", metavar="NAME")
    rm.set_defaults(handler=cmd_rm)

    embed = commands.add_parser("embed", help="turn texts into vectors with an embedding model")
    embed.add_argument("model", metavar="MODEL", help="library id, name or .gguf path")
    embed.add_argument("texts", metavar="TEXT", nargs="+")
    embed.add_argument("--json", action="store_true", help="print a JSON list of vectors, one per text")
    embed.add_argument("--output", metavar="FILE", help="also write the vectors to FILE (.json, .csv or .npy)")
    embed.set_defaults(handler=cmd_embed)


# ---- helpers -------------------------------------------------------------------------------

def model_ref(services: Services, key: str) -> str:
    """What a collection remembers for a model: its library id, or the absolute path of a file outside."""
    services.library.scan()
    try:
        return services.library.get(key).id
    except LibraryError:
        return str(resolve_model(services, key).path)  # a readable GGUF file, or a one-line error


class _StopFlag:
    """The first Ctrl+C asks the work to stop cleanly; a second one interrupts at once."""

    def __init__(self) -> None:
        self.stopped = False

    def __call__(self) -> bool:
        return self.stopped

    @contextmanager
    def installed(self) -> Iterator[_StopFlag]:
        def on_interrupt(_signum: int, _frame: object) -> None:
            self.stopped = True
            signal.signal(signal.SIGINT, previous)
            print("\nhearth: stopping after the current step (Ctrl+C again to abort)", file=sys.stderr)

        previous = signal.signal(signal.SIGINT, on_interrupt)
        try:
            yield self
        finally:
            signal.signal(signal.SIGINT, previous)


@contextmanager
def open_embedder(services: Services, ref: str, should_stop: _StopFlag | None = None) -> Iterator[EngineEmbedder]:
    """Start an embedding engine for model ``ref`` and stop it afterwards."""
    from hearth.engine.embedder import EngineEmbedder
    from hearth.engine.supervisor import EngineSupervisor

    entry = resolve_model(services, ref)
    with EngineSupervisor(services.paths) as supervisor:
        embedder = EngineEmbedder.start(supervisor, entry, model_id=ref, should_stop=should_stop)
        with embedder:
            yield embedder


def _describe(report: IndexReport) -> str:
    parts = [f"{report.files_total} files: {report.added} new, {report.updated} changed, "
             f"{report.unchanged} unchanged, {report.removed} removed"]
    if report.skipped:
        parts.append(f"{report.skipped} skipped (see 'hearth docs report {report.collection}')")
    parts.append(f"{report.chunks_embedded} chunks embedded in {report.seconds:.1f} s")
    return f"Indexed '{report.collection}': " + "; ".join(parts)


# ---- commands ------------------------------------------------------------------------------

def cmd_add(services: Services, args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not Path(p).expanduser().exists()]
    if missing:
        raise DocumentsError(f"No such file or folder: {missing[0]}")
    ref = model_ref(services, args.model) if args.model else None
    with DocumentStore.open(services.paths) as store:
        if store.exists(args.name):
            current = store.get(args.name)
            if ref and current.model and ref != current.model and current.chunk_count:
                raise ModelMismatchError(current.name, current.model, ref)
            if ref and ref != current.model:
                store.set_model(current.id, ref, None)
            collection = store.add_sources(args.name, args.paths)
            verb = "Extended"
        else:
            settings = ChunkSettings(args.chunk_tokens, args.overlap)
            collection = store.create(args.name, args.paths, ref, settings, int(args.max_file_mb * 1e6))
            verb = "Created"
    print(f"{verb} collection '{collection.name}' ({len(collection.sources)} source"
          f"{'s' if len(collection.sources) != 1 else ''}). Index it with 'hearth docs index {collection.name}'"
          + ("" if collection.model else " --model MODEL") + ".")
    return 0


def cmd_list(services: Services, args: argparse.Namespace) -> int:
    with DocumentStore.open(services.paths) as store:
        collections = store.collections()
    if args.json:
        print_json([c.to_json() for c in collections])
        return 0
    if not collections:
        print("No collections yet. Create one with 'hearth docs add NAME FOLDER --model MODEL'.")
        return 0
    rows: list[tuple[object, ...]] = [("NAME", "FILES", "SKIPPED", "CHUNKS", "MODEL", "INDEXED")]
    for c in collections:
        rows.append((c.name, c.files_indexed, c.files_skipped, c.chunk_count, c.model or "—",
                     c.indexed_at or "never"))
    print_table(rows)
    return 0


def cmd_index(services: Services, args: argparse.Namespace) -> int:
    with DocumentStore.open(services.paths) as store:
        collection = store.get(args.name)
        ref = model_ref(services, args.model) if args.model else collection.model
        if ref is None:
            raise DocumentsError(f"Collection '{collection.name}' has no embedding model yet; choose one with --model.")
        if ref != collection.model and collection.chunk_count and not args.rebuild:
            raise DocumentsError(
                f"{ModelMismatchError(collection.name, collection.model or '?', ref)}: "
                f"hearth docs index {collection.name} --model {args.model} --rebuild")
        stop = _StopFlag()
        bar = ProgressBar(unit="files")
        with stop.installed(), open_embedder(services, ref, stop) as embedder:
            try:
                report = index_collection(store, collection.name, embedder, rebuild=args.rebuild,
                                          progress=bar, should_stop=stop)
            finally:
                bar.close()
    print(_describe(report))
    for source in report.missing_sources:
        print(f"! source not found: {source}", file=sys.stderr)
    return 0


def cmd_search(services: Services, args: argparse.Namespace) -> int:
    if args.k < 1:
        raise DocumentsError("--k must be at least 1.")
    with DocumentStore.open(services.paths) as store:
        collection = store.get(args.name)
        if args.keyword_only or collection.model is None or not collection.chunk_count:
            hits = DocumentSearch(store, collection.name).search(args.query, args.k)
        else:
            with open_embedder(services, collection.model) as embedder:
                hits = DocumentSearch(store, collection.name, embedder).search(args.query, args.k)
    if args.json:
        print_json([hit.to_json() for hit in hits])
        return 0
    if not hits:
        print("Nothing found.")
        return 0
    for number, hit in enumerate(hits, start=1):
        ranks = ", ".join(f"{name} #{rank}" for name, rank in (("keyword", hit.keyword_rank),
                                                                ("meaning", hit.vector_rank)) if rank)
        print(f"{number}. {hit.display_path} ({hit.chunk.where()})  score {hit.score:.4f} [{ranks}]")
        snippet = " ".join(hit.chunk.text.split())
        print(f"   {snippet[:300]}{'…' if len(snippet) > 300 else ''}")
    return 0


def cmd_report(services: Services, args: argparse.Namespace) -> int:
    with DocumentStore.open(services.paths) as store:
        collection = store.get(args.name)
        files = store.files(collection.id)
    skipped = [f for f in files if f.status == "skipped"]
    noted = [f for f in files if f.status == "indexed" and f.note]
    if args.json:
        print_json({"collection": collection.to_json(), "skipped": [f.to_json() for f in skipped],
                    "notes": [f.to_json() for f in noted]})
        return 0
    print(f"'{collection.name}': {collection.files_indexed} files indexed, {collection.chunk_count} chunks, "
          f"{len(skipped)} skipped.")
    for f in skipped:
        print(f"skipped  {f.path}: {f.reason}")
    for f in noted:
        print(f"note     {f.path}: {f.note}")
    for source in collection.sources:
        if not Path(source).exists():
            print(f"missing  {source}: not found (it will be left out until it is back)")
    return 0


def cmd_rm(services: Services, args: argparse.Namespace) -> int:
    with DocumentStore.open(services.paths) as store:
        removed = store.delete(args.name)
    print(f"Removed collection '{removed.name}' ({removed.chunk_count} chunks); your files were not touched.")
    return 0


def cmd_embed(services: Services, args: argparse.Namespace) -> int:
    ref = model_ref(services, args.model)
    with open_embedder(services, ref) as embedder:
        vectors = embedder.embed(list(args.texts))
    if args.output:
        export_vectors(args.output, vectors, args.texts)
    if args.json:
        print_json(vectors)
        return 0
    print(f"{len(vectors)} vector{'s' if len(vectors) != 1 else ''} of {len(vectors[0])} dimensions ({ref})")
    for text, vector in zip(args.texts, vectors):
        preview = ", ".join(f"{x:+.4f}" for x in vector[:4])
        print(f"{text[:40]!r}: [{preview}, …]")
    if args.output:
        print(f"Wrote {args.output}")
    return 0
