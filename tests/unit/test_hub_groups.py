"""Grouping a repository's files into downloadable quant units (no network)."""

from __future__ import annotations

import pytest

from hearth.core.hub_convert import group_quants, projectors
from hearth.core.hub_models import HubFile, QuantGroup


def files(*specs: str | tuple[str, int]) -> list[HubFile]:
    out = []
    for spec in specs:
        path, size = spec if isinstance(spec, tuple) else (spec, 100)
        out.append(HubFile(path, size, "0" * 64))
    return out


def labels(groups: list[QuantGroup]) -> list[str]:
    return [g.label for g in groups]


@pytest.mark.parametrize(("name", "label", "bits", "dynamic"), [
    ("Llama-3.2-1B-Instruct-Q4_K_M.gguf", "Q4_K_M", 4.89, False),
    ("Qwen3-8B-UD-Q4_K_XL.gguf", "UD-Q4_K_XL", 5.0, True),
    ("gemma-3-27b-it-IQ2_XXS.gguf", "IQ2_XXS", 2.06, False),
    ("model.IQ4_NL.gguf", "IQ4_NL", 4.5, False),
    ("phi-4-bf16.gguf", "BF16", 16.0, False),
    ("gpt-oss-20b-MXFP4.gguf", "MXFP4", 4.25, False),
])
def test_single_files_are_one_group_each(name: str, label: str, bits: float, dynamic: bool) -> None:
    (group,) = group_quants(files(name))
    assert group.label == label and group.bits_per_weight == pytest.approx(bits)
    assert group.quant is not None and group.quant.dynamic is dynamic
    assert not group.is_split and group.complete


def test_split_parts_group_together_also_in_quant_folders() -> None:
    groups = group_quants(files(
        ("Q4_K_M/Big-Q4_K_M-00002-of-00002.gguf", 40), ("Q4_K_M/Big-Q4_K_M-00001-of-00002.gguf", 60),
        ("UD-Q2_K_XL/model-00001-of-00003.gguf", 10), ("UD-Q2_K_XL/model-00002-of-00003.gguf", 10),
        ("UD-Q2_K_XL/model-00003-of-00003.gguf", 5), ("Big-Q8_0.gguf", 300),
    ))
    assert labels(groups) == ["UD-Q2_K_XL", "Q4_K_M", "Q8_0"]
    q2, q4, _q8 = groups
    assert [f.path.rsplit("/", 1)[1] for f in q4.files] == ["Big-Q4_K_M-00001-of-00002.gguf",
                                                            "Big-Q4_K_M-00002-of-00002.gguf"]
    assert q4.total_size == 100 and q4.is_split
    assert q2.quant is not None and q2.quant.dynamic and len(q2.files) == 3  # quant read from the folder


def test_missing_split_parts_are_reported() -> None:
    (group,) = group_quants(files("m-Q4_0-00001-of-00003.gguf", "m-Q4_0-00003-of-00003.gguf"))
    assert group.missing_parts == [2] and not group.complete and group.is_split


def test_projectors_and_other_files_are_not_models() -> None:
    listing = files("mmproj-model-f16.gguf", "model-Q8_0.gguf", "README.md", "config.json", "model.safetensors",
                    "imatrix.dat")
    assert labels(group_quants(listing)) == ["Q8_0"]
    assert [p.path for p in projectors(listing)] == ["mmproj-model-f16.gguf"]


def test_same_quant_twice_gets_distinct_labels() -> None:
    groups = group_quants(files("gemma-it-Q4_K_M.gguf", "gemma-base-Q4_K_M.gguf"))
    assert sorted(labels(groups)) == ["gemma-base-Q4_K_M", "gemma-it-Q4_K_M"]


def test_unknown_quant_uses_file_stem_and_measured_bits() -> None:
    (group,) = group_quants(files(("custom-model.gguf", 1_000_000)), parameters=2_000_000)
    assert group.label == "custom-model" and group.quant is None
    assert group.bits_per_weight == pytest.approx(4.0)


def test_group_json_round_trip() -> None:
    (group,) = group_quants(files("x-UD-IQ3_XXS.gguf"))
    again = QuantGroup.from_json(group.to_json())
    assert again == group
