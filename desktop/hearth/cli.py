"""The ``hearth`` command: starts the window, or drives the same core from a terminal.

Everything except the GUI launch runs without importing Qt or llama.cpp, so the
command line stays quick and works on a machine with no display.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hearth import __version__
from hearth.core.errors import Cancelled, HearthError, LibraryError
from hearth.core.gguf_facts import read_facts
from hearth.core.model_entry import ModelEntry, ModelSource, model_id
from hearth.core.model_import import import_model
from hearth.core.services import Services, setup_logging
from hearth.core.units import human_bytes, human_context, human_count

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hearth",
        description="Run open GGUF models on your own computer. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"Hearth {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help="keep all data, settings, cache and logs under DIR")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("gui", help="open the Hearth window (the default)")
    list_cmd = commands.add_parser("list", help="list the models in your library")
    list_cmd.add_argument("--json", action="store_true", help="print a JSON list")
    info = commands.add_parser("info", help="show the facts of a model (library id or .gguf path)")
    info.add_argument("model", metavar="PATH_OR_ID")
    info.add_argument("--json", action="store_true", help="print one JSON object")
    imp = commands.add_parser("import", help="copy a .gguf file into the library")
    imp.add_argument("path", metavar="PATH")
    imp.add_argument("--move", action="store_true", help="move the file instead of copying it")
    rm = commands.add_parser("rm", help="delete a model's files and remove it from the library")
    rm.add_argument("model", metavar="ID")

    folders = commands.add_parser("folders", help="manage extra folders scanned for models")
    folder_cmds = folders.add_subparsers(dest="folders_command", metavar="ACTION", required=True)
    folder_cmds.add_parser("list", help="show the scanned folders")
    for action, text in (("add", "scan another folder for .gguf files"), ("remove", "stop scanning a folder")):
        sub = folder_cmds.add_parser(action, help=text)
        sub.add_argument("path", metavar="PATH")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in (None, "gui"):
        from hearth.app import run_gui  # Qt is imported only on this path

        return run_gui(data_dir=args.data_dir, verbose=args.verbose)
    try:
        services = Services.open(args.data_dir)
        setup_logging(services.paths.log_file, logging.DEBUG if args.verbose else logging.INFO)
        if services.settings.notice:
            print(f"hearth: warning: {services.settings.notice}", file=sys.stderr)
        return _COMMANDS[args.command](services, args)
    except Cancelled as exc:
        print(f"hearth: {exc}", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("hearth: interrupted", file=sys.stderr)
        return 130
    except HearthError as exc:
        print(f"hearth: error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: say so in one line, keep the traceback in the log
        log.exception("unexpected error in 'hearth %s'", args.command)
        print(f"hearth: internal error: {exc.__class__.__name__}: {exc} (details in the log)", file=sys.stderr)
        return 2


def _cmd_list(services: Services, args: argparse.Namespace) -> int:
    entries = services.library.scan()
    if args.json:
        _print_json([e.to_json() for e in entries])
        return 0
    if not entries:
        print("No models yet. Import one with 'hearth import FILE.gguf' or add a folder with 'hearth folders add'.")
        return 0
    rows = [("ID", "NAME", "ARCH", "PARAMS", "QUANT", "SIZE", "CONTEXT", "LICENSE")]
    for e in entries:
        f = e.facts
        rows.append((
            e.id, e.name[:40], (f.architecture or "?") if f else "unreadable",
            human_count(f.parameters) if f else "—", (f.quantization or "?") if f else "—",
            human_bytes(e.size_bytes), human_context(f.context_length) if f else "—",
            (f.license or "—") if f else "—",
        ))
    _print_table(rows)
    broken = [e for e in entries if e.problems]
    for e in broken:
        print(f"! {e.id} {e.path.name}: {'; '.join(e.problems)}", file=sys.stderr)
    return 0


def _cmd_info(services: Services, args: argparse.Namespace) -> int:
    services.library.scan()
    try:
        entry = services.library.get(args.model)
    except LibraryError:
        path = Path(args.model).expanduser()
        if not path.is_file() and not path.is_dir():
            raise
        # A file outside the library: read it directly (read_facts explains bad files).
        facts = read_facts(path)
        entry = ModelEntry(
            id=model_id(path.resolve()), path=path.resolve(), parts=[path.resolve()],
            size_bytes=facts.file_size, added_at="", source=ModelSource(kind="not in library"),
            folder=path.resolve().parent, facts=facts,
        )
    data = entry.to_json()
    if args.json:
        _print_json(data)
        return 0
    labels = {
        "parameters": lambda v: f"{human_count(v)} ({v:,})" if v else "—",
        "size_bytes": lambda v: f"{human_bytes(v)} ({v:,} bytes)",
        "context_length": lambda v: f"{human_context(v)} tokens" if v else "—",
        "source": lambda v: ModelSource.from_dict(v).describe()
        + (f" (sha256 {v['sha256']})" if v.get("sha256") else ""),
        "parts": lambda v: ", ".join(Path(p).name for p in v),
        "problems": lambda v: "; ".join(v) or "none",
    }
    for key, value in data.items():
        shown = labels[key](value) if key in labels else ("—" if value is None else value)
        print(f"{key.replace('_', ' '):>15}: {shown}")
    return 0


def _cmd_import(services: Services, args: argparse.Namespace) -> int:
    entry = import_model(services.library, args.path, move=args.move, progress=_terminal_progress())
    _end_progress()
    verb = "Moved" if args.move else "Imported"
    print(f"{verb} {entry.name} as {entry.id} ({human_bytes(entry.size_bytes)}) -> {entry.path}")
    return 0


def _cmd_rm(services: Services, args: argparse.Namespace) -> int:
    services.library.scan()
    entry = services.library.remove(args.model)
    print(f"Removed {entry.name} ({entry.id}); deleted {', '.join(str(p) for p in entry.parts)}")
    return 0


def _cmd_folders(services: Services, args: argparse.Namespace) -> int:
    library = services.library
    if args.folders_command == "add":
        print(f"Added {library.add_folder(args.path)}")
    elif args.folders_command == "remove":
        print(f"Removed {library.remove_folder(args.path)} (its files were not touched)")
    else:
        for index, folder in enumerate(library.folders()):
            note = "  (Hearth's own)" if index == 0 else ("" if folder.is_dir() else "  (missing)")
            print(f"{folder}{note}")
    return 0


_COMMANDS = {
    "list": _cmd_list, "info": _cmd_info, "import": _cmd_import,
    "rm": _cmd_rm, "folders": _cmd_folders,
}


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2)
    sys.stdout.write("\n")


def _print_table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())


def _terminal_progress() -> Any:
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int, _path: str) -> None:
        filled = int(30 * done / total) if total else 30
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {human_bytes(done)} / {human_bytes(total)}")
        sys.stderr.flush()

    return show


def _end_progress() -> None:
    if sys.stderr.isatty():
        sys.stderr.write("\n")
