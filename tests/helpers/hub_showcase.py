"""Realistic-looking GGUF repositories for the Hub emulator: names, cards, several quants, one gated.

Every model file is a real tiny GGUF. For screenshots, ``sparse=True`` pads each
file (sparsely, so it costs no disk) to the size the real quant has, so the
sizes and fit bars look like a real repository's; hashing tens of gigabytes
would take minutes, so those files get a made-up sha256 and must not be
downloaded to the end (a picture only needs them started or paused).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tests.helpers.gguf_factory import write_tiny_gguf
from tests.helpers.hub_emulator import HubEmulator
from tests.helpers.hub_repos import EmuFile

MB = 1_000_000


@dataclass(frozen=True)
class ShowcaseRepo:
    repo_id: str
    stem: str  # file names are "<stem>-<quant>.gguf"
    license: str
    quants: dict[str, int]  # label -> the real file's size in bytes
    parameters: int
    architecture: str
    context_length: int
    downloads: int
    likes: int
    days_ago: int
    gated: str | bool = False
    projector: int | None = None  # size of an mmproj file, if the model sees images
    extra_card: dict[str, object] = field(default_factory=dict)


REPOS = (
    ShowcaseRepo("bartowski/Llama-3.2-1B-Instruct-GGUF", "Llama-3.2-1B-Instruct", "llama3.2",
                 {"Q4_K_M": 808 * MB, "Q5_K_M": 912 * MB, "Q6_K": 1020 * MB, "Q8_0": 1320 * MB, "F16": 2480 * MB},
                 1_235_814_432, "llama", 131072, 182_340, 412, 3),
    ShowcaseRepo("Qwen/Qwen2.5-0.5B-Instruct-GGUF", "qwen2.5-0.5b-instruct", "apache-2.0",
                 {"Q4_K_M": 398 * MB, "Q5_K_M": 420 * MB, "Q8_0": 676 * MB, "F16": 1270 * MB},
                 494_032_768, "qwen2", 32768, 96_112, 288, 40),
    ShowcaseRepo("google/gemma-3-1b-it-qat-q4_0-gguf", "gemma-3-1b-it", "gemma", {"Q4_0": 1000 * MB},
                 999_885_952, "gemma3", 32768, 48_905, 170, 120, gated="manual"),
    ShowcaseRepo("ggml-org/SmolVLM-256M-Instruct-GGUF", "SmolVLM-256M-Instruct", "apache-2.0",
                 {"Q8_0": 175 * MB, "F16": 328 * MB}, 162_826_560, "llama", 8192, 12_877, 64, 9, projector=190 * MB),
    ShowcaseRepo("bartowski/aya-expanse-8b-GGUF", "aya-expanse-8b", "cc-by-nc-4.0",
                 {"Q3_K_M": 4020 * MB, "Q4_K_M": 5060 * MB, "Q6_K": 6600 * MB, "Q8_0": 8540 * MB},
                 8_028_033_024, "command-r", 8192, 7_421, 52, 200),
    ShowcaseRepo("unsloth/Qwen3-30B-A3B-GGUF", "Qwen3-30B-A3B", "apache-2.0",
                 {"Q4_K_M": 18_600 * MB, "Q8_0": 32_500 * MB}, 30_532_122_624, "qwen3moe", 40960, 151_020, 1_030, 1),
)


def readme(repo: ShowcaseRepo) -> str:
    name = repo.repo_id.split("/", 1)[1]
    first = next(iter(repo.quants))
    return f"""---
license: {repo.license}
base_model: {repo.repo_id.split("/")[0]}/{repo.stem}
tags:
- gguf
- text-generation
---

# {name}

Quantised GGUF files of **{repo.stem}**, made with llama.cpp's `llama-quantize`.
Pick the largest file that fits your memory; `Q4_K_M` is the usual choice.

![Benchmark chart](assets/benchmark.png)

## Files

| Quant | Use it when |
| --- | --- |
| Q4_K_M | you want a good balance of size and quality |
| Q8_0 | you have memory to spare |

## Prompt format

```text
<|user|>
What is the capital of France?<|end|>
<|assistant|>
```

## Run it

- With **Hearth**: download a quant and open it in Chat.
- With llama.cpp:

```bash
llama-cli -m {repo.stem}-{first}.gguf -p "Hello"
```

See the [original model card](https://huggingface.co/{repo.repo_id}) for training details and the
[license](LICENSE) for what you may do with it.
"""


def _model_file(target: Path) -> Path:
    return write_tiny_gguf(target, quant="Q8_0", license=None)


def _pad(emu_file: EmuFile, size: int) -> None:
    """Grow a published file to ``size`` with a sparse tail, recording a made-up hash (see above)."""
    assert isinstance(emu_file.source, Path)
    with open(emu_file.source, "r+b") as handle:
        handle.truncate(size)
    emu_file.size = size
    emu_file.sha256 = hashlib.sha256(f"sparse {emu_file.path} {size}".encode()).hexdigest()


def publish_showcase(hub: HubEmulator, folder: Path, *, sparse: bool = False,
                     repos: tuple[ShowcaseRepo, ...] = REPOS) -> list[str]:
    """Publish ``repos`` (all of them by default); returns their ids in the order given."""
    now = datetime.now(timezone.utc)
    for repo in repos:
        files: dict[str, bytes | Path | str] = {}
        sizes: dict[str, int] = {}
        for label, size in repo.quants.items():
            name = f"{repo.stem}-{label}.gguf"
            files[name], sizes[name] = _model_file(folder / repo.repo_id / name), size
        if repo.projector:
            name = f"mmproj-{repo.stem}-F16.gguf"
            files[name], sizes[name] = _model_file(folder / repo.repo_id / name), repo.projector
        stamp = (now - timedelta(days=repo.days_ago, hours=2)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        hub.add_repo(repo.repo_id, files, readme=readme(repo), license=repo.license, gated=repo.gated,
                     downloads=repo.downloads, likes=repo.likes, trending_score=repo.likes // repo.days_ago,
                     last_modified=stamp,
                     gguf={"total": repo.parameters, "architecture": repo.architecture,
                           "context_length": repo.context_length},
                     card_data=dict(repo.extra_card))
        if sparse:
            published = hub.repos[repo.repo_id]
            for name, size in sizes.items():
                _pad(published.files[name], size)
    return [repo.repo_id for repo in repos]
