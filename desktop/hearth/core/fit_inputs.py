"""What the fit estimate needs to know about a model, taken from whatever object holds it.

:func:`as_candidate` accepts, by duck typing, so that callers need no adapters:

* a :class:`FitCandidate` (returned unchanged, shape defaults filled in);
* a Hub quant group: ``quant`` (QuantInfo|None), ``total_size`` or ``size_bytes``,
  ``label``, ``missing_parts``;
* a library entry: ``facts`` (GGUFFacts), ``size_bytes``, ``path``;
* a bare GGUFFacts (``file_size``, ``quantization`` and the shape fields);
* any object with ``size_bytes`` and optionally the :class:`ModelShape` field names.

A ``defaults`` shape (e.g. the repository's architecture facts from the Hub) fills
fields the object itself does not know.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from hearth.core.gguf_facts import GGUFFacts
from hearth.core.quants import QuantInfo, parse_quant, quant_info


@dataclass(frozen=True)
class ModelShape:
    """Architecture numbers that size the KV cache. Any of them may be unknown (None)."""

    block_count: int | None = None
    context_length: int | None = None
    embedding_length: int | None = None
    head_count: int | None = None
    head_count_kv: int | None = None
    key_length: int | None = None  # per-head K width when it is not embedding_length / head_count
    value_length: int | None = None

    @property
    def kv_width(self) -> int | None:
        """K plus V values per token per layer: ``n_kv_heads * (k_dim + v_dim)``; None if unknown."""
        heads = self.head_count_kv or self.head_count
        head_dim = self.embedding_length // self.head_count if self.embedding_length and self.head_count else None
        k_dim = self.key_length or head_dim
        v_dim = self.value_length or head_dim
        return heads * (k_dim + v_dim) if heads and k_dim and v_dim else None

    def filled_from(self, other: ModelShape | None) -> ModelShape:
        """This shape with its unknown fields taken from ``other``."""
        if other is None:
            return self
        return replace(self, **{f.name: getattr(other, f.name) for f in fields(self)
                                if getattr(self, f.name) is None})


@dataclass(frozen=True)
class FitCandidate:
    """One downloadable or installed model file (or split group) to judge and rank."""

    quant: QuantInfo | None
    size_bytes: int
    shape: ModelShape = field(default_factory=ModelShape)
    label: str = ""
    complete: bool = True  # False for a split group with missing parts: never recommended
    source: Any = field(default=None, compare=False, repr=False)  # the object it was made from


def shape_from_facts(facts: GGUFFacts) -> ModelShape:
    """The shape a GGUF header states, including per-head K/V widths when present."""
    arch = facts.architecture
    meta = facts.metadata

    def meta_int(key: str) -> int | None:
        value = meta.get(f"{arch}.{key}") if arch else None
        return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None

    return ModelShape(
        block_count=facts.block_count, context_length=facts.context_length,
        embedding_length=facts.embedding_length, head_count=facts.head_count,
        head_count_kv=facts.head_count_kv, key_length=meta_int("attention.key_length"),
        value_length=meta_int("attention.value_length"),
    )


def _positive_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def as_candidate(obj: Any, defaults: ModelShape | None = None) -> FitCandidate:
    """A :class:`FitCandidate` for ``obj`` (see the module docstring for what is accepted)."""
    if isinstance(obj, FitCandidate):
        return replace(obj, shape=obj.shape.filled_from(defaults))
    facts = obj if isinstance(obj, GGUFFacts) else getattr(obj, "facts", None)
    facts = facts if isinstance(facts, GGUFFacts) else None
    shape = shape_from_facts(facts) if facts else ModelShape(
        **{f.name: _positive_int(getattr(obj, f.name, None)) for f in fields(ModelShape)})
    quant = getattr(obj, "quant", None)
    if not isinstance(quant, QuantInfo):
        quant = quant_info(facts.quantization) if facts and facts.quantization else None
    path = getattr(obj, "path", None)
    name = Path(str(path)).name if path else ""
    if quant is None and name:
        quant = parse_quant(name)
    size = _positive_int(getattr(obj, "size_bytes", None)) or _positive_int(getattr(obj, "total_size", None))
    if size is None and facts is not None:
        size = facts.file_size
    label = getattr(obj, "label", None) or (quant.label if quant else name)
    return FitCandidate(
        quant=quant, size_bytes=size or 0, shape=shape.filled_from(defaults), label=str(label),
        complete=not getattr(obj, "missing_parts", None), source=obj,
    )
