"""A small library whose models earn every kind of badge, for badge tests and screenshots.

* ``permissive``: Qwen-like, apache-2.0, imported from a Downloads folder;
* ``restricted``: Llama 3.2, downloaded from an established quantiser with a verified hash;
* ``malicious``: a community upload whose chat template tries to escape the Jinja2 sandbox;
* ``truncated``: a download that stopped early (the tensor data is cut off);
* ``unlabelled``: no license and no chat template, found in a folder.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from hearth.core.model_entry import SOURCE_HUB, ModelSource
from hearth.core.model_import import import_model
from hearth.core.services import Services
from tests.helpers.gguf_factory import write_tiny_gguf
from tests.helpers.malicious_templates import malicious_template

REVISION = "8f3a1c2d9e0b7a6f5c4d3e2f1a0b9c8d7e6f5a4b"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _downloaded(services: Services, repo_id: str, filename: str, card_license: str, **options: Any) -> Path:
    """A tiny model placed where the downloader puts files, with the source record it writes."""
    path = services.paths.models / repo_id / filename
    write_tiny_gguf(path, **options)
    services.library.record_source(path, ModelSource(
        kind=SOURCE_HUB, repo_id=repo_id, revision=REVISION, filename=filename, sha256=sha256_of(path),
        license=card_license))
    return path


def stock_badge_library(services: Services, root: Path, *, marker: Path | None = None) -> dict[str, Path]:
    """Write the models above under ``root`` and the library's folder, scan, and return their paths."""
    found: dict[str, Path] = {}
    source = write_tiny_gguf(root / "Downloads" / "qwen2.5-0.5b-instruct-q8_0.gguf", name="Qwen2.5 0.5B Instruct",
                             license="apache-2.0", quant="Q8_0", context_length=32768)
    found["permissive"] = import_model(services.library, source).path
    found["restricted"] = _downloaded(
        services, "bartowski/Llama-3.2-1B-Instruct-GGUF", "Llama-3.2-1B-Instruct-Q8_0.gguf", "llama3.2",
        name="Llama 3.2 1B Instruct", license="llama3.2", quant="Q8_0", context_length=131072)
    template = malicious_template(marker or root / "pwned", "builtins_open")
    found["malicious"] = _downloaded(
        services, "free-models-4u/Qwen2.5-1.5B-Instruct-GGUF", "qwen2.5-1.5b-instruct-q8_0.gguf", "apache-2.0",
        name="Qwen2.5 1.5B Chat", license="apache-2.0", quant="Q8_0", chat_template=template)
    shelf = root / "Models"
    truncated = write_tiny_gguf(shelf / "Phi-3.5-mini-instruct-Q8_0.gguf", name="Phi 3.5 Mini Instruct",
                                license="mit", quant="Q8_0")
    with open(truncated, "r+b") as handle:  # a download that stopped early
        handle.truncate(truncated.stat().st_size * 2 // 3)
    found["truncated"] = truncated
    found["unlabelled"] = write_tiny_gguf(shelf / "mystery-7b.Q8_0.gguf", name="Mystery 7B", license=None,
                                          chat_template=None, quant="Q8_0")
    services.library.add_folder(shelf)
    services.library.scan()
    return found
