"""Quant names and split-part patterns read from GGUF file names."""

from __future__ import annotations

import pytest

from hearth.core.quants import BITS_PER_WEIGHT, SplitName, is_projector, parse_quant, parse_split_name, quant_info


@pytest.mark.parametrize(("filename", "name", "dynamic"), [
    ("Llama-3.2-1B-Instruct-Q4_K_M.gguf", "Q4_K_M", False),
    ("model-q4_k_m.gguf", "Q4_K_M", False),
    ("tinyllama-1.1b-chat-v1.0.Q8_0.gguf", "Q8_0", False),
    ("gemma-3-270m-it-F16.gguf", "F16", False),
    ("model-bf16.gguf", "BF16", False),
    ("x-IQ3_XXS.gguf", "IQ3_XXS", False),  # the longer name wins over IQ3_XS
    ("x-IQ3_XS.gguf", "IQ3_XS", False),
    ("gpt-oss-20b-MXFP4_MOE.gguf", "MXFP4_MOE", False),
    ("my_model_Q5_K_S.gguf", "Q5_K_S", False),
    ("Llama-3.2-1B-Instruct-UD-Q4_K_XL.gguf", "Q4_K_XL", True),
    ("x-ud-iq1_s.gguf", "IQ1_S", True),
    ("Qwen2.5-7B-Instruct-Q4_K_M-00001-of-00002.gguf", "Q4_K_M", False),
    ("publisher/repo/x-Q6_K.gguf", "Q6_K", False),
])
def test_parse_quant(filename: str, name: str, dynamic: bool) -> None:
    info = parse_quant(filename)
    assert info is not None
    assert (info.name, info.dynamic) == (name, dynamic)
    assert info.bits_per_weight == BITS_PER_WEIGHT[name]
    assert info.label == (f"UD-{name}" if dynamic else name)


@pytest.mark.parametrize("filename", ["plain.gguf", "x-Q4_K.gguf", "xQ4_K_M.gguf", "model-Q4_K_Mx.gguf"])
def test_parse_quant_without_a_known_name(filename: str) -> None:
    assert parse_quant(filename) is None


def test_quant_info() -> None:
    assert quant_info("q4_k_m") == parse_quant("m-Q4_K_M.gguf")
    info = quant_info("ud-q4_k_xl")
    assert info is not None and info.dynamic and info.name == "Q4_K_XL"
    assert quant_info("Q9_Z") is None


def test_bits_per_weight_are_ordered_sensibly() -> None:
    assert BITS_PER_WEIGHT["F32"] > BITS_PER_WEIGHT["F16"] > BITS_PER_WEIGHT["Q8_0"] > BITS_PER_WEIGHT["Q6_K"]
    assert BITS_PER_WEIGHT["Q6_K"] > BITS_PER_WEIGHT["Q5_K_M"] > BITS_PER_WEIGHT["Q4_K_M"] > BITS_PER_WEIGHT["Q3_K_M"]
    assert BITS_PER_WEIGHT["Q4_K_M"] > BITS_PER_WEIGHT["Q4_K_S"]


def test_projectors() -> None:
    assert is_projector("mmproj-model-f16.gguf")
    assert is_projector("repo/MMPROJ-F16.gguf")
    assert not is_projector("model-Q4_K_M.gguf")


@pytest.mark.parametrize(("filename", "expected"), [
    ("model-00002-of-00003.gguf", SplitName("model", 2, 3)),
    ("Big-Model-Q4_K_M-00001-of-00010.gguf", SplitName("Big-Model-Q4_K_M", 1, 10)),
    ("A-00002-OF-00003.GGUF", SplitName("A", 2, 3)),
    ("single-00001-of-00001.gguf", SplitName("single", 1, 1)),
    ("model.gguf", None),
    ("model-00000-of-00003.gguf", None),  # parts count from 1
    ("model-00004-of-00003.gguf", None),
    ("model-0001-of-0003.gguf", None),    # llama.cpp always writes five digits
    ("model-00001-of-00003.gguf.part", None),
])
def test_parse_split_name(filename: str, expected: SplitName | None) -> None:
    assert parse_split_name(filename) == expected


def test_part_names() -> None:
    split = SplitName("model", 1, 3)
    assert [split.part_name(n) for n in (1, 2, 3)] == [
        "model-00001-of-00003.gguf", "model-00002-of-00003.gguf", "model-00003-of-00003.gguf"]
    assert parse_split_name(split.part_name(2)) == SplitName("model", 2, 3)
