"""How a model is loaded: per-model choices remembered on disk, and the concrete values they resolve to.

:class:`LoadSettings` is what the user chose (``None`` means "automatic");
:func:`resolve_load_settings` turns it into :class:`ResolvedLoadSettings`, the
numbers the engine process is started with. The automatic context length is
the file's own (from its GGUF facts), capped so that the model plus its
KV cache (estimated as :mod:`hearth.core.fit` does) fit in the memory available now. Automatic GPU layers are decided
inside the engine process, because asking llama.cpp whether it can offload
means importing it, which the GUI process never does.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil

from hearth.core.errors import SettingsError
from hearth.core.fileio import atomic_write_json, move_aside
from hearth.core.fit import KV_BYTES, RAM_RESERVE, estimate_memory
from hearth.core.fit_inputs import shape_from_facts
from hearth.core.gguf_facts import GGUFFacts
from hearth.core.model_entry import ModelEntry
from hearth.core.paths import Paths
from hearth.core.units import human_bytes

log = logging.getLogger(__name__)

#: Used when a file does not say how long its context is.
FALLBACK_CONTEXT = 4096
#: The automatic context never exceeds this: a 128K window on a laptop mostly wastes memory.
#: Users who want more set it per model.
DEFAULT_CONTEXT_CAP = 16384
MIN_CONTEXT = 512
#: Chat format for files without a template whose family is not in _FAMILY_FORMATS
#: (llama-cpp-python itself would fall back to "llama-2").
FALLBACK_CHAT_FORMAT = "chatml"
#: Architecture -> llama-cpp-python chat format, for files that lack a template.
_FAMILY_FORMATS = {
    "gemma": "gemma", "gemma2": "gemma", "gemma3": "gemma", "gemma3n": "gemma",
    "qwen": "qwen", "qwen2": "chatml", "qwen2moe": "chatml", "qwen3": "chatml", "qwen3moe": "chatml",
    "chatglm": "chatglm3", "baichuan": "baichuan-2",
}
_CONTEXT_STEP = 256


@dataclass
class LoadSettings:
    """One model's load choices. ``None`` fields are decided automatically at each load."""

    context_length: int | None = None
    #: None = automatic (all layers when llama.cpp was built with GPU support, else 0); -1 = all.
    gpu_layers: int | None = None
    threads: int | None = None
    batch_size: int = 512
    flash_attention: bool = False
    use_mmap: bool = True
    use_mlock: bool = False
    #: A llama-cpp-python chat format name ("chatml", "llama-3", ...); None = the file's own template.
    chat_format: str | None = None

    def validate(self) -> None:
        """Raise ValueError naming the first bad value."""
        if self.context_length is not None and self.context_length < 1:
            raise ValueError("context length must be positive")
        if self.gpu_layers is not None and self.gpu_layers < -1:
            raise ValueError("GPU layers must be -1 (all), 0 or more")
        if self.threads is not None and self.threads < 1:
            raise ValueError("threads must be at least 1")
        if self.batch_size < 1:
            raise ValueError("batch size must be at least 1")
        if self.chat_format is not None and not self.chat_format.strip():
            raise ValueError("chat format must not be empty")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> LoadSettings:
        """Build from JSON, keeping defaults for missing or mistyped values."""
        values: dict[str, Any] = {}
        for name, kind in _FIELD_TYPES.items():
            value = raw.get(name)
            if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
                values[name] = value
        settings = cls(**values)
        try:
            settings.validate()
        except ValueError as exc:
            log.warning("load settings: %s; using defaults", exc)
            return cls()
        return settings


_FIELD_TYPES: dict[str, type] = {
    "context_length": int, "gpu_layers": int, "threads": int, "batch_size": int,
    "flash_attention": bool, "use_mmap": bool, "use_mlock": bool, "chat_format": str,
}


@dataclass(frozen=True)
class ResolvedLoadSettings:
    """The concrete values an engine process starts with."""

    n_ctx: int
    n_gpu_layers: int | None  # None: the engine decides (all layers if it can offload, else 0)
    n_threads: int
    n_batch: int
    flash_attn: bool
    use_mmap: bool
    use_mlock: bool
    chat_format: str | None
    embedding: bool = False
    #: Sentences explaining automatic choices ("context capped to 8K to fit memory").
    notes: tuple[str, ...] = field(default_factory=tuple)


def physical_cores() -> int:
    return psutil.cpu_count(logical=False) or os.cpu_count() or 1


