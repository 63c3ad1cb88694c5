"""read_facts() on well-formed files: every fact Hearth shows must match what was written.

Expected values come from the factory's own arguments and shapes, and a few are
cross-checked with ``gguf.GGUFReader`` as an independent oracle.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import gguf
import numpy as np
import pytest

from hearth.core.gguf_facts import GGUFFacts, quant_name_for_file_type, read_facts
from tests.helpers import raw_gguf as raw
from tests.helpers.expected import VOCAB, expected_parameters

TinyGGUF = Callable[..., Path]


def test_facts_of_default_factory_model(tiny_gguf: TinyGGUF) -> None:
    path = tiny_gguf("model.gguf")
    facts = read_facts(path)
    assert facts.path == str(path)
    assert facts.file_size == path.stat().st_size
    assert facts.gguf_version == 3
    assert facts.architecture == "llama"
    assert facts.name == "Tiny Llama"
    assert facts.basename == "tiny-llama"
    assert facts.size_label == "tiny"
    assert facts.display_name == "Tiny Llama"
    assert facts.parameters == expected_parameters()
    assert facts.quantization == "F16"
    assert facts.file_type == int(gguf.LlamaFileType.MOSTLY_F16)
    assert facts.context_length == 512
    assert facts.embedding_length == 64
    assert facts.block_count == 2
    assert facts.head_count == 4
    assert facts.head_count_kv == 2
    assert facts.vocab_size == VOCAB
    assert facts.license == "apache-2.0"
    assert facts.has_chat_template is True
    assert facts.is_embedding is False
    assert facts.pooling_type is None
    assert (facts.split_count, facts.split_index) == (1, 0)
    assert facts.tensor_count == 3 + 2 * 9
    assert facts.data_complete is True
    assert facts.problems == []


@pytest.mark.parametrize("quant", ["F32", "F16", "Q8_0"])
def test_quantization_name_and_data_extent(tiny_gguf: TinyGGUF, quant: str) -> None:
    path = tiny_gguf(quant=quant)
    facts = read_facts(path)
    assert facts.quantization == quant
    assert facts.parameters == expected_parameters()  # quantising changes bytes, not elements
    assert facts.data_complete and facts.problems == []
    # The tensor data ends within one alignment step of the end of the file.
    assert facts.data_end is not None and 0 <= facts.file_size - facts.data_end < 32


def test_sizes_follow_the_options(tiny_gguf: TinyGGUF) -> None:
    dims = dict(n_embd=128, n_layer=3, n_head=8, n_head_kv=4, n_ff=256)
    facts = read_facts(tiny_gguf(context_length=4096, **dims))
    assert facts.context_length == 4096
    assert facts.embedding_length == 128
    assert facts.block_count == 3
    assert (facts.head_count, facts.head_count_kv) == (8, 4)
    assert facts.parameters == expected_parameters(**dims)


def test_matches_the_gguf_package_reader(tiny_gguf: TinyGGUF) -> None:
    path = tiny_gguf(quant="Q8_0", context_length=1024)
    facts = read_facts(path)
    oracle = gguf.GGUFReader(path)
    assert facts.architecture == oracle.fields["general.architecture"].contents()
    assert facts.context_length == oracle.fields["llama.context_length"].contents()
    assert facts.embedding_length == oracle.fields["llama.embedding_length"].contents()
    assert facts.tensor_count == len(oracle.tensors)
    assert facts.parameters == sum(int(t.n_elements) for t in oracle.tensors)
    assert facts.data_offset == oracle.data_offset
    last = max(oracle.tensors, key=lambda t: t.data_offset)
    assert facts.data_end == last.data_offset + int(last.n_bytes)
    assert facts.vocab_size == len(oracle.fields["tokenizer.ggml.tokens"].data)


def test_name_and_license_options(tiny_gguf: TinyGGUF) -> None:
    facts = read_facts(tiny_gguf(name="Hearth Test 7B", license="llama3.1"))
    assert facts.name == "Hearth Test 7B"
    assert facts.basename == "hearth-test-7b"
    assert facts.license == "llama3.1"


def test_missing_license_is_none(tiny_gguf: TinyGGUF) -> None:
    assert read_facts(tiny_gguf(license=None)).license is None


def test_license_given_as_a_list_is_joined(tmp_path: Path) -> None:
    licenses = raw.array(raw.STRING, 2, raw.string("mit") + raw.string("apache-2.0"))
    data = raw.model([raw.kv("general.license", raw.ARRAY, licenses)])
    facts = read_facts(raw.write(tmp_path / "lic.gguf", data))
    assert facts.license == "mit, apache-2.0"


def test_chat_template_absent(tiny_gguf: TinyGGUF) -> None:
    assert read_facts(tiny_gguf(chat_template=None)).has_chat_template is False


def test_blank_chat_template_counts_as_absent(tiny_gguf: TinyGGUF) -> None:
    assert read_facts(tiny_gguf(chat_template="   ")).has_chat_template is False


@pytest.mark.parametrize(("pooling", "embedding"), [(0, False), (1, True), (2, True), (3, True)])
def test_embedding_detected_by_pooling_type(tiny_gguf: TinyGGUF, pooling: int, embedding: bool) -> None:
    facts = read_facts(tiny_gguf(extra={"llama.pooling_type": pooling}))
    assert facts.pooling_type == pooling
    assert facts.is_embedding is embedding


@pytest.mark.parametrize("arch", ["bert", "nomic-bert"])
def test_embedding_detected_by_architecture(tiny_gguf: TinyGGUF, arch: str) -> None:
    facts = read_facts(tiny_gguf(arch=arch))
    assert facts.architecture == arch
    assert facts.is_embedding is True
    assert facts.context_length == 512  # read under the architecture's own prefix


def test_split_parts_know_their_place(split_gguf: Callable[..., list[Path]]) -> None:
    parts = split_gguf("model", parts=3)
    facts = [read_facts(p) for p in parts]
    assert [f.split_count for f in facts] == [3, 3, 3]
    assert [f.split_index for f in facts] == [0, 1, 2]
    assert facts[0].architecture == "llama" and facts[0].license == "mit"
    assert all(f.data_complete for f in facts)
    assert sum(f.parameters for f in facts) == expected_parameters()
    assert sum(f.tensor_count for f in facts) == 3 + 2 * 9


def test_long_values_are_summarised_in_shown_metadata(tiny_gguf: TinyGGUF) -> None:
    facts = read_facts(tiny_gguf(chat_template="x" * 500))
    assert facts.has_chat_template
    template = facts.metadata["tokenizer.chat_template"]
    assert template.startswith("x" * 200) and template.endswith("(500 characters)")
    assert facts.metadata["tokenizer.ggml.tokens"] == f"[{VOCAB} × string]"
    assert facts.metadata["general.architecture"] == "llama"


def test_facts_survive_a_dict_round_trip(tiny_gguf: TinyGGUF) -> None:
    facts = read_facts(tiny_gguf())
    again = GGUFFacts.from_dict(facts.to_dict() | {"a_field_from_the_future": 1})
    assert again == facts


def test_version_2_file_is_read(tmp_path: Path) -> None:
    facts = read_facts(raw.write(tmp_path / "v2.gguf", raw.model(
        [raw.kv_string("general.architecture", "llama")], [raw.Tensor("w", (4, 4))], version=2)))
    assert facts.gguf_version == 2
    assert facts.architecture == "llama"
    assert facts.parameters == 16
    assert facts.data_complete and facts.problems == []


def test_quantization_falls_back_to_the_dominant_tensor_type(tmp_path: Path) -> None:
    data = raw.model([], [raw.Tensor("norm", (64,)), raw.Tensor("w", (16, 16), raw.GGML_F16)])
    facts = read_facts(raw.write(tmp_path / "nofiletype.gguf", data))
    assert facts.file_type is None
    assert facts.quantization == "F16"  # 1-D norms do not decide it
    assert facts.architecture is None and facts.context_length is None


def test_big_endian_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "be.gguf"
    writer = gguf.GGUFWriter(str(path), "llama", endianess=gguf.GGUFEndian.BIG)
    writer.add_context_length(2048)
    writer.add_license("mit")
    writer.add_tensor("w", np.zeros((8, 4), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    facts = read_facts(path)
    assert facts.context_length == 2048
    assert facts.license == "mit"
    assert facts.parameters == 32
    assert facts.data_complete


@pytest.mark.parametrize(("file_type", "name"), [(0, "F32"), (1, "F16"), (7, "Q8_0"), (15, "Q4_K_M"),
                                                 (9999, None)])
def test_quant_names_for_file_types(file_type: int, name: str | None) -> None:
    assert quant_name_for_file_type(file_type) == name
