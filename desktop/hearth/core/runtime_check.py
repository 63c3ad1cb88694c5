"""Is the installed llama.cpp runtime old enough to have known holes?

Versions are read from package metadata (:mod:`importlib.metadata`), never by
importing llama_cpp. The advisories (id, package, first fixed version, summary,
link) live in ``hearth/resources/risk.json``; Jinja2 is listed too because
llama-cpp-python's chat-template sandbox is Jinja2's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata

from hearth.core.badges import Badge, Level
from hearth.core.data_files import load_json

RUNTIME_PACKAGES = ("llama-cpp-python", "jinja2")


@dataclass(frozen=True)
class Advisory:
    id: str
    package: str
    fixed_in: str
    summary: str
    link: str


def advisories() -> list[Advisory]:
    return [Advisory(**raw) for raw in load_json("risk.json")["advisories"]]


def installed_version(distribution: str) -> str | None:
    """The installed version of a distribution, or None when it is not installed."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def version_tuple(version: str) -> tuple[int, ...]:
    """``"0.2.72"`` -> ``(0, 2, 72)``; pre-release and local tails are ignored (``"0.3.0rc1"`` -> (0, 3, 0))."""
    match = re.match(r"\d+(?:\.\d+)*", version.strip().lstrip("vV"))
    return tuple(int(p) for p in match.group().split(".")) if match else ()


def is_older(version: str, fixed_in: str) -> bool:
    have, need = version_tuple(version), version_tuple(fixed_in)
    width = max(len(have), len(need))
    return have + (0,) * (width - len(have)) < need + (0,) * (width - len(need))


def affecting(versions: Mapping[str, str | None]) -> list[Advisory]:
    """Advisories that apply to the given installed versions (packages that are absent are skipped)."""
    found = []
    for adv in advisories():
        version = versions.get(adv.package)
        if version and is_older(version, adv.fixed_in):
            found.append(adv)
    return found


def runtime_badge(versions: Mapping[str, str | None] | None = None) -> Badge:
    """The ``runtime`` badge; ``versions`` (package -> version) overrides what is installed."""
    versions = dict(versions) if versions is not None else {p: installed_version(p) for p in RUNTIME_PACKAGES}
    llama = versions.get("llama-cpp-python")
    if not llama:
        return Badge("runtime", Level.UNKNOWN, "llama.cpp not installed",
                     "llama-cpp-python is not installed, so Hearth cannot run models on this computer.", "runtime")
    found = affecting(versions)
    if found:
        fixes: dict[str, str] = {}
        for adv in found:
            current = fixes.get(adv.package)
            if current is None or is_older(current, adv.fixed_in):
                fixes[adv.package] = adv.fixed_in
        details = "; ".join(f"{a.id}: {a.summary}" for a in found)
        update = " and ".join(f"{pkg} {ver} or later" for pkg, ver in fixes.items())
        have = ", ".join(f"{pkg} {versions[pkg]}" for pkg in fixes)
        return Badge("runtime", Level.DANGER, "Outdated runtime",
                     f"{have} predates fixes for known vulnerabilities ({details}); update to {update}.",
                     "runtime")
    jinja = versions.get("jinja2")
    with_jinja = f" and Jinja2 {jinja}" if jinja else ""
    return Badge("runtime", Level.OK, f"llama-cpp-python {llama}",
                 f"No advisory on Hearth's list affects llama-cpp-python {llama}{with_jinja}.", "runtime")
