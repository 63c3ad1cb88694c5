"""The facts about a GGUF model that Hearth shows and reasons with, read from its header.

:func:`read_facts` turns the raw header from :mod:`hearth.core.gguf_reader`
into a :class:`GGUFFacts`: architecture, names, parameter count, quantisation,
context and embedding sizes, license, chat template, embedding-ness, split
parts, and whether the tensor data the header promises is all in the file.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from gguf.constants import GGML_QUANT_SIZES, GGMLQuantizationType, LlamaFileType

from hearth.core.gguf_reader import ArraySummary, GGUFHeader, MetaValue, read_header

DEFAULT_ALIGNMENT = 32
#: Architectures that only make embeddings (no text generation head).
EMBEDDING_ARCHITECTURES = frozenset({
    "bert", "nomic-bert", "nomic-bert-moe", "jina-bert-v2", "jina-bert-v3", "neo-bert",
    "modern-bert", "t5encoder", "gemma-embedding",
})
#: llama.cpp pooling types that produce one vector per input (mean, cls, last).
_EMBEDDING_POOLING = {1, 2, 3}


@dataclass
class GGUFFacts:
    """What one .gguf file says about itself. Sizes are in bytes, counts are plain ints."""

    path: str
    file_size: int
    gguf_version: int
    architecture: str | None = None
    name: str | None = None
    basename: str | None = None
    size_label: str | None = None
    parameters: int = 0
    quantization: str | None = None
    file_type: int | None = None
    context_length: int | None = None
    embedding_length: int | None = None
    block_count: int | None = None
    head_count: int | None = None
    head_count_kv: int | None = None
    vocab_size: int | None = None
    license: str | None = None
    has_chat_template: bool = False
    is_embedding: bool = False
    pooling_type: int | None = None
    split_count: int = 1
    split_index: int = 0
    tensor_count: int = 0
    data_offset: int = 0
    data_end: int | None = None
    data_complete: bool = True
    problems: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def display_name(self) -> str:
        return self.name or self.basename or Path(self.path).stem

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> GGUFFacts:
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in raw.items() if k in known})


def quant_name_for_file_type(file_type: int) -> str | None:
    """``15`` -> ``"Q4_K_M"``: llama.cpp's file type names without the MOSTLY_ prefix."""
    try:
        name = LlamaFileType(file_type).name
    except ValueError:
        return None
    for prefix in ("MOSTLY_", "ALL_"):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def tensor_type_name(ggml_type: int) -> str | None:
    try:
        return GGMLQuantizationType(ggml_type).name
    except ValueError:
        return None


def tensor_nbytes(shape: tuple[int, ...], ggml_type: int) -> int | None:
    """Bytes a tensor occupies, or None for a type this gguf version does not know."""
    try:
        block_size, type_size = GGML_QUANT_SIZES[GGMLQuantizationType(ggml_type)]
    except (ValueError, KeyError):
        return None
    elements = math.prod(shape)
    return elements // block_size * type_size


def _int(meta: dict[str, MetaValue], key: str) -> int | None:
    value = meta.get(key)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, list) and value and all(isinstance(v, int) for v in value):
        # Some architectures store per-layer values; the largest is the useful summary.
        return max(value)  # type: ignore[type-var]
    return None


def _str(meta: dict[str, MetaValue], key: str) -> str | None:
    value = meta.get(key)
    return (value.strip() or None) if isinstance(value, str) else None


def _shown_metadata(meta: dict[str, MetaValue]) -> dict[str, Any]:
    """Metadata fit for a details panel: long strings shortened, big arrays summarised."""
    shown: dict[str, Any] = {}
    for key, value in meta.items():
        if isinstance(value, ArraySummary):
            shown[key] = str(value)
        elif isinstance(value, str) and len(value) > 200:
            shown[key] = f"{value[:200]}… ({len(value)} characters)"
        elif isinstance(value, list):
            shown[key] = [str(v) if isinstance(v, ArraySummary) else v for v in value]
        else:
            shown[key] = value
    return shown


