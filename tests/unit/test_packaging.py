"""The parts of the installer recipes every OS shares: version, spec, desktop entry, metainfo."""

from __future__ import annotations

import ast
import configparser
import importlib.util
import xml.etree.ElementTree as ET
from pathlib import Path

import hearth

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def _load(name: str):  # noqa: ANN202
    spec = importlib.util.spec_from_file_location(f"packaging_{name}", PACKAGING / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    import sys

    sys.path.insert(0, str(PACKAGING))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(PACKAGING))
    return module


def test_build_reads_the_package_version() -> None:
    assert _load("build").version() == hearth.__version__


def test_spec_is_valid_python_that_bundles_engine_and_resources() -> None:
    text = (PACKAGING / "hearth.spec").read_text(encoding="utf-8")
    ast.parse(text)
    for needed in ('collect_submodules("llama_cpp")', 'collect_data_files("hearth")', "hearth_entry.py",
                   'name="Hearth"'):
        assert needed in text


def test_desktop_entry_launches_hearth_with_its_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(ROOT / "resources" / "linux" / "hearth.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Exec"].split()[0] == "hearth" and section["Icon"] == "hearth"
    assert section["Type"] == "Application" and section["Name"] == "Hearth"


def test_metainfo_is_well_formed_and_matches_the_version() -> None:
    tree = ET.parse(ROOT / "resources" / "linux" / "io.github.hearth_desktop.Hearth.metainfo.xml")
    root = tree.getroot()
    assert root.findtext("launchable") == "hearth.desktop"
    assert [r.get("version") for r in root.iter("release")][0] == hearth.__version__


def test_windows_recipe_names_the_bundle_and_an_uninstaller() -> None:
    text = (PACKAGING / "windows" / "hearth.iss").read_text(encoding="utf-8")
    assert "PrivilegesRequired=lowest" in text and "{uninstallexe}" in text
    assert r"build\dist\Hearth\*" in text
