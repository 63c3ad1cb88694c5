"""The ``hearth`` command line. ``main`` is the console-script entry point."""

from hearth.cli.main import main

__all__ = ["main"]
