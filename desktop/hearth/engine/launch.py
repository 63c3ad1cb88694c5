"""What the parent tells an engine process, and how the process answers.

The parent starts ``hearth engine`` (the same executable, so a frozen build
works too) and writes one JSON line, an :class:`EngineLaunch`, to its stdin.
Sending it there rather than on the command line keeps the API key out of
``ps`` listings and logs. The stdin pipe then stays open: when it closes
(the parent exited or was killed) the engine exits, so no orphaned engine
keeps gigabytes of memory.

The engine reports on stdout with lines starting with :data:`MARKER`; every
other line is log output (llama.cpp, uvicorn).
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from hearth.engine.load_settings import ResolvedLoadSettings

MARKER = "@@hearth-engine "
#: ``@@hearth-engine listening <host> <port>`` once the socket is bound (before the model loads).
LISTENING = "listening"
#: ``@@hearth-engine error <one line>`` when loading failed; the process then exits with LOAD_FAILED.
ERROR = "error"
LOAD_FAILED = 3
BAD_LAUNCH = 4


@dataclass
class EngineLaunch:
    """Everything an engine process needs; sent as JSON on its stdin."""

    model_path: str
    model_alias: str
    n_ctx: int
    n_gpu_layers: int | None
    n_threads: int
    n_batch: int
    flash_attn: bool = False
    use_mmap: bool = True
    use_mlock: bool = False
    chat_format: str | None = None
    embedding: bool = False
    host: str = "127.0.0.1"
    port: int = 0
    api_key: str | None = field(default=None, repr=False)

    @classmethod
    def build(cls, model_path: Path, model_alias: str, settings: ResolvedLoadSettings, *,
              host: str = "127.0.0.1", port: int = 0, api_key: str | None = None) -> EngineLaunch:
        return cls(
            model_path=str(model_path), model_alias=model_alias, n_ctx=settings.n_ctx,
            n_gpu_layers=settings.n_gpu_layers, n_threads=settings.n_threads, n_batch=settings.n_batch,
            flash_attn=settings.flash_attn, use_mmap=settings.use_mmap, use_mlock=settings.use_mlock,
            chat_format=settings.chat_format, embedding=settings.embedding, host=host, port=port,
            api_key=api_key,
        )

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> EngineLaunch:
        raw: Any = json.loads(text)
        if not isinstance(raw, dict):
            raise ValueError("launch settings must be a JSON object")
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in raw.items() if k in known})

    def described(self) -> str:
        """A log line without the key."""
        shown = {k: v for k, v in asdict(self).items() if k != "api_key"}
        shown["api_key"] = "set" if self.api_key else "none"
        return json.dumps(shown)


def engine_command() -> list[str]:
    """The command line that starts ``hearth engine`` with this Python or this frozen executable."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "engine"]
    return [sys.executable, "-m", "hearth", "engine"]


def parse_marker(line: str) -> tuple[str, str] | None:
    """``"@@hearth-engine listening 127.0.0.1 5555"`` -> ``("listening", "127.0.0.1 5555")``."""
    if not line.startswith(MARKER):
        return None
    kind, _, rest = line[len(MARKER):].partition(" ")
    return kind, rest.strip()
