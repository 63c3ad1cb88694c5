"""License ids and spellings -> class and plain-language summary; card vs file conflicts."""

from __future__ import annotations

import json
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from hearth.core.licenses import (
    LicenseClass,
    class_text,
    license_class,
    license_conflict,
    license_info,
    normalize_key,
    normalize_license_id,
)

ROOT = Path(__file__).resolve().parents[2]
TABLE = json.loads(resources.files("hearth").joinpath("resources", "licenses.json").read_text("utf-8"))

P, C, R, N, U = (LicenseClass.PERMISSIVE, LicenseClass.COPYLEFT, LicenseClass.RESTRICTED,
                 LicenseClass.NON_COMMERCIAL, LicenseClass.UNKNOWN)


@pytest.mark.parametrize(("value", "canonical", "cls"), [
    # permissive
    ("apache-2.0", "apache-2.0", P), ("Apache 2.0", "apache-2.0", P), ("Apache License 2.0", "apache-2.0", P),
    ("Apache License, Version 2.0", "apache-2.0", P), ("apache_2.0", "apache-2.0", P), ("APACHE2", "apache-2.0", P),
    ("mit", "mit", P), ("MIT License", "mit", P), ("MIT", "mit", P), ("bsd-3-clause", "bsd-3-clause", P),
    ("BSD 3-Clause License", "bsd-3-clause", P), ("bsd-2-clause", "bsd-2-clause", P), ("isc", "isc", P),
    ("Unlicense", "unlicense", P), ("cc0-1.0", "cc0-1.0", P), ("CC0", "cc0-1.0", P),
    ("cc-by-4.0", "cc-by-4.0", P), ("CC BY 4.0", "cc-by-4.0", P),
    ("Creative Commons Attribution 4.0 International", "cc-by-4.0", P), ("openmdw-1.0", "openmdw-1.0", P),
    # copyleft
    ("gpl-3.0", "gpl-3.0", C), ("GPLv3", "gpl-3.0", C), ("GPL-3.0-or-later", "gpl-3.0", C),
    ("gpl-2.0+", "gpl-2.0", C), ("agpl-3.0", "agpl-3.0", C), ("LGPL-2.1-only", "lgpl-2.1", C),
    ("lgpl-3.0", "lgpl-3.0", C), ("mpl-2.0", "mpl-2.0", C), ("Mozilla Public License 2.0", "mpl-2.0", C),
    ("cc-by-sa-4.0", "cc-by-sa-4.0", C), ("CC BY-SA 4.0", "cc-by-sa-4.0", C),
    ("Creative Commons Attribution Share Alike 4.0", "cc-by-sa-4.0", C),
    # use-restricted
    ("llama2", "llama2", R), ("Llama 2", "llama2", R), ("llama3", "llama3", R), ("llama3.1", "llama3.1", R),
    ("Llama 3.1 Community License Agreement", "llama3.1", R), ("llama-3.2", "llama3.2", R),
    ("LLAMA3.3", "llama3.3", R), ("llama4", "llama4", R), ("Meta Llama 3 Community License", "llama3", R),
    ("gemma", "gemma", R), ("Gemma Terms of Use", "gemma", R), ("openrail", "openrail", R),
    ("openrail++", "openrail++", R), ("bigscience-openrail-m", "bigscience-openrail-m", R),
    ("creativeml-openrail-m", "creativeml-openrail-m", R), ("bigcode-openrail-m", "bigcode-openrail-m", R),
    ("bigscience-bloom-rail-1.0", "bigscience-bloom-rail-1.0", R), ("deepseek", "deepseek", R),
    ("DeepSeek License Agreement", "deepseek", R), ("tongyi-qianwen", "tongyi-qianwen", R),
    ("qwen", "tongyi-qianwen", R), ("cc-by-nd-4.0", "cc-by-nd-4.0", R),
    # non-commercial / research
    ("cc-by-nc-4.0", "cc-by-nc-4.0", N), ("CC BY-NC 4.0", "cc-by-nc-4.0", N),
    ("Creative Commons Attribution Non Commercial 4.0", "cc-by-nc-4.0", N),
    ("cc-by-nc-sa-4.0", "cc-by-nc-sa-4.0", N), ("CC-BY-NC-ND-4.0", "cc-by-nc-nd-4.0", N),
    ("cc-by-nc-3.0", "cc-by-nc-3.0", N),
    ("fair-noncommercial-research-license", "fair-noncommercial-research-license", N),
    ("qwen-research", "qwen-research", N), ("mnpl", "mnpl", N), ("apple-amlr", "apple-amlr", N),
    ("deepfloyd-if-license", "deepfloyd-if-license", N),
    # unknown / custom
    ("other", "other", U), ("unknown", "unknown", U), ("cc", "cc", U),
])
def test_known_spellings(value: str, canonical: str, cls: LicenseClass) -> None:
    info = license_info(value)
    assert (info.id, info.license_class, info.known) == (canonical, cls, True)
    assert info.raw == value
    assert license_class(value) == cls.value
    assert normalize_license_id(value) == canonical


