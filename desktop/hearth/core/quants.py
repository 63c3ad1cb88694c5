"""Quantisation names in GGUF file names, their bits per weight, and split-part patterns.

``parse_quant("Llama-3.2-1B-Instruct-UD-Q4_K_XL.gguf")`` -> QuantInfo("Q4_K_XL", 4.9, dynamic=True).
Bits per weight are llama.cpp's nominal figures for each type; _S/_M/_L/_XL mixes
keep some tensors at higher precision, so they sit a little above their base type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SPLIT_RE = re.compile(r"^(?P<stem>.+)-(?P<no>\d{5})-of-(?P<count>\d{5})\.gguf$", re.IGNORECASE)

#: Nominal bits per weight of every quant name Hearth recognises (llama.cpp's quantize table).
BITS_PER_WEIGHT: dict[str, float] = {
    "F32": 32.0, "F16": 16.0, "BF16": 16.0,
    "Q8_0": 8.5, "Q8_K_XL": 9.0, "Q6_K": 6.56, "Q6_K_L": 6.8, "Q6_K_XL": 7.0,
    "Q5_K_M": 5.69, "Q5_K_S": 5.54, "Q5_K_L": 5.9, "Q5_K_XL": 6.0, "Q5_0": 5.5, "Q5_1": 6.0,
    "Q4_K_M": 4.89, "Q4_K_S": 4.58, "Q4_K_L": 5.1, "Q4_K_XL": 5.0, "Q4_0": 4.5, "Q4_1": 5.0,
    "IQ4_NL": 4.5, "IQ4_XS": 4.25, "MXFP4": 4.25, "MXFP4_MOE": 4.25,
    "Q3_K_L": 4.27, "Q3_K_M": 3.91, "Q3_K_S": 3.5, "Q3_K_XL": 4.1,
    "IQ3_M": 3.66, "IQ3_S": 3.44, "IQ3_XS": 3.3, "IQ3_XXS": 3.06,
    "Q2_K": 3.0, "Q2_K_S": 2.96, "Q2_K_L": 3.2, "Q2_K_XL": 3.3,
    "IQ2_M": 2.7, "IQ2_S": 2.5, "IQ2_XS": 2.31, "IQ2_XXS": 2.06,
    "IQ1_M": 1.75, "IQ1_S": 1.56, "TQ1_0": 1.69, "TQ2_0": 2.06,
}
# Longest names first so "Q4_K_M" wins over "Q4_K" and "IQ3_XXS" over "IQ3_XS".
_QUANT_RE = re.compile(
    r"(?<![A-Za-z0-9])(?P<ud>UD-)?(?P<name>"
    + "|".join(sorted((re.escape(n) for n in BITS_PER_WEIGHT), key=len, reverse=True))
    + r")(?![A-Za-z0-9])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class QuantInfo:
    """One quantisation type: its canonical name, nominal size, and whether it is a dynamic mix."""

    name: str
    bits_per_weight: float
    dynamic: bool = False  # Unsloth "UD-" dynamic quants keep sensitive layers at higher precision

    @property
    def label(self) -> str:
        return f"UD-{self.name}" if self.dynamic else self.name


def quant_info(name: str) -> QuantInfo | None:
    """Info for a bare quant name such as ``"q4_k_m"``; None if unknown."""
    canonical = name.upper().removeprefix("UD-")
    bpw = BITS_PER_WEIGHT.get(canonical)
    return QuantInfo(canonical, bpw, name.upper().startswith("UD-")) if bpw is not None else None


def parse_quant(filename: str) -> QuantInfo | None:
    """The quant named in a file name (the last match wins: names often start with a model size)."""
    base = filename.rsplit("/", 1)[-1]
    split = parse_split_name(base)
    if split:
        base = split.stem
    matches = list(_QUANT_RE.finditer(base))
    if not matches:
        return None
    match = matches[-1]
    info = quant_info(match["name"])
    if info is None:
        return None
    return QuantInfo(info.name, info.bits_per_weight, dynamic=bool(match["ud"]))


def is_projector(filename: str) -> bool:
    """Vision projectors (mmproj) ship beside the model but are not models themselves."""
    return "mmproj" in filename.rsplit("/", 1)[-1].lower()


@dataclass(frozen=True)
class SplitName:
    stem: str
    number: int  # 1-based, as in the file name
    count: int

    def part_name(self, number: int) -> str:
        return f"{self.stem}-{number:05d}-of-{self.count:05d}.gguf"


def parse_split_name(filename: str) -> SplitName | None:
    """``model-00002-of-00003.gguf`` -> SplitName('model', 2, 3); None for a single file."""
    match = _SPLIT_RE.match(filename)
    if not match:
        return None
    number, count = int(match["no"]), int(match["count"])
    if count < 1 or not 1 <= number <= count:
        return None
    return SplitName(match["stem"], number, count)
