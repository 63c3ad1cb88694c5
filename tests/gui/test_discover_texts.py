"""The pure parts of Discover: model-card clean-up, link resolution, and license cells."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl

from hearth.core.hub_models import RepoSummary
from hearth.ui.discover.license_cell import license_cell
from hearth.ui.discover.links import resolve
from hearth.ui.discover.readme_view import card_markdown


@pytest.mark.parametrize(("readme", "expected"), [
    ("---\nlicense: mit\ntags:\n- gguf\n---\n# Title\n", "# Title"),
    ("\ufeff---\r\nlicense: mit\r\n---\r\nText", "Text"),
    ("# No front matter\n---\nA rule is not front matter", "# No front matter\n---\nA rule is not front matter"),
    ("![Logo](img/logo.png)", "[Image: Logo](img/logo.png)"),
    ('<p><img src="a.png" alt="Chart" width=300></p>', '<p><a href="a.png">Image: Chart</a></p>'),
    (None, ""),
])
def test_card_markdown_drops_front_matter_and_never_loads_images(readme: str | None, expected: str) -> None:
    assert card_markdown(readme) == expected


def test_relative_links_resolve_against_the_repo_and_only_web_links_pass() -> None:
    repo = "https://hub.example/acme/tiny-GGUF"
    assert resolve(QUrl("LICENSE"), repo).toString() == f"{repo}/blob/main/LICENSE"
    assert resolve(QUrl("https://x.org/a"), repo).toString() == "https://x.org/a"
    assert resolve(QUrl("mailto:a@b.c"), repo) is not None
    assert resolve(QUrl("file:///etc/passwd"), repo) is None
    assert resolve(QUrl("javascript:alert(1)"), repo) is None


@pytest.mark.parametrize(("license_id", "name", "cls", "label"), [
    ("apache-2.0", None, "permissive", "Permissive"),
    ("cc-by-nc-4.0", None, "non-commercial", "Non-commercial"),
    ("llama3.2", None, "use-restricted", "Use-restricted"),
    (None, None, "unknown", "Unknown"),
])
def test_license_cells_show_the_class(license_id: str | None, name: str | None, cls: str, label: str) -> None:
    cell = license_cell(RepoSummary("acme/x", license=license_id, license_name=name))
    assert (cell.license_class, cell.label) == (cls, label)
    assert cell.tooltip.startswith(cell.name)

