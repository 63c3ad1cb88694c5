"""Human-readable sizes, parameter counts and context lengths, as the list and info views show them."""

from __future__ import annotations

import pytest

from hearth.core.units import human_bytes, human_context, human_count


@pytest.mark.parametrize(("n", "text"), [
    (None, "—"), (0, "0 B"), (999, "999 B"), (1000, "1.00 KB"), (1_234_567_890, "1.23 GB"),
    (292_000_000, "292.00 MB"), (5 * 10**15, "5000.00 TB"),
])
def test_human_bytes(n: int | None, text: str) -> None:
    assert human_bytes(n) == text


@pytest.mark.parametrize(("n", "text"), [
    (None, "—"), (0, "—"), (7, "7"), (999, "999"), (1000, "1.0K"), (9_960, "10K"), (268_098_176, "268M"),
    (1_500_000_000, "1.5B"), (7_241_732_096, "7.2B"), (70_553_706_496, "71B"),
    (999_500, "1.0M"), (999_885_952, "1.0B"),  # never "1000K" or "1000M"
    (2 * 10**15, "2000T"),
])
def test_human_count(n: int | None, text: str) -> None:
    assert human_count(n) == text


@pytest.mark.parametrize(("n", "text"), [
    (None, "—"), (0, "—"), (512, "512"), (2048, "2K"), (32_768, "32K"), (131_072, "128K"),
    (100_000, "100,000"), (1000, "1,000"),
])
def test_human_context(n: int | None, text: str) -> None:
    assert human_context(n) == text
