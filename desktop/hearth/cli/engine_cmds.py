"""The hidden ``hearth engine`` command: the inference process the engine supervisor starts.

It is not listed in ``hearth --help``: people start engines through ``hearth chat``,
``hearth serve`` or the app. Running it from the same executable lets a frozen
build start engines without a separate Python. llama.cpp is imported only here,
inside that child process.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from hearth.core.services import LOG_FORMAT, Services


def register(commands: Any) -> None:
    engine = commands.add_parser("engine")  # no help= keeps it out of the command list
    engine.add_argument("--probe", action="store_true", help="print what this llama.cpp build supports as JSON")
    engine.set_defaults(handler=cmd_engine)


def _log_to_stderr() -> None:
    """The parent captures our stderr into the engine's own log; no log file of our own."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)


def cmd_engine(services: Services, args: argparse.Namespace) -> int:
    _log_to_stderr()
    from hearth.engine import server_main

    return server_main.run_probe() if args.probe else server_main.run_engine()
