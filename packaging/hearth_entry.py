"""The frozen app's entry point: the same ``hearth`` command (GUI, CLI and engine process)."""

import multiprocessing
import sys

from hearth.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