def facts_from_header(path: Path, header: GGUFHeader) -> GGUFFacts:
    meta = header.metadata
    arch = _str(meta, "general.architecture")
    facts = GGUFFacts(path=str(path), file_size=header.file_size, gguf_version=header.version)
    facts.architecture = arch
    facts.name = _str(meta, "general.name")
    facts.basename = _str(meta, "general.basename")
    facts.size_label = _str(meta, "general.size_label")
    facts.license = _license(meta)
    facts.has_chat_template = bool(_str(meta, "tokenizer.chat_template"))
    facts.split_count = _int(meta, "split.count") or 1
    facts.split_index = _int(meta, "split.no") or 0
    facts.tensor_count = len(header.tensors)
    facts.metadata = _shown_metadata(meta)
    tokens = meta.get("tokenizer.ggml.tokens")
    facts.vocab_size = tokens.length if isinstance(tokens, ArraySummary) else (
        len(tokens) if isinstance(tokens, list) else None)
    if arch:
        facts.context_length = _int(meta, f"{arch}.context_length")
        facts.embedding_length = _int(meta, f"{arch}.embedding_length")
        facts.block_count = _int(meta, f"{arch}.block_count")
        facts.head_count = _int(meta, f"{arch}.attention.head_count")
        facts.head_count_kv = _int(meta, f"{arch}.attention.head_count_kv") or facts.head_count
        facts.pooling_type = _int(meta, f"{arch}.pooling_type")
    facts.is_embedding = arch in EMBEDDING_ARCHITECTURES or facts.pooling_type in _EMBEDDING_POOLING
    facts.file_type = _int(meta, "general.file_type")
    _tensor_facts(facts, header)
    return facts


def _license(meta: dict[str, MetaValue]) -> str | None:
    value = meta.get("general.license")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or None
    return _str(meta, "general.license")


def _tensor_facts(facts: GGUFFacts, header: GGUFHeader) -> None:
    alignment = _int(header.metadata, "general.alignment") or DEFAULT_ALIGNMENT
    if alignment <= 0 or alignment & (alignment - 1):
        facts.problems.append(f"alignment {alignment} is not a power of two")
        alignment = DEFAULT_ALIGNMENT
    facts.data_offset = -(-header.header_end // alignment) * alignment
    end = 0
    known = True
    weight_types: Counter[int] = Counter()
    for tensor in header.tensors:
        facts.parameters += math.prod(tensor.shape)
        nbytes = tensor_nbytes(tensor.shape, tensor.ggml_type)
        if nbytes is None:
            known = False
            continue
        end = max(end, tensor.offset + nbytes)
        if len(tensor.shape) >= 2:
            weight_types[tensor.ggml_type] += math.prod(tensor.shape)
    if facts.quantization is None and facts.file_type is not None:
        facts.quantization = quant_name_for_file_type(facts.file_type)
    if facts.quantization is None and weight_types:
        # No (known) general.file_type: name it after the type holding most weights.
        facts.quantization = tensor_type_name(weight_types.most_common(1)[0][0])
    if not known:
        facts.problems.append("some tensors use a type this version of Hearth does not know")
        facts.data_end = None
        return
    facts.data_end = facts.data_offset + end
    if facts.data_end > facts.file_size:
        facts.data_complete = False
        missing = facts.data_end - facts.file_size
        facts.problems.append(
            f"tensor data is incomplete: {missing:,} bytes are missing (a truncated download?)"
        )
    elif facts.file_size - facts.data_end >= alignment:
        facts.problems.append(
            f"{facts.file_size - facts.data_end:,} unexpected bytes follow the tensor data"
        )


def read_facts(path: str | Path) -> GGUFFacts:
    """Read the facts of one .gguf file. Raises GGUFError with a one-line message."""
    path = Path(path)
    return facts_from_header(path, read_header(path))
