"""A bounded, read-only parser for the GGUF header (metadata and tensor table).

It never loads tensor data and never trusts a length it has not checked
against the bytes left in the file, so a truncated or hostile file ends in a
:class:`~hearth.core.errors.GGUFError` rather than a hang or a huge allocation.
Large arrays (the tokenizer's vocabulary) are skipped, not decoded: only their
length is kept. Reads go through a sliding window so memory stays bounded.
"""

from __future__ import annotations

import os
import stat
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from hearth.core.errors import GGUFError

MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)
WINDOW = 1 << 20
MAX_STRING = 64 << 20  # chat templates are kilobytes; nothing legitimate nears this
MAX_KEY = 1 << 16
MAX_DIMS = 8
MAX_ARRAY_DEPTH = 4
KEEP_ARRAY_ITEMS = 64  # arrays longer than this are summarised, not decoded

# GGUF value type id -> (struct code, size); 7 is bool, 8 string, 9 array.
_SCALARS: dict[int, tuple[str, int]] = {
    0: ("B", 1), 1: ("b", 1), 2: ("H", 2), 3: ("h", 2), 4: ("I", 4), 5: ("i", 4),
    6: ("f", 4), 7: ("?", 1), 10: ("Q", 8), 11: ("q", 8), 12: ("d", 8),
}
TYPE_STRING = 8
TYPE_ARRAY = 9
TYPE_NAMES = {0: "uint8", 1: "int8", 2: "uint16", 3: "int16", 4: "uint32", 5: "int32",
              6: "float32", 7: "bool", 8: "string", 9: "array", 10: "uint64", 11: "int64",
              12: "float64"}


@dataclass(frozen=True)
class ArraySummary:
    """Stands in for an array too long to be worth decoding (e.g. the vocabulary)."""

    item_type: str
    length: int

    def __str__(self) -> str:
        return f"[{self.length} × {self.item_type}]"


MetaValue = int | float | bool | str | list["MetaValue"] | ArraySummary


@dataclass(frozen=True)
class TensorInfo:
    name: str
    shape: tuple[int, ...]
    ggml_type: int
    offset: int


@dataclass(frozen=True)
class GGUFHeader:
    version: int
    byte_order: str  # "little" or "big"
    metadata: dict[str, MetaValue]
    tensors: list[TensorInfo]
    header_end: int  # first byte after the tensor table, before alignment padding
    file_size: int


class _Window:
    """Sequential reads over a file through a bounded buffer, checked against its size."""

    def __init__(self, handle: BinaryIO, size: int, order: str) -> None:
        self.handle = handle
        self.size = size
        self.pos = 0
        self.buf = b""
        self.buf_start = 0
        self.order = order
        self._u64 = struct.Struct(order + "Q")
        self._u32 = struct.Struct(order + "I")

    def _fill(self, n: int, what: str) -> int:
        """Ensure ``n`` bytes at ``pos`` are buffered; return their offset in ``buf``."""
        if self.pos + n > self.size:
            raise GGUFError(f"file is truncated: {what} at byte {self.pos} runs past the end")
        rel = self.pos - self.buf_start
        if rel < 0 or rel + n > len(self.buf):
            self.handle.seek(self.pos)
            self.buf = self.handle.read(max(n, WINDOW))
            self.buf_start = self.pos
            rel = 0
            if len(self.buf) < n:
                raise GGUFError(f"file is truncated: {what} at byte {self.pos} runs past the end")
        return rel

    def u32(self, what: str) -> int:
        rel = self._fill(4, what)
        self.pos += 4
        return int(self._u32.unpack_from(self.buf, rel)[0])

    def u64(self, what: str) -> int:
        rel = self._fill(8, what)
        self.pos += 8
        return int(self._u64.unpack_from(self.buf, rel)[0])

    def scalar(self, type_id: int, what: str) -> int | float | bool:
        code, size = _SCALARS[type_id]
        rel = self._fill(size, what)
        self.pos += size
        value = struct.unpack_from(self.order + code, self.buf, rel)[0]
        return value  # type: ignore[no-any-return]

    def string(self, what: str, limit: int = MAX_STRING) -> str:
        length = self.u64(what)
        if length > limit or length > self.size - self.pos:
            raise GGUFError(f"{what} claims a length of {length} bytes, more than the file holds")
        rel = self._fill(length, what)
        self.pos += length
        return self.buf[rel : rel + length].decode("utf-8", errors="replace")

    def skip(self, n: int, what: str) -> None:
        if n > self.size - self.pos:
            raise GGUFError(f"file is truncated: {what} at byte {self.pos} runs past the end")
        self.pos += n

    def skip_strings(self, count: int, what: str) -> None:
        """Skip ``count`` strings; a tight loop because vocabularies hold 250k of them."""
        unpack = self._u64.unpack_from
        pos, buf, start = self.pos, self.buf, self.buf_start
        end = start + len(buf)
        for _ in range(count):
            if pos + 8 > end:
                # Also where a bogus length is caught: _fill refuses to read past the file.
                self.pos = pos
                self._fill(8, what)
                buf, start = self.buf, self.buf_start
                end = start + len(buf)
            pos += 8 + unpack(buf, pos - start)[0]
        if pos > self.size:
            raise GGUFError(f"file is truncated or corrupt: {what} runs past the end")
        self.pos = pos


def _label(text: str, limit: int = 80) -> str:
    """A key or tensor name fit for a one-line message: control characters escaped, length capped."""
    shown = text if text.isprintable() else repr(text)[1:-1]
    return shown if len(shown) <= limit else shown[:limit] + "…"


