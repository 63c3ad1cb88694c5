"""Malformed, truncated and hostile GGUF input: a clear GGUFError, quickly, in little memory.

Every case must end in :class:`GGUFError` whose message is one short line; none
may hang, allocate what a header merely claims, or escape as another exception.
Files are built by hand (tests/helpers/raw_gguf.py) or by damaging factory output.
A watchdog ends the whole run with a traceback if any case ever hangs.
"""

from __future__ import annotations

import os
import random
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import gguf
import pytest

from hearth.core import gguf_reader
from hearth.core.errors import GGUFError
from hearth.core.gguf_facts import GGUFFacts, read_facts
from tests.helpers import raw_gguf as raw
from tests.helpers.watchdog import watchdog

TinyGGUF = Callable[..., Path]
WATCHDOG_SECONDS = 60
MAX_PEAK_BYTES = 8 << 20  # the reader's window is 1 MiB; anything near the claims is a bug


@pytest.fixture(autouse=True)
def guard() -> Iterator[None]:
    """Abort the run (with every thread's stack) if one test here takes absurdly long."""
    with watchdog(WATCHDOG_SECONDS):
        yield


def assert_clean_error(path: Path, *fragments: str) -> str:
    """read_facts(path) raises GGUFError: one short line, mentioning every fragment, low memory."""
    tracemalloc.start()
    try:
        with pytest.raises(GGUFError) as info:
            read_facts(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    message = str(info.value)
    assert message and "\n" not in message and "\r" not in message, repr(message)
    assert len(message) <= 300, f"message too long ({len(message)} chars)"
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert peak < MAX_PEAK_BYTES, f"peak memory {peak:,} bytes"
    return message


def tensor_table_offset(path: Path) -> int:
    """Where the factory file's tensor table starts, found with the gguf package's reader."""
    return min(t.field.offset for t in gguf.GGUFReader(path).tensors)


# ---- the file itself ----------------------------------------------------------------------

def test_wrong_magic(tmp_path: Path) -> None:
    path = raw.write(tmp_path / "m.gguf", raw.header(magic=b"GGML") + b"\0" * 64)
    assert_clean_error(path, "not a GGUF file")


def test_empty_file(tmp_path: Path) -> None:
    assert_clean_error(raw.write(tmp_path / "empty.gguf", b""), "empty")


def test_three_byte_file(tmp_path: Path) -> None:
    assert_clean_error(raw.write(tmp_path / "3.gguf", b"GGU"), "not a GGUF file")


def test_only_the_magic(tmp_path: Path) -> None:
    assert_clean_error(raw.write(tmp_path / "magic.gguf", b"GGUF"), "truncated")


def test_magic_and_version_but_no_counts(tmp_path: Path) -> None:
    assert_clean_error(raw.write(tmp_path / "v.gguf", b"GGUF" + raw.u32(3) + b"\1\0"), "truncated")


@pytest.mark.parametrize("version", [0, 1, 4, 99])
def test_unsupported_version(tmp_path: Path, version: int) -> None:
    path = raw.write(tmp_path / f"v{version}.gguf", raw.header(version=version) + b"\0" * 64)
    assert_clean_error(path, f"version {version}", "not supported")


def test_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "folder.gguf"
    folder.mkdir()
    assert_clean_error(folder, "folder")


def test_a_missing_file(tmp_path: Path) -> None:
    assert_clean_error(tmp_path / "nowhere.gguf", "does not exist")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs POSIX permissions that apply (root reads files with mode 000)")
def test_a_file_without_read_permission(tmp_path: Path) -> None:
    path = raw.write(tmp_path / "locked.gguf", raw.minimal_model())
    path.chmod(0)
    try:
        assert_clean_error(path, "permission denied")
    finally:
        path.chmod(0o644)


def test_permission_denied_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same case simulated, so it is checked even where permissions do not bite (root)."""
    path = raw.write(tmp_path / "locked.gguf", raw.minimal_model())

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(gguf_reader, "open", refuse, raising=False)
    assert_clean_error(path, "permission denied")


# ---- the header's counts and lengths ------------------------------------------------------

def test_absurd_metadata_count(tmp_path: Path) -> None:
    path = raw.write(tmp_path / "kv.gguf", raw.header(kv_count=2**63) + b"\0" * 256)
    assert_clean_error(path, "metadata items")


def test_absurd_tensor_count(tmp_path: Path) -> None:
    path = raw.write(tmp_path / "t.gguf", raw.header(tensor_count=2**63) + b"\0" * 256)
    assert_clean_error(path, "tensors")


def test_absurd_key_length(tmp_path: Path) -> None:
    data = raw.header(kv_count=1) + raw.u64(2**62) + b"general.name" + b"\0" * 64
    assert_clean_error(raw.write(tmp_path / "key.gguf", data), "length")


def test_absurd_string_value_length(tmp_path: Path) -> None:
    data = raw.header(kv_count=1) + raw.kv("general.name", raw.STRING, raw.u64(2**62)) + b"\0" * 64
    assert_clean_error(raw.write(tmp_path / "value.gguf", data), "general.name", "length")


def test_string_value_longer_than_the_file(tmp_path: Path) -> None:
    data = raw.header(kv_count=1) + raw.kv("general.name", raw.STRING, raw.u64(1000) + b"abc")
    assert_clean_error(raw.write(tmp_path / "short.gguf", data), "general.name")


@pytest.mark.parametrize("item_type", [raw.UINT8, raw.UINT64, raw.STRING, raw.ARRAY])
def test_absurd_array_length(tmp_path: Path, item_type: int) -> None:
    value = raw.array(item_type, 2**62) + b"\0" * 64
    data = raw.header(kv_count=1) + raw.kv("tokenizer.ggml.tokens", raw.ARRAY, value)
    assert_clean_error(raw.write(tmp_path / "array.gguf", data), "tokenizer.ggml.tokens")


def test_long_string_array_with_an_absurd_item(tmp_path: Path) -> None:
    """A vocabulary-sized array is skipped, not decoded, but its items are still checked."""
    items = raw.string("ok") * 100 + raw.u64(2**62) + b"\0" * 64
    data = raw.header(kv_count=1) + raw.kv("tokenizer.ggml.tokens", raw.ARRAY,
                                           raw.array(raw.STRING, 200, items))
    assert_clean_error(raw.write(tmp_path / "vocab.gguf", data), "tokenizer.ggml.tokens")


@pytest.mark.parametrize("type_id", [13, 255, 2**32 - 1])
def test_unknown_value_type(tmp_path: Path, type_id: int) -> None:
    data = raw.header(kv_count=1) + raw.kv("general.odd", type_id, b"\0" * 16)
    assert_clean_error(raw.write(tmp_path / "type.gguf", data), "unknown value type")


def test_array_of_an_unknown_type(tmp_path: Path) -> None:
    data = raw.header(kv_count=1) + raw.kv("general.odd", raw.ARRAY, raw.array(42, 1) + b"\0" * 16)
    assert_clean_error(raw.write(tmp_path / "atype.gguf", data), "unknown type")


def test_arrays_nested_too_deeply(tmp_path: Path) -> None:
    data = raw.header(kv_count=1) + raw.kv("general.deep", raw.ARRAY, raw.nested_arrays(40)) + b"\0" * 64
    assert_clean_error(raw.write(tmp_path / "deep.gguf", data), "nests arrays too deeply")


def test_arrays_nested_a_little_are_fine(tmp_path: Path) -> None:
    data = raw.model([raw.kv("general.nested", raw.ARRAY, raw.nested_arrays(3))])
    facts = read_facts(raw.write(tmp_path / "nested.gguf", data))
    assert facts.metadata["general.nested"] == [[[]]]


@pytest.mark.parametrize("n_dims", [0, 9, 99])
def test_tensor_with_an_absurd_number_of_dimensions(tmp_path: Path, n_dims: int) -> None:
    table = raw.tensor_info("w", [4] * min(n_dims, 8), n_dims=n_dims)
    data = raw.header(tensor_count=1) + table + b"\0" * 128
    assert_clean_error(raw.write(tmp_path / "dims.gguf", data), "dimensions")


def test_absurd_tensor_name_length(tmp_path: Path) -> None:
    data = raw.header(tensor_count=1) + raw.u64(2**62) + b"\0" * 64
    assert_clean_error(raw.write(tmp_path / "tname.gguf", data), "name of tensor 0")


# ---- truncation -------------------------------------------------------------------------------

def test_truncated_inside_a_hand_built_metadata_value(tmp_path: Path) -> None:
    full = raw.header(kv_count=2) + raw.kv_string("general.architecture", "llama") + raw.kv_u32("llama.x", 7)
    assert_clean_error(raw.write(tmp_path / "kvcut.gguf", full[:-2]), "truncated", "llama.x")


@pytest.mark.parametrize("cut", [40, 200, 2000])
def test_truncated_in_the_metadata_of_a_real_model(tiny_gguf: TinyGGUF, tmp_path: Path, cut: int) -> None:
    data = tiny_gguf().read_bytes()
    assert cut < tensor_table_offset(tiny_gguf())
    assert_clean_error(raw.write(tmp_path / "cut.gguf", data[:cut]))


@pytest.mark.parametrize("into_table", [1, 10, 100])
def test_truncated_in_the_tensor_table(tiny_gguf: TinyGGUF, tmp_path: Path, into_table: int) -> None:
    source = tiny_gguf()
    cut = tensor_table_offset(source) + into_table
    message = assert_clean_error(raw.write(tmp_path / "tablecut.gguf", source.read_bytes()[:cut]))
    assert "truncated" in message or "more than the file holds" in message, message


def test_truncated_tensor_data_is_a_problem_not_an_error(tiny_gguf: TinyGGUF, tmp_path: Path) -> None:
    data = tiny_gguf().read_bytes()
    facts = read_facts(raw.write(tmp_path / "partial.gguf", data[:-1000]))
    assert facts.data_complete is False
    assert facts.data_end == len(data)
    assert any("1,000 bytes are missing" in p for p in facts.problems), facts.problems
    assert facts.architecture == "llama"  # the header was whole, so its facts are still known


def test_header_only_file_is_incomplete(tiny_gguf: TinyGGUF, tmp_path: Path) -> None:
    source = tiny_gguf()
    data_offset = gguf.GGUFReader(source).data_offset
    facts = read_facts(raw.write(tmp_path / "header.gguf", source.read_bytes()[:data_offset]))
    assert facts.data_complete is False and facts.problems


def test_trailing_junk_is_a_problem(tiny_gguf: TinyGGUF, tmp_path: Path) -> None:
    data = tiny_gguf().read_bytes() + b"\xff" * 4096
    facts = read_facts(raw.write(tmp_path / "junk.gguf", data))
    assert facts.data_complete is True
    assert any("4,096 unexpected bytes" in p for p in facts.problems), facts.problems


def test_tensor_of_an_unknown_type_is_a_problem(tmp_path: Path) -> None:
    data = raw.header(tensor_count=1) + raw.tensor_info("w", [4, 4], ggml_type=9999) + b"\0" * 64
    facts = read_facts(raw.write(tmp_path / "unknown-tensor.gguf", data))
    assert facts.parameters == 16
    assert facts.data_end is None
    assert any("type" in p for p in facts.problems)


def test_bad_alignment_is_a_problem(tmp_path: Path) -> None:
    data = raw.model([raw.kv_u32("general.alignment", 24)], [raw.Tensor("w", (8,))])
    facts = read_facts(raw.write(tmp_path / "align.gguf", data))
    assert any("alignment 24" in p for p in facts.problems)


# ---- messages stay one short line whatever the file says -----------------------------------

@pytest.mark.parametrize("key", ["bad\nkey", "x" * 60_000, "carriage\rreturn"])
def test_hostile_key_does_not_leak_into_the_message(tmp_path: Path, key: str) -> None:
    cut = raw.header(kv_count=1) + raw.string(key) + raw.u32(raw.UINT32)  # value missing
    assert_clean_error(raw.write(tmp_path / "hostile.gguf", cut), "truncated", "value of")


def test_hostile_tensor_name_does_not_leak_into_the_message(tmp_path: Path) -> None:
    cut = raw.header(tensor_count=1) + raw.string("evil\nname" + "y" * 5000) + raw.u32(2) + raw.u64(4)
    message = assert_clean_error(raw.write(tmp_path / "tensor.gguf", cut), "truncated", "shape of evil\\nname")
    assert "y" * 100 not in message


# ---- property-style: anything at all after a valid start ------------------------------------

def read_or_explain(path: Path) -> GGUFFacts | None:
    """GGUFError or facts are the only acceptable outcomes."""
    try:
        return read_facts(path)
    except GGUFError as exc:
        assert "\n" not in str(exc) and len(str(exc)) <= 300, repr(str(exc))
        return None


@pytest.mark.parametrize("seed", range(25))
def test_random_bytes_after_magic_and_version(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    body = rng.randbytes(rng.choice([1, 7, 24, 100, 1000, 50_000]))
    if seed % 3 == 0:  # small counts make the parser walk further into the garbage
        body = raw.u64(rng.randrange(4)) + raw.u64(rng.randrange(1, 8)) + body
    read_or_explain(raw.write(tmp_path / f"garbage-{seed}.gguf", b"GGUF" + raw.u32(3) + body))


@pytest.mark.parametrize("seed", range(25))
def test_damaged_header_of_a_real_model(tiny_gguf: TinyGGUF, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    source = tiny_gguf()
    data = bytearray(source.read_bytes())
    end = gguf.GGUFReader(source).data_offset
    for _ in range(rng.randint(1, 12)):
        data[rng.randrange(8, end)] = rng.randrange(256)
    read_or_explain(raw.write(tmp_path / f"damaged-{seed}.gguf", bytes(data)))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_named_pipe_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.gguf"
    os.mkfifo(fifo)
    assert_clean_error(fifo, "not a regular file")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_is_refused() -> None:
    assert_clean_error(Path("/dev/zero"), "not a regular file")