@pytest.mark.parametrize(("value", "cls"), [
    ("cc-by-nc-5.0", N), ("acme-noncommercial", N), ("some-research-only", N), ("cc-by-sa-9.0", C),
    ("cc-by-nd-9.0", R), ("cc-by-9.0", P), ("gpl-9.0", C), ("llama9", R), ("acme-openrail-x", R),
    ("completely-custom", U),
])
def test_unlisted_ids_get_a_class_from_their_shape(value: str, cls: LicenseClass) -> None:
    info = license_info(value)
    assert info.license_class is cls
    assert info.known is False
    assert info.name == value
    assert info.summary == class_text(cls)["summary"]


def test_every_table_id_and_alias_resolves_to_itself() -> None:
    for lid, entry in TABLE["licenses"].items():
        assert normalize_license_id(lid) == lid, lid
        for alias in entry.get("aliases", []):
            assert normalize_license_id(alias) == lid, (alias, lid)
        assert entry["class"] in {c.value for c in LicenseClass}
        assert entry["name"]


def test_every_class_and_license_has_the_four_plain_answers() -> None:
    assert set(TABLE["classes"]) == {c.value for c in LicenseClass}
    for lid in TABLE["licenses"]:
        info = license_info(lid)
        for text in (info.summary, info.commercial_use, info.modification, info.redistribution, info.obligations):
            assert text.strip() and len(text) < 400, lid
        json.dumps(info.to_json())


def test_common_licenses_have_their_own_summary() -> None:
    for lid in ("apache-2.0", "mit", "gpl-3.0", "agpl-3.0", "mpl-2.0", "cc-by-sa-4.0", "llama2", "llama3",
                "llama3.1", "llama3.2", "llama3.3", "llama4", "gemma", "openrail", "bigscience-openrail-m",
                "creativeml-openrail-m", "deepseek", "tongyi-qianwen", "cc-by-nc-4.0",
                "fair-noncommercial-research-license", "cc0-1.0", "cc-by-4.0"):
        assert TABLE["licenses"][lid].get("summary"), lid
    assert "700 million" in license_info("llama3.1").commercial_use
    assert license_info("cc-by-nc-4.0").commercial_use == "Not allowed."


def test_normalize_key_folds_case_spaces_and_words() -> None:
    assert normalize_key("  Apache_License   Version 2.0 ") == "apache-2"
    assert normalize_key("GPL-2.0+") == normalize_key("gpl-2.0-or-later") == "gpl-2"
    assert normalize_key("openrail++") != normalize_key("openrail")


def test_other_with_a_known_license_name_uses_it() -> None:
    info = license_info("other", license_name="llama3", license_link="LICENSE")
    assert (info.id, info.license_class) == ("llama3", R)
    assert license_class("other", license_name="tongyi-qianwen") == "use-restricted"


def test_other_with_a_custom_name_shows_name_and_link() -> None:
    info = license_info("other", license_name="acme-model-license", license_link="https://example.org/L")
    assert info.license_class is U
    assert info.name == "acme-model-license"
    assert info.link == "https://example.org/L"
    assert "acme-model-license" in info.summary


def test_missing_license() -> None:
    values: list[str | list[str] | None] = [None, "", "   ", []]
    for value in values:
        info = license_info(value)
        assert (info.id, info.license_class, info.name) == (None, U, "Not stated")


def test_list_valued_licenses() -> None:
    same = license_info(["apache-2.0", "MIT"])
    assert same.license_class is P and {m.id for m in same.members} == {"apache-2.0", "mit"}
    mixed = license_info(["apache-2.0", "cc-by-nc-4.0"])
    assert mixed.license_class is U and "different kinds" in mixed.summary
    assert license_info(["llama3.1"]).id == "llama3.1"
    assert license_info("apache-2.0, mit").license_class is P  # GGUF arrays arrive comma-joined
    assert license_info("MIT OR Apache-2.0").license_class is P


@pytest.mark.parametrize(("card", "file", "conflict"), [
    ("apache-2.0", "Apache 2.0", False),
    ("llama3.1", "llama3.1", False),
    ("llama3.1", "llama3.2", False),  # the same family: a fine-tune relabelled
    ("gpl-2.0", "gpl-3.0", False),
    ("apache-2.0", "mit", True),  # same class, clearly different licenses
    ("apache-2.0", "cc-by-nc-4.0", True),
    ("llama3", "apache-2.0", True),
    ("gemma", "other", False),  # nothing to compare with
    ("apache-2.0", "acme-custom", False),
])
def test_conflicts(card: str, file: str, conflict: bool) -> None:
    found = license_conflict(license_info(card), license_info(file))
    assert (found is not None) == conflict
    if found:
        assert license_info(card).name in found.evidence and license_info(file).name in found.evidence


def test_card_other_with_name_matching_the_file_is_no_conflict() -> None:
    card = license_info("other", license_name="llama3")
    assert license_conflict(card, license_info("llama3")) is None


def test_data_ships_inside_the_package() -> None:
    """The wheel must carry the JSON files: the package-data pattern has to cover them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["hearth"]
    data_dir = ROOT / "desktop" / "hearth"
    for name in ("resources/licenses.json", "resources/risk.json"):
        assert (data_dir / name).is_file()
        assert any(Path(name).match(p) for p in patterns), (name, patterns)