def kv_cache_bytes(facts: GGUFFacts, n_ctx: int) -> int | None:
    """F16 KV cache size: 2 (K and V) * layers * n_ctx * kv heads * head dim * 2 bytes (None if unknown)."""
    shape = shape_from_facts(facts)
    if not (shape.block_count and shape.kv_width):
        return None
    return shape.block_count * n_ctx * shape.kv_width * KV_BYTES


def context_for_memory(facts: GGUFFacts, wanted: int, model_bytes: int, available: int) -> int:
    """The largest context up to ``wanted`` whose KV cache fits beside the model in ``available``."""
    per_token = kv_cache_bytes(facts, 1)
    if not per_token:
        return wanted
    fixed = estimate_memory(model_bytes, shape_from_facts(facts), context=1)
    budget = available - RAM_RESERVE - fixed.weights - fixed.overhead
    fits = budget // per_token if budget > 0 else 0
    if fits >= wanted:
        return wanted
    return max(min(MIN_CONTEXT, wanted), fits // _CONTEXT_STEP * _CONTEXT_STEP)


def fallback_chat_format(facts: GGUFFacts) -> str:
    """A chat format for a file without a template, chosen by its model family."""
    arch = facts.architecture or ""
    if arch == "llama" and facts.metadata.get("tokenizer.ggml.pre") == "llama-bpe":
        return "llama-3"
    return _FAMILY_FORMATS.get(arch, FALLBACK_CHAT_FORMAT)


def resolve_load_settings(
    entry: ModelEntry, chosen: LoadSettings | None = None, *, embedding: bool = False,
    available_memory: int | None = None,
) -> ResolvedLoadSettings:
    """Concrete settings for ``entry``; ``available_memory`` defaults to what psutil reports now."""
    chosen = chosen or LoadSettings()
    chosen.validate()
    facts = entry.facts
    notes: list[str] = []
    n_ctx = chosen.context_length
    if n_ctx is None:
        trained = (facts.context_length if facts else None) or FALLBACK_CONTEXT
        n_ctx = min(trained, DEFAULT_CONTEXT_CAP)
        if n_ctx < trained:
            notes.append(f"context set to {n_ctx:,} of the model's {trained:,} tokens (change it in load settings)")
        if facts is not None:
            available = psutil.virtual_memory().available if available_memory is None else available_memory
            fitted = context_for_memory(facts, n_ctx, entry.size_bytes, available)
            if fitted < n_ctx:
                notes.append(f"context reduced to {fitted:,} tokens to fit {human_bytes(available)} of free memory")
                n_ctx = fitted
    chat_format = chosen.chat_format
    if chat_format is None and not embedding and facts is not None and not facts.has_chat_template:
        chat_format = fallback_chat_format(facts)
        notes.append(f"the file has no chat template; using the {chat_format} format")
    return ResolvedLoadSettings(
        n_ctx=n_ctx, n_gpu_layers=chosen.gpu_layers, n_threads=chosen.threads or physical_cores(),
        n_batch=chosen.batch_size, flash_attn=chosen.flash_attention, use_mmap=chosen.use_mmap,
        use_mlock=chosen.use_mlock, chat_format=chat_format, embedding=embedding, notes=tuple(notes),
    )


class LoadSettingsStore:
    """Per-model :class:`LoadSettings` in one JSON file, keyed by library model id. Thread-safe."""

    VERSION = 1
    FILE_NAME = "load_settings.json"

    @classmethod
    def open(cls, paths: Paths) -> LoadSettingsStore:
        return cls(paths.data / cls.FILE_NAME)

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._models: dict[str, dict[str, Any]] = self._read()

    def get(self, model_id: str) -> LoadSettings:
        with self._lock:
            raw = self._models.get(model_id)
        return LoadSettings.from_dict(raw) if raw else LoadSettings()

    def set(self, model_id: str, settings: LoadSettings) -> None:
        settings.validate()
        with self._lock:
            self._models[model_id] = settings.to_dict()
            self._save()

    def reset(self, model_id: str) -> None:
        with self._lock:
            if self._models.pop(model_id, None) is not None:
                self._save()

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            models = raw["models"]
            if not isinstance(models, dict):
                raise ValueError("models is not an object")
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            kept = move_aside(self.path) if self.path.exists() else None
            log.warning("load settings file unreadable (%s); kept as %s, using defaults", exc, kept)
            return {}
        return {str(k): v for k, v in models.items() if isinstance(v, dict)}

    def _save(self) -> None:
        try:
            atomic_write_json(self.path, {"version": self.VERSION, "models": self._models})
        except OSError as exc:
            raise SettingsError(f"Could not save load settings to {self.path}: {exc.strerror or exc}") from exc
