"""Library commands: list, info, import, rm and folders."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from hearth.cli.output import ProgressBar, print_badges, print_json, print_table
from hearth.core.errors import LibraryError
from hearth.core.gguf_facts import read_facts
from hearth.core.hardware import probe
from hearth.core.model_entry import ModelEntry, ModelSource, model_id
from hearth.core.model_import import import_model
from hearth.core.risk import badges_for_entry
from hearth.core.services import Services
from hearth.core.units import human_bytes, human_context, human_count


def register(commands: Any) -> None:
    list_cmd = commands.add_parser("list", help="list the models in your library")
    list_cmd.add_argument("--json", action="store_true", help="print a JSON list")
    list_cmd.set_defaults(handler=cmd_list)

    info = commands.add_parser("info", help="show the facts of a model (library id or .gguf path)")
    info.add_argument("model", metavar="PATH_OR_ID")
    info.add_argument("--json", action="store_true", help="print one JSON object")
    info.set_defaults(handler=cmd_info)

    imp = commands.add_parser("import", help="copy a .gguf file into the library")
    imp.add_argument("path", metavar="PATH")
    imp.add_argument("--move", action="store_true", help="move the file instead of copying it")
    imp.set_defaults(handler=cmd_import)

    rm = commands.add_parser("rm", help="delete a model's files and remove it from the library")
    rm.add_argument("model", metavar="ID")
    rm.set_defaults(handler=cmd_rm)

    folders = commands.add_parser("folders", help="manage extra folders scanned for models")
    actions = folders.add_subparsers(dest="folders_command", metavar="ACTION", required=True)
    actions.add_parser("list", help="show the scanned folders")
    for action, text in (("add", "scan another folder for .gguf files"), ("remove", "stop scanning a folder")):
        sub = actions.add_parser(action, help=text)
        sub.add_argument("path", metavar="PATH")
    folders.set_defaults(handler=cmd_folders)


def resolve_model(services: Services, key: str) -> ModelEntry:
    """A library entry by id/name/path, or a .gguf file outside the library read directly."""
    services.library.scan()
    try:
        return services.library.get(key)
    except LibraryError:
        path = Path(key).expanduser()
        if not os.path.exists(path):
            raise
    facts = read_facts(path)  # explains a bad file in one line
    resolved = path.resolve()
    return ModelEntry(
        id=model_id(resolved), path=resolved, parts=[resolved], size_bytes=facts.file_size,
        added_at="", source=ModelSource(kind="not in library"), folder=resolved.parent, facts=facts,
    )


def cmd_list(services: Services, args: argparse.Namespace) -> int:
    entries = services.library.scan()
    if args.json:
        print_json([e.to_json() for e in entries])
        return 0
    if not entries:
        print("No models yet. Import one with 'hearth import FILE.gguf' or add a folder with 'hearth folders add'.")
        return 0
    rows: list[tuple[str, ...]] = [("ID", "NAME", "ARCH", "PARAMS", "QUANT", "SIZE", "CONTEXT", "LICENSE")]
    for e in entries:
        f = e.facts
        rows.append((
            e.id, e.name[:40], (f.architecture or "?") if f else "unreadable",
            human_count(f.parameters) if f else "—", (f.quantization or "?") if f else "—",
            human_bytes(e.size_bytes), human_context(f.context_length) if f else "—",
            (f.license or "—") if f else "—",
        ))
    print_table(rows)
    for e in entries:
        if e.problems:
            print(f"! {e.id} {e.path.name}: {'; '.join(e.problems)}", file=sys.stderr)
    return 0


_SHOWN = {
    "parameters": lambda v: f"{human_count(v)} ({v:,})" if v else "—",
    "size_bytes": lambda v: f"{human_bytes(v)} ({v:,} bytes)",
    "context_length": lambda v: f"{human_context(v)} tokens" if v else "—",
    "source": lambda v: ModelSource.from_dict(v).describe() + (f" (sha256 {v['sha256']})" if v.get("sha256") else ""),
    "parts": lambda v: ", ".join(Path(p).name for p in v),
    "problems": lambda v: "; ".join(v) or "none",
}


def cmd_info(services: Services, args: argparse.Namespace) -> int:
    entry = resolve_model(services, args.model)
    data = entry.to_json()
    badges = [b.to_json() for b in badges_for_entry(entry, profile=probe())]
    if args.json:
        print_json(data | {"badges": badges})
        return 0
    for key, value in data.items():
        shown = _SHOWN[key](value) if key in _SHOWN else ("—" if value is None else value)
        print(f"{key.replace('_', ' '):>15}: {shown}")
    print()
    print_badges(badges)
    return 0


def cmd_import(services: Services, args: argparse.Namespace) -> int:
    bar = ProgressBar("Importing ")
    try:
        entry = import_model(services.library, args.path, move=args.move, progress=bar.callback())
    finally:
        bar.close()
    verb = "Moved" if args.move else "Imported"
    print(f"{verb} {entry.name} as {entry.id} ({human_bytes(entry.size_bytes)}) -> {entry.path}")
    return 0


def cmd_rm(services: Services, args: argparse.Namespace) -> int:
    services.library.scan()
    entry = services.library.remove(args.model)
    print(f"Removed {entry.name} ({entry.id}); deleted {', '.join(str(p) for p in entry.parts)}")
    return 0


def cmd_folders(services: Services, args: argparse.Namespace) -> int:
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
