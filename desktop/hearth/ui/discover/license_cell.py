"""The one place Discover turns a repository's license into what its cells show.

Today that is the license class as compact text ("Permissive", "Non-commercial")
with the license's name in the tooltip. Risk and license badges will replace it
here: the results table's License column and the detail header's badge row both
ask this module (and only this module) what to show.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from hearth.core.hub_models import RepoSummary
from hearth.core.licenses import LicenseClass, license_info

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


def license_cell(summary: RepoSummary) -> LicenseCell:
    info = license_info(summary.license, license_name=summary.license_name, license_link=summary.license_link)
    tooltip = f"{info.name}: {info.summary}"
    return LicenseCell(info.license_class.value, info.class_label, info.name, tooltip)
