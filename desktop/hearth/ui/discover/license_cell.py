"""The one place Discover turns a repository's license and risks into what its cells show.

The license class as compact text ("Permissive", "Non-commercial") with the
license's name in the tooltip, and the repository-level badges (license,
provenance, freshness, access) that the License column paints as pills. They
come from the summary alone: no request, no file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from hearth.core.hub_models import RepoSummary
from hearth.core.licenses import LicenseClass, license_info
from hearth.core.risk import Badge, badges_for

log = logging.getLogger(__name__)

#: Filter choices in the order the combo box lists them: (class value or "" for any, label).
LICENSE_CHOICES: tuple[tuple[str, str], ...] = (
    ("", "Any license"),
    (LicenseClass.PERMISSIVE.value, "Permissive"),
    (LicenseClass.COPYLEFT.value, "Copyleft"),
    (LicenseClass.RESTRICTED.value, "Use-restricted"),
    (LicenseClass.NON_COMMERCIAL.value, "Non-commercial"),
    (LicenseClass.UNKNOWN.value, "Unknown"),
)


@dataclass(frozen=True)
class LicenseCell:
    """What a license cell shows: the class (for filtering), its label and a one-paragraph tooltip."""

    license_class: str
    label: str
    name: str
    tooltip: str
    badges: tuple[Badge, ...] = ()


def license_cell(summary: RepoSummary) -> LicenseCell:
    info = license_info(summary.license, license_name=summary.license_name, license_link=summary.license_link)
    tooltip = f"{info.name}: {info.summary}"
    badges = tuple(badges_for(repo=summary, runtime=False))
    return LicenseCell(info.license_class.value, info.class_label, info.name, tooltip, badges)
