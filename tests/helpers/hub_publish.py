"""Shortcuts that put typical GGUF repositories on the Hub emulator."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.helpers.hub_emulator import HubEmulator
from tests.helpers.hub_repos import EmuRepo


def publish_tiny(hub: HubEmulator, tiny_gguf: Callable[..., Path], repo_id: str = "acme/tiny-GGUF", *,
                 quants: tuple[str, ...] = ("Q8_0",), **meta: Any) -> EmuRepo:
    """A repository with one real tiny model per quant (named ``tiny-<quant>.gguf``) and a card."""
    files: dict[str, bytes | Path | str] = {}
    for quant in quants:
        made_as = quant if quant in ("F32", "F16", "Q8_0") else "Q8_0"
        files[f"tiny-{quant}.gguf"] = tiny_gguf(f"{repo_id.replace('/', '_')}-{quant}.gguf", quant=made_as,
                                                license="mit")
    meta.setdefault("license", "mit")
    meta.setdefault("readme", f"# {repo_id}\n\nA tiny test model.\n")
    return hub.add_repo(repo_id, files, **meta)


def publish_split(hub: HubEmulator, split_gguf: Callable[..., list[Path]], repo_id: str = "acme/split-GGUF",
                  *, folder: str = "Q8_0", parts: int = 3, **meta: Any) -> EmuRepo:
    """A repository whose model is split in ``parts`` files inside ``folder/`` (as large repos do)."""
    made = split_gguf("tiny-split-Q8_0", parts=parts, quant="Q8_0")
    files: dict[str, bytes | Path | str] = {f"{folder}/{p.name}" if folder else p.name: p for p in made}
    meta.setdefault("license", "apache-2.0")
    return hub.add_repo(repo_id, files, **meta)
