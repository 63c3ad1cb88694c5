"""Runs the installed ``hearth`` command in a subprocess, the way a user's shell would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


def hearth_command() -> list[str]:
    """The console script installed next to this interpreter, else ``python -m hearth``."""
    bin_dir = Path(sys.executable).parent
    for name in ("hearth", "hearth.exe"):
        script = bin_dir / name
        if script.is_file() and os.access(script, os.X_OK):
            return [str(script)]
    found = shutil.which("hearth", path=str(bin_dir))
    return [found] if found else [sys.executable, "-m", "hearth"]


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str

    @property
    def stderr_lines(self) -> list[str]:
        return self.stderr.splitlines()


def run_hearth(*args: str | os.PathLike[str], home: Path | None = None, module: bool = False,
               cwd: Path | None = None, timeout: float = 60) -> Result:
    """Run ``hearth ARGS`` with ``HEARTH_HOME=home`` (default: the current environment's)."""
    env = dict(os.environ)
    if home is not None:
        env["HEARTH_HOME"] = str(home)
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("PYTHONWARNINGS", None)
    command = [sys.executable, "-m", "hearth"] if module else hearth_command()
    done = subprocess.run(
        [*command, *map(str, args)], capture_output=True, text=True, encoding="utf-8",
        env=env, cwd=cwd, timeout=timeout, stdin=subprocess.DEVNULL,
    )
    return Result(done.returncode, done.stdout, done.stderr)
