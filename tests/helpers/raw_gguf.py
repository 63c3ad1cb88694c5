"""Builds GGUF bytes by hand with ``struct``, so tests can write files no real writer would.

The ``gguf`` package refuses to write malformed files; the malformed-input tests
need exactly those (absurd counts and lengths, unknown types, truncations).
Every helper returns ``bytes`` in GGUF's little-endian layout::

    header:  b"GGUF" | version u32 | tensor count u64 | metadata count u64
    kv:      key (u64 length + utf-8) | value type u32 | value
    tensor:  name | n_dims u32 | dims u64 * n_dims | ggml type u32 | data offset u64
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

MAGIC = b"GGUF"

# GGUF value type ids.
UINT8, INT8, UINT16, INT16, UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY, UINT64, INT64, FLOAT64 = range(13)
GGML_F32 = 0
GGML_F16 = 1


def u32(value: int) -> bytes:
    return struct.pack("<I", value)


def u64(value: int) -> bytes:
    return struct.pack("<Q", value)


def string(text: str | bytes) -> bytes:
    """A GGUF string: u64 byte length, then the bytes."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return u64(len(raw)) + raw


def header(tensor_count: int = 0, kv_count: int = 0, version: int = 3, magic: bytes = MAGIC) -> bytes:
    return magic + u32(version) + u64(tensor_count) + u64(kv_count)


def kv(key: str | bytes, type_id: int, payload: bytes) -> bytes:
    """One metadata item; ``payload`` is the already-encoded value."""
    return string(key) + u32(type_id) + payload


def kv_string(key: str, value: str) -> bytes:
    return kv(key, STRING, string(value))


def kv_u32(key: str, value: int) -> bytes:
    return kv(key, UINT32, u32(value))


def array(item_type: int, count: int, items: bytes = b"") -> bytes:
    """An array value (without the leading ARRAY type id): item type, count, items."""
    return u32(item_type) + u64(count) + items


def nested_arrays(depth: int) -> bytes:
    """An array value holding an array holding ... ``depth`` levels, the innermost empty."""
    value = array(UINT8, 0)
    for _ in range(depth - 1):
        value = array(ARRAY, 1, value)
    return value


def tensor_info(name: str, shape: Sequence[int], ggml_type: int = GGML_F32, offset: int = 0,
                n_dims: int | None = None) -> bytes:
    """One tensor-table entry; ``n_dims`` overrides the dimension count written."""
    dims = len(shape) if n_dims is None else n_dims
    return string(name) + u32(dims) + b"".join(u64(d) for d in shape) + u32(ggml_type) + u64(offset)


@dataclass
class Tensor:
    name: str
    shape: tuple[int, ...]
    ggml_type: int = GGML_F32

    @property
    def nbytes(self) -> int:
        elements = 1
        for d in self.shape:
            elements *= d
        return elements * (4 if self.ggml_type == GGML_F32 else 2)


def model(kvs: Iterable[bytes] = (), tensors: Sequence[Tensor] = (), *, version: int = 3,
          alignment: int = 32, with_data: bool = True) -> bytes:
    """A whole, well-formed GGUF file: header, metadata, tensor table, padding, zeroed data."""
    kvs = list(kvs)
    table = b""
    offset = 0
    for tensor in tensors:
        table += tensor_info(tensor.name, tensor.shape, tensor.ggml_type, offset)
        offset += -(-tensor.nbytes // alignment) * alignment
    head = header(len(tensors), len(kvs), version) + b"".join(kvs) + table
    padding = -len(head) % alignment
    data = b"\0" * offset if with_data else b""
    return head + b"\0" * padding + data


def minimal_model() -> bytes:
    """A valid file with an architecture and one small F32 tensor."""
    return model(
        [kv_string("general.architecture", "llama"), kv_u32("llama.context_length", 256)],
        [Tensor("output_norm.weight", (8,))],
    )


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
