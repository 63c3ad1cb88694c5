"""The library table model and its proxy: Qt model rules, numeric sorting, filtering, markers."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from hearth.core.model_entry import ModelEntry, ModelSource
from hearth.ui.library.table_model import (
    ENTRY_ROLE,
    SORT_ROLE,
    Column,
    LibraryFilterProxy,
    LibraryTableModel,
    status_icon_name,
)
from tests.gui.conftest import fake_entry


@pytest.fixture
def entries(qapp: Any) -> list[ModelEntry]:
    return [
        fake_entry("Alpha Nine", parameters=9_000_000, size=9_500_000, context=8192, license="apache-2.0"),
        fake_entry("Bravo Ten", parameters=10_000_000, size=10_200_000, context=131072, quant="F16"),
        fake_entry("Charlie Big", parameters=200_000_000, size=2_000_000_000, context=512, license="gemma",
                   problems=["12 unexpected bytes follow the tensor data"]),
        fake_entry("Delta Broken", broken=True, size=100),
        fake_entry("Echo Hub", parameters=1_500_000_000, size=3_100_000_000, folder="/other",
                   source=ModelSource(kind="hub", repo_id="acme/echo-GGUF", revision="abc123def456")),
    ]


@pytest.fixture
def proxy(entries: list[ModelEntry]) -> LibraryFilterProxy:
    model = LibraryTableModel()
    model.set_entries(entries)
    proxy = LibraryFilterProxy()
    proxy.setSourceModel(model)
    return proxy


def column_text(proxy: LibraryFilterProxy, column: Column) -> list[str]:
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def names(proxy: LibraryFilterProxy) -> list[str]:
    return column_text(proxy, Column.NAME)


def test_model_follows_qt_rules_with_broken_entries(qtmodeltester: Any, entries: list[ModelEntry]) -> None:
    model = LibraryTableModel()
    model.set_entries(entries)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 5 and model.columnCount() == len(Column)
    broken = model.index(3, Column.ARCHITECTURE)
    assert broken.data() == "—"
    assert model.index(3, Column.NAME).data(ENTRY_ROLE).usable is False


def test_proxy_follows_qt_rules_while_filtered(qtmodeltester: Any, proxy: LibraryFilterProxy) -> None:
    proxy.set_filter_text("llama")
    qtmodeltester.check(proxy, force_py=True)
    assert proxy.rowCount() == 4  # the broken file has no architecture


def test_display_text_is_for_people(proxy: LibraryFilterProxy) -> None:
    proxy.sort(Column.NAME, Qt.SortOrder.AscendingOrder)
    row = names(proxy).index("Bravo Ten")
    assert proxy.index(row, Column.PARAMETERS).data() == "10M"
    assert proxy.index(row, Column.SIZE).data() == "10.20 MB"
    assert proxy.index(row, Column.CONTEXT).data() == "128K"
    assert proxy.index(row, Column.QUANTIZATION).data() == "F16"
    hub = names(proxy).index("Echo Hub")
    assert proxy.index(hub, Column.SOURCE).data() == "acme/echo-GGUF"
    assert proxy.index(hub, Column.PARAMETERS).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight


def test_sorting_by_parameters_is_numeric(proxy: LibraryFilterProxy) -> None:
    proxy.sort(Column.PARAMETERS, Qt.SortOrder.AscendingOrder)
    # As text "10M" < "1.5B" < "200M" < "9.0M"; as numbers the order is by size of the model.
    assert column_text(proxy, Column.PARAMETERS) == ["—", "9.0M", "10M", "200M", "1.5B"]
    proxy.sort(Column.PARAMETERS, Qt.SortOrder.DescendingOrder)
    assert names(proxy)[0] == "Echo Hub"
    assert proxy.index(0, Column.PARAMETERS).data(SORT_ROLE) == 1_500_000_000


def test_sorting_by_size_is_numeric(proxy: LibraryFilterProxy) -> None:
    proxy.sort(Column.SIZE, Qt.SortOrder.AscendingOrder)
    assert names(proxy) == ["delta-broken", "Alpha Nine", "Bravo Ten", "Charlie Big", "Echo Hub"]
    assert column_text(proxy, Column.SIZE)[1:3] == ["9.50 MB", "10.20 MB"]


def test_sorting_by_context_is_numeric(proxy: LibraryFilterProxy) -> None:
    proxy.sort(Column.CONTEXT, Qt.SortOrder.DescendingOrder)
    assert column_text(proxy, Column.CONTEXT)[:3] == ["128K", "8K", "4K"]


@pytest.mark.parametrize(("text", "expected"), [
    ("bravo", ["Bravo Ten"]),
    ("GEMMA", ["Charlie Big"]),  # license, any case
    ("f16", ["Bravo Ten"]),  # quantization
    ("/other", ["Echo Hub"]),  # path
    ("apache nine", ["Alpha Nine"]),  # every word must match
    ("acme/echo", ["Echo Hub"]),  # Hub repository
    ("no-such-model", []),
])
def test_filter_matches_name_arch_quant_license_and_path(proxy: LibraryFilterProxy, text: str,
                                                         expected: list[str]) -> None:
    proxy.set_filter_text(text)
    assert sorted(names(proxy)) == expected
    proxy.set_filter_text("")
    assert proxy.rowCount() == 5


def test_problem_rows_are_marked(entries: list[ModelEntry]) -> None:
    model = LibraryTableModel()
    model.set_entries(entries)
    markers = {entry.name: status_icon_name(entry)[0] for entry in entries}
    assert markers["Alpha Nine"] == "model"
    assert markers["Charlie Big"] == "warning"
    assert markers["delta-broken"] == "error"
    tooltip = model.index(2, Column.NAME).data(Qt.ItemDataRole.ToolTipRole)
    assert "unexpected bytes" in tooltip
    broken_tip = model.index(3, Column.NAME).data(Qt.ItemDataRole.ToolTipRole)
    assert "cannot load" in broken_tip and "not a GGUF file" in broken_tip
    assert not model.index(3, Column.NAME).data(Qt.ItemDataRole.DecorationRole).isNull()


def test_set_entries_replaces_rows_and_finds_ids(entries: list[ModelEntry]) -> None:
    model = LibraryTableModel()
    model.set_entries(entries)
    assert model.row_of(entries[2].id) == 2
    model.set_entries(entries[:1])
    assert model.rowCount() == 1
    assert model.row_of(entries[2].id) == -1