def _value(win: _Window, type_id: int, key: str, depth: int = 0) -> MetaValue:
    """Read one value; ``key`` is the item's :func:`_label`, used only in messages."""
    if type_id in _SCALARS:
        return win.scalar(type_id, f"value of {key}")
    if type_id == TYPE_STRING:
        return win.string(f"value of {key}")
    if type_id != TYPE_ARRAY:
        raise GGUFError(f"metadata '{key}' has unknown value type {type_id}")
    if depth >= MAX_ARRAY_DEPTH:
        raise GGUFError(f"metadata '{key}' nests arrays too deeply")
    item_type = win.u32(f"array type of {key}")
    count = win.u64(f"array length of {key}")
    if item_type in _SCALARS:
        item_size = _SCALARS[item_type][1]
        if count > (win.size - win.pos) // item_size:
            raise GGUFError(f"metadata '{key}' claims {count} items, more than the file holds")
        if count > KEEP_ARRAY_ITEMS:
            win.skip(count * item_size, key)
            return ArraySummary(TYPE_NAMES[item_type], count)
        return [win.scalar(item_type, key) for _ in range(count)]
    if item_type == TYPE_STRING:
        if count > (win.size - win.pos) // 8:
            raise GGUFError(f"metadata '{key}' claims {count} strings, more than the file holds")
        if count > KEEP_ARRAY_ITEMS:
            win.skip_strings(count, key)
            return ArraySummary("string", count)
        return [win.string(key) for _ in range(count)]
    if item_type == TYPE_ARRAY:
        if count > (win.size - win.pos) // 12:
            raise GGUFError(f"metadata '{key}' claims {count} arrays, more than the file holds")
        items = [_value(win, TYPE_ARRAY, key, depth + 1) for _ in range(count)]
        return items if count <= KEEP_ARRAY_ITEMS else ArraySummary("array", count)
    raise GGUFError(f"metadata '{key}' is an array of unknown type {item_type}")


def read_header(path: Path) -> GGUFHeader:
    """Parse the header of the GGUF file at ``path``; raises GGUFError on any problem."""
    try:
        mode: int | None = os.stat(path).st_mode
    except (OSError, ValueError):
        mode = None  # open() below explains it
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        # Opening a named pipe blocks until someone writes to it; a device may never end.
        raise GGUFError(f"{path} is not a regular file")
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, 2)
            handle.seek(0)
            try:
                return _parse(handle, size)
            except GGUFError as exc:
                raise GGUFError(f"{_label(path.name)}: {exc}") from None
    except IsADirectoryError:
        raise GGUFError(f"{path} is a folder, not a GGUF file") from None
    except PermissionError:
        raise GGUFError(f"{path} cannot be read: permission denied") from None
    except FileNotFoundError:
        raise GGUFError(f"{path} does not exist") from None
    except OSError as exc:
        raise GGUFError(f"{path} cannot be read: {exc.strerror or exc}") from None


def _parse(handle: BinaryIO, size: int) -> GGUFHeader:
    if size == 0:
        raise GGUFError("file is empty (0 bytes)")
    head = handle.read(8)
    if len(head) < 4 or head[:4] != MAGIC:
        raise GGUFError("not a GGUF file (it does not start with 'GGUF')")
    if len(head) < 8:
        raise GGUFError("file is truncated: it ends inside the GGUF header")
    order = "<"
    version = struct.unpack_from("<I", head, 4)[0]
    if version not in SUPPORTED_VERSIONS and struct.unpack_from(">I", head, 4)[0] in SUPPORTED_VERSIONS:
        order = ">"
        version = struct.unpack_from(">I", head, 4)[0]
    if version not in SUPPORTED_VERSIONS:
        raise GGUFError(f"GGUF version {version} is not supported (Hearth reads versions 2 and 3)")

    win = _Window(handle, size, order)
    win.pos = 8
    tensor_count = win.u64("tensor count")
    kv_count = win.u64("metadata count")
    # The smallest possible entries: a metadata item is 8+4+1 bytes, a tensor 8+4+4+8.
    if kv_count > (size - win.pos) // 13:
        raise GGUFError(f"header claims {kv_count} metadata items, more than the file could hold")
    if tensor_count > (size - win.pos) // 24:
        raise GGUFError(f"header claims {tensor_count} tensors, more than the file could hold")

    metadata: dict[str, MetaValue] = {}
    for index in range(kv_count):
        key = win.string(f"key of metadata item {index}", limit=MAX_KEY)
        label = _label(key)
        type_id = win.u32(f"type of {label}")
        metadata[key] = _value(win, type_id, label)

    tensors: list[TensorInfo] = []
    for index in range(tensor_count):
        name = win.string(f"name of tensor {index}", limit=MAX_KEY)
        label = _label(name)
        n_dims = win.u32(f"dimensions of {label}")
        if n_dims == 0 or n_dims > MAX_DIMS:
            raise GGUFError(f"tensor '{label}' claims {n_dims} dimensions")
        shape = tuple(win.u64(f"shape of {label}") for _ in range(n_dims))
        ggml_type = win.u32(f"type of {label}")
        offset = win.u64(f"offset of {label}")
        tensors.append(TensorInfo(name, shape, ggml_type, offset))
    return GGUFHeader(version, "big" if order == ">" else "little", metadata, tensors, win.pos, size)
