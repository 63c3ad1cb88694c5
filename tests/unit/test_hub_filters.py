"""Discover's own filters over Hub results: fit by the Q4_K_M file, size bands, license class, architecture."""

from __future__ import annotations

from hearth.core.hub_filters import SIZE_CHOICES, ResultFilters, summary_fits
from hearth.core.hub_models import RepoSummary
from tests.helpers.fake_hardware import LAPTOP_8GB

SMALL = RepoSummary("a/small", parameters=1_000_000_000, architecture="llama")
BIG = RepoSummary("a/big", parameters=70_000_000_000, architecture="qwen2")
UNKNOWN = RepoSummary("a/unknown")


def test_fits_here_judges_the_q4_k_m_file_of_the_model() -> None:
    assert summary_fits(SMALL, LAPTOP_8GB) is True
    assert summary_fits(BIG, LAPTOP_8GB) is False
    assert summary_fits(UNKNOWN, LAPTOP_8GB) is None


def test_fits_filter_hides_unknown_sizes_and_waits_for_the_hardware_probe() -> None:
    fits = ResultFilters(fits_here=True)
    assert fits.accepts(SMALL, "permissive", LAPTOP_8GB)
    assert not fits.accepts(BIG, "permissive", LAPTOP_8GB)
    assert not fits.accepts(UNKNOWN, "permissive", LAPTOP_8GB)
    assert fits.accepts(BIG, "permissive", None)  # no profile yet: nothing is hidden


def test_size_band_license_and_architecture() -> None:
    label, low, high = SIZE_CHOICES[2]
    assert label == "1B – 4B"
    band = ResultFilters(min_parameters=low, max_parameters=high)
    assert band.accepts(SMALL, "", None) and not band.accepts(BIG, "", None) and not band.accepts(UNKNOWN, "", None)
    assert not ResultFilters(license_class="permissive").accepts(SMALL, "non-commercial", None)
    assert ResultFilters(architecture="LLAMA").accepts(SMALL, "", None)
    assert not ResultFilters(architecture="llama").accepts(BIG, "", None)
