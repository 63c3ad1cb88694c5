"""Parses the command line and dispatches to the command modules.

Each feature keeps its commands in a module with a ``register(commands)``
function that adds sub-parsers and sets ``handler=fn(services, args) -> int``.
Everything except the GUI launch runs without importing Qt or llama.cpp.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from hearth import __version__
from hearth.cli import chat_cmds, docs_cmds, engine_cmds, hub_cmds, library_cmds
from hearth.core.errors import Cancelled, HearthError
from hearth.core.paths import Paths
from hearth.core.services import Services, setup_logging

log = logging.getLogger(__name__)

#: Modules that contribute sub-commands, in the order help lists them.
COMMAND_MODULES = [library_cmds, hub_cmds, chat_cmds, docs_cmds, engine_cmds]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hearth",
        description="Run open GGUF models on your own computer. With no command, opens the app.",
    )
    parser.add_argument("--version", action="store_true",
                        help="print the version (with --verbose: versions and the llama.cpp backend)")
    parser.add_argument("--data-dir", metavar="DIR", help="keep all data, settings, cache and logs under DIR")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    parser.add_argument("--offline", action="store_true", help="send no network request at all (also HEARTH_OFFLINE=1)")
    parser.add_argument(
        "--self-test", action="store_true",
        help="check that this installation works (window, model facts, engine, embeddings) and exit",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("gui", help="open the Hearth window (the default)")
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.offline:  # before any Hub module is imported: huggingface_hub reads it once
        os.environ["HEARTH_OFFLINE"] = "1"
    if args.version:
        print(f"Hearth {__version__}")
        if args.verbose:
            from hearth.core.about import build_info

            for key, value in build_info().items():
                print(f"  {key}: {value}")
        return 0
    if args.self_test:
        from hearth.selftest import run_self_test

        return run_self_test(sys.stdout)
    if args.command in (None, "gui"):
        from hearth.app import run_gui  # Qt is imported only on this path

        return run_gui(data_dir=args.data_dir, verbose=args.verbose)
    try:
        # Log to the file before anything else runs, so early warnings (a broken settings
        # file) land there instead of on stderr through logging's last-resort handler.
        paths = Paths.resolve(args.data_dir).ensure()
        setup_logging(paths.log_file, logging.DEBUG if args.verbose else logging.INFO)
        services = Services.open(args.data_dir)
        if args.command != "engine":  # an engine child installs its own guard (engine.server_main)
            from hearth.core import privacy

            privacy.start_guard(paths.logs, services.settings.settings)
        if services.settings.notice:
            print(f"hearth: warning: {services.settings.notice}", file=sys.stderr)
        return int(args.handler(services, args))
    except Cancelled as exc:
        print(f"hearth: {exc}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away; that is not an error worth a message.
        sys.stderr.close()
        return 0
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
