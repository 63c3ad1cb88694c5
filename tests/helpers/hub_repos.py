"""The repositories a Hub emulator serves: files (bytes or a file on disk), commit, card, gates.

Kept apart from the HTTP code so tests read as data: ``hub.add_repo("acme/tiny-GGUF",
{"tiny-Q8_0.gguf": path}, license="mit", gated="auto")``.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

_counter = itertools.count(1)


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def sha256_of(source: bytes | Path) -> str:
    if isinstance(source, bytes):
        return hashlib.sha256(source).hexdigest()
    digest = hashlib.sha256()
    with source.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class EmuFile:
    """One file. LFS files are served through the CDN; the Hub records their sha256."""

    path: str
    source: bytes | Path
    lfs: bool = True
    sha256: str = ""  # what the Hub *records*; tamper() makes it differ from the bytes
    size: int = 0

    def __post_init__(self) -> None:
        self.size = len(self.source) if isinstance(self.source, bytes) else self.source.stat().st_size
        self.sha256 = self.sha256 or sha256_of(self.source)

    @property
    def blob_id(self) -> str:
        data = self.source if isinstance(self.source, bytes) else b""
        return git_blob_id(data) if not self.lfs else hashlib.sha1(self.sha256.encode()).hexdigest()

    def read(self, start: int, end: int) -> bytes:
        """Bytes [start, end) (small files; big ones are sent with sendfile)."""
        if isinstance(self.source, bytes):
            return self.source[start:end]
        with self.source.open("rb") as handle:
            handle.seek(start)
            return handle.read(end - start)


@dataclass
class EmuRepo:
    repo_id: str
    files: dict[str, EmuFile]
    sha: str = field(default_factory=lambda: hashlib.sha1(str(next(_counter)).encode()).hexdigest())
    gated: str | bool = False  # False, "auto" or "manual"
    granted_tokens: set[str] = field(default_factory=set)
    card_data: dict[str, Any] = field(default_factory=dict)
    gguf: dict[str, Any] | None = None
    tags: list[str] = field(default_factory=list)
    downloads: int = 0
    likes: int = 0
    trending_score: int = 0
    last_modified: str = ""
    created_at: str = "2025-01-01T00:00:00.000Z"
    pipeline_tag: str | None = "text-generation"

    @property
    def author(self) -> str:
        return self.repo_id.split("/", 1)[0]

    def all_tags(self) -> list[str]:
        tags = list(self.tags)
        if any(p.endswith(".gguf") for p in self.files) and "gguf" not in tags:
            tags.insert(0, "gguf")
        if lic := self.card_data.get("license"):
            tags.append(f"license:{lic}")
        return tags

    def tamper(self, path: str) -> None:
        """Make the recorded sha256 disagree with the bytes served (a corrupted upload or CDN)."""
        self.files[path].sha256 = hashlib.sha256(b"not these bytes " + path.encode()).hexdigest()

    def siblings(self, blobs: bool) -> list[dict[str, Any]]:
        out = []
        for f in self.files.values():
            item: dict[str, Any] = {"rfilename": f.path}
            if blobs:
                item.update(size=f.size, blobId=f.blob_id)
                if f.lfs:
                    item["lfs"] = {"size": f.size, "sha256": f.sha256, "pointerSize": 134}
            out.append(item)
        return out

    def full_info(self, blobs: bool) -> dict[str, Any]:
        """What GET /api/models/{repo} answers."""
        info: dict[str, Any] = {
            "_id": self.sha[:24], "id": self.repo_id, "modelId": self.repo_id, "author": self.author,
            "sha": self.sha, "lastModified": self.last_modified, "createdAt": self.created_at,
            "private": False, "disabled": False, "gated": self.gated, "downloads": self.downloads,
            "likes": self.likes, "trendingScore": self.trending_score, "library_name": "gguf",
            "tags": self.all_tags(), "pipeline_tag": self.pipeline_tag, "cardData": self.card_data,
            "siblings": self.siblings(blobs), "spaces": [], "usedStorage": sum(f.size for f in self.files.values()),
        }
        if self.gguf is not None:
            info["gguf"] = self.gguf
        if base := self.card_data.get("base_model"):
            info["baseModels"] = {"relation": "quantized", "models": [{"id": base}]}
        return info


def default_last_modified(index: int) -> str:
    stamp = datetime(2025, 6, 1, tzinfo=timezone.utc) - timedelta(days=index)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def gguf_summary(files: dict[str, EmuFile]) -> dict[str, Any] | None:
    """The Hub's 'gguf' block, read from the first model file that is on disk (like the Hub does)."""
    from hearth.core.gguf_facts import read_facts
    from hearth.core.gguf_reader import read_header

    for f in files.values():
        if f.path.endswith(".gguf") and "mmproj" not in f.path and isinstance(f.source, Path):
            try:
                facts = read_facts(f.source)
            except Exception:
                continue
            summary: dict[str, Any] = {"total": facts.parameters, "architecture": facts.architecture,
                                       "context_length": facts.context_length}
            template = read_header(f.source).metadata.get("tokenizer.chat_template")
            if isinstance(template, str):
                summary["chat_template"] = template
            return summary
    return None
