"""Discover's two table models follow Qt's model rules, filled and emptied again.

The tester stays connected after ``check``, so it also checks every change made afterwards.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from hearth.core.hub_models import HubFile, QuantGroup, RepoSummary
from hearth.core.quants import quant_info
from hearth.ui.discover.quant_model import QuantTableModel
from hearth.ui.discover.results_model import Column, ResultsModel


def test_results_model_follows_qt_rules(qtmodeltester: Any) -> None:
    model = ResultsModel()
    qtmodeltester.check(model, force_py=True)
    added = model.append([RepoSummary("acme/tiny-GGUF", parameters=1_000_000_000, downloads=12, license="mit"),
                          RepoSummary("acme/gated-GGUF", gated=True)])
    assert added == 2
    assert model.append([RepoSummary("acme/tiny-GGUF")]) == 0  # a repository is listed once
    assert model.headerData(Column.DOWNLOADS, Qt.Orientation.Horizontal) == "Downloads"
    right = model.headerData(Column.DOWNLOADS, Qt.Orientation.Horizontal, Qt.ItemDataRole.TextAlignmentRole)
    assert right & Qt.AlignmentFlag.AlignRight
    model.clear()
    assert model.rowCount() == 0


def test_quant_model_follows_qt_rules(qtmodeltester: Any) -> None:
    model = QuantTableModel()
    qtmodeltester.check(model, force_py=True)
    groups = [QuantGroup("Q4_K_M", quant_info("Q4_K_M"), [HubFile("m-Q4_K_M.gguf", 700_000_000, "a" * 64)]),
              QuantGroup("Q8_0", quant_info("Q8_0"), [HubFile("m-Q8_0.gguf", 1_300_000_000, "b" * 64)])]
    model.set_groups(groups, None, {"Q8_0"})
    assert model.rowCount() == 2 and model.is_installed("Q8_0") and not model.is_installed("Q4_K_M")
    assert model.columnCount() == len(model.headers)
