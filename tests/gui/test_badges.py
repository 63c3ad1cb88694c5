"""Badges in the GUI: the pill delegate and row, and the Library's Checks column on real tiny GGUF files."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QHelpEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLabel, QStyleOptionViewItem, QTableView, QToolTip

import hearth.ui.badges.compute as compute
from hearth.core.badges import Badge, Level
from hearth.core.model_entry import model_id
from hearth.core.services import Services
from hearth.ui.badges import BADGES_ROLE, BadgeDelegate, BadgeRow
from hearth.ui.badges.loader import BadgeLoader
from hearth.ui.badges.pill import layout_pills
from hearth.ui.badges.texts import summary_text, worst_first
from hearth.ui.library.columns import HEADER_TAG, column_menu
from hearth.ui.library.table_model import ENTRY_ROLE, SORT_ROLE, Column, LibraryTableModel
from hearth.ui.main_window import MainWindow
from tests.gui.conftest import WAIT_MS, fake_entry
from tests.helpers.badge_models import stock_badge_library

#: Qt's offscreen platform says this whenever a tooltip window is shown.
TOOLTIP_NOISE = r"This plugin does not support raise\(\)"
BADGES = [
    Badge("license", Level.OK, "Permissive: apache-2.0", "The file's header says apache-2.0.", "gguf"),
    Badge("template", Level.DANGER, "Suspicious template", "The chat template reaches into Python internals.",
          "gguf"),
    Badge("integrity", Level.UNKNOWN, "No reference hash", "Imported: there is no published hash.", "library"),
    Badge("provenance", Level.CAUTION, "Community upload", "Uploaded by someone unknown.", "hub"),
    Badge("format", Level.OK, "Intact", "The header is consistent.", "gguf"),
    Badge("fit", Level.OK, "Runs on the CPU", "Needs about 100 MB of 8 GB free RAM.", "hardware"),
]


def by_key(badges: list[Badge] | None) -> dict[str, Badge]:
    assert badges is not None
    return {b.key: b for b in badges}


# ---- pills, delegate and row -------------------------------------------------------------
def test_worst_first_orders_by_level_then_by_check() -> None:
    assert [b.key for b in worst_first(BADGES)] == ["template", "provenance", "integrity", "license", "format",
                                                     "fit"]
    assert summary_text(BADGES).startswith("Danger: Suspicious template; Caution: Community upload")
    assert summary_text(None) == "Checking…"


def test_pills_fit_the_width_they_get(qapp: Any) -> None:
    metrics = QFontMetrics(QFont())
    ordered = worst_first(BADGES)
    wide = layout_pills(ordered, QRect(0, 0, 2000, 30), metrics, max_pills=4)
    assert [s.badge.key if s.badge else "+" for s in wide] == ["template", "provenance", "integrity", "license", "+"]
    assert [b.key for b in wide[-1].hidden] == ["format", "fit"]
    narrow = layout_pills(ordered, QRect(0, 0, 160, 30), metrics, max_pills=4)
    assert narrow[0].badge is ordered[0], "the worst badge always shows"
    assert narrow[-1].badge is None and len(narrow[-1].hidden) == len(BADGES) - len(narrow) + 1
    assert narrow[-1].rect.right() <= 160 + 40, "the +N pill stays near the cell"


@pytest.fixture
def badge_table(qtbot: Any) -> tuple[QTableView, BadgeDelegate]:
    model = QStandardItemModel(3, 2)
    for row, badges in enumerate((BADGES, BADGES[:1], None)):
        model.setItem(row, 0, QStandardItem(f"Model {row}"))
        item = QStandardItem(summary_text(badges))
        item.setData(badges, BADGES_ROLE)
        model.setItem(row, 1, item)
    view = QTableView()
    view.setModel(model)
    delegate = BadgeDelegate(view)
    view.setItemDelegateForColumn(1, delegate)
    view.setColumnWidth(1, 420)
    view.resize(640, 200)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    return view, delegate


def _option(view: QTableView, row: int) -> QStyleOptionViewItem:
    option = QStyleOptionViewItem()
    option.initFrom(view.viewport())
    option.rect = view.visualRect(view.model().index(row, 1))
    option.font = view.font()
    return option


@pytest.mark.qt_log_ignore(TOOLTIP_NOISE)
def test_delegate_paints_pills_and_explains_each(badge_table: tuple[QTableView, BadgeDelegate]) -> None:
    view, delegate = badge_table
    image = view.grab().toImage()  # paints every cell, including the "Checking…" one; warnings would fail
    assert not image.isNull()
    index = view.model().index(0, 1)
    slots = delegate.slots(_option(view, 0), index)
    assert slots[0].badge is not None and slots[0].badge.level is Level.DANGER
    assert slots[-1].badge is None, "six badges in 420 px end with a +N pill"
    assert delegate.sizeHint(_option(view, 0), index).height() >= slots[0].rect.height()

    def tip_at(point: QPoint) -> str:
        event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
        assert delegate.helpEvent(event, view, _option(view, 0), index)
        return QToolTip.text()

    assert "The chat template reaches into Python internals." in tip_at(slots[0].rect.center())
    assert "Danger" in tip_at(slots[0].rect.center())
    hidden = tip_at(slots[-1].rect.center())
    assert all(b.evidence in hidden for b in slots[-1].hidden)
    QToolTip.hideText()


def test_badge_row_wraps_and_names_every_badge(qtbot: Any) -> None:
    row = BadgeRow()
    qtbot.addWidget(row)
    assert row.badges() is None and row.pills == [] and "Checking" in row.accessibleName()
    row.set_badges(BADGES)
    assert [p.badge.key for p in row.pills if p.badge] == [b.key for b in worst_first(BADGES)]
    assert row.heightForWidth(140) > row.heightForWidth(2000), "narrow rows wrap"
    assert "Suspicious template" in row.accessibleName()
    assert "reaches into Python internals" in row.pills[0].toolTip()
    folded = BadgeRow(max_pills=2)
    qtbot.addWidget(folded)
    folded.set_badges(BADGES)
    assert len(folded.pills) == 3 and folded.pills[-1].text == "+4"
    assert "The header is consistent." in folded.pills[-1].toolTip()


# ---- the library table model -------------------------------------------------------------
def test_table_model_with_badges_follows_qt_rules(qtmodeltester: Any, qapp: Any) -> None:
    entries = [fake_entry("Alpha"), fake_entry("Bravo", license="llama3.2"), fake_entry("Charlie", broken=True)]
    model = LibraryTableModel()
    model.set_entries(entries)
    qtmodeltester.check(model, force_py=True)
    alpha = model.index(0, Column.BADGES)
    assert alpha.data(BADGES_ROLE) is None and alpha.data() == "Checking…"
    model.set_badges({entries[0].id: BADGES, "not-listed": BADGES})  # the tester keeps watching the signals
    assert alpha.data(BADGES_ROLE) == BADGES
    assert alpha.data(ENTRY_ROLE) is entries[0]
    assert alpha.data(SORT_ROLE) < model.index(1, Column.BADGES).data(SORT_ROLE), "unchecked rows sort last"
    assert "Suspicious template" in alpha.data()
    assert model.badges("not-listed") is None
    model.set_entries(entries[1:])
    assert model.badges(entries[0].id) is None, "badges of entries that left are forgotten"


# ---- the library page on real files ------------------------------------------------------
@pytest.fixture
def badge_models(services: Services, tmp_path: Path) -> dict[str, Path]:
    return stock_badge_library(services, tmp_path / "demo", marker=tmp_path / "pwned")


@pytest.fixture
def checked(make_window: Callable[..., MainWindow], services: Services, badge_models: dict[str, Path],
            qtbot: Any) -> MainWindow:
    window = make_window(services)
    qtbot.waitUntil(window.library.badges_known, timeout=WAIT_MS)
    return window


def badges_of(window: MainWindow, path: Path) -> dict[str, Badge]:
    return by_key(window.library.model.badges(model_id(path.resolve())))


def test_library_shows_a_danger_badge_for_a_malicious_template(checked: MainWindow,
                                                               badge_models: dict[str, Path]) -> None:
    badges = badges_of(checked, badge_models["malicious"])
    assert badges["template"].level is Level.DANGER
    assert "__class__" in badges["template"].evidence
    assert badges["provenance"].level is Level.CAUTION
    model = checked.library.model
    row = model.row_of(model_id(badge_models["malicious"].resolve()))
    cell = model.index(row, Column.BADGES)
    assert cell.data().startswith("Danger: Suspicious template")
    assert worst_first(cell.data(BADGES_ROLE))[0].key == "template"


def test_library_shows_a_danger_badge_for_a_truncated_file(checked: MainWindow,
                                                            badge_models: dict[str, Path]) -> None:
    badges = badges_of(checked, badge_models["truncated"])
    assert badges["format"].level is Level.DANGER and badges["format"].label == "Incomplete"
    assert "missing" in badges["format"].evidence


def test_library_license_badges_follow_the_license_class(checked: MainWindow,
                                                         badge_models: dict[str, Path]) -> None:
    permissive = badges_of(checked, badge_models["permissive"])["license"]
    assert permissive.level is Level.OK and permissive.label == "Permissive: apache-2.0"
    restricted = badges_of(checked, badge_models["restricted"])
    assert restricted["license"].level is Level.CAUTION
    assert restricted["license"].label.startswith("Use-restricted: llama3.2")
    assert restricted["integrity"].level is Level.OK, "a download whose hash was recorded is verified"
    assert restricted["provenance"].level is Level.OK, "bartowski is an established quantiser"
    unlabelled = badges_of(checked, badge_models["unlabelled"])
    assert unlabelled["license"].level is Level.UNKNOWN
    assert unlabelled["template"].level is Level.CAUTION


def test_details_panel_shows_badges_and_opens_the_passport(checked: MainWindow, badge_models: dict[str, Path],
                                                           qtbot: Any) -> None:
    page = checked.library
    assert page.select_entry(model_id(badge_models["malicious"].resolve()))
    details = page.details
    assert details.badge_row is not None and details.passport_button is not None
    qtbot.waitUntil(lambda: details.badges is not None, timeout=WAIT_MS)
    assert details.badge_row.pills[0].badge is not None
    assert details.badge_row.pills[0].badge.key == "template"
    shown = [label.text() for label in details.findChildren(QLabel) if label.isVisibleTo(details)]
    assert "Risky: Hearth asks before loading it" in shown
    assert details.passport_button.isEnabled()
    details.passport_button.click()
    passport = page.passport
    assert passport is not None
    qtbot.waitUntil(passport.isVisible, timeout=WAIT_MS)
    assert len(passport.check_rows) == len(details.badges or [])
    assert "Suspicious template" in passport.text()
    passport.close()
    qtbot.waitUntil(lambda: page.passport is None, timeout=WAIT_MS)


def test_the_filter_finds_models_by_their_checks(checked: MainWindow, badge_models: dict[str, Path]) -> None:
    page = checked.library
    page.filter.setText("suspicious")
    assert page.proxy.rowCount() == 1
    assert page.proxy.index(0, Column.NAME).data() == "Qwen2.5 1.5B Chat"
    page.filter.setText("")
    page.proxy.sort(Column.BADGES, Qt.SortOrder.DescendingOrder)
    worst = page.proxy.index(0, Column.BADGES).data(BADGES_ROLE)
    assert any(b.level is Level.DANGER for b in worst)


def test_name_column_marks_a_dangerous_model(checked: MainWindow, badge_models: dict[str, Path]) -> None:
    from hearth.ui.library.table_model import status_icon_name

    model = checked.library.model
    entry = model.entry(model.row_of(model_id(badge_models["malicious"].resolve())))
    assert entry.usable
    assert status_icon_name(entry)[0] == "model"
    assert status_icon_name(entry, model.badges(entry.id))[0] == "error"


def test_badges_are_cached_until_the_file_changes(qtbot: Any, services: Services, tiny_gguf: Callable[..., Path],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    tiny_gguf("one.gguf", folder=services.paths.models, name="One")
    entries = services.library.scan()
    computed: list[str] = []
    real = compute.compute_badges

    def counting(entry: Any, profile: Any) -> list[Badge]:
        computed.append(entry.id)
        return real(entry, profile)

    monkeypatch.setattr(compute, "compute_badges", counting)
    loader = BadgeLoader(profile=lambda: None)  # no hardware: no fit badge, and no probe
    seen: list[dict[str, list[Badge]]] = []
    loader.updated.connect(seen.append)
    try:
        for expected in (1, 1):
            loader.request(entries)
            qtbot.waitUntil(lambda: not loader.busy, timeout=WAIT_MS)
            assert len(computed) == expected
        assert seen[0] == seen[1] and loader.badges(entries[0].id) == seen[0][entries[0].id]
        stat = entries[0].path.stat()
        os.utime(entries[0].path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        loader.request(entries)
        qtbot.waitUntil(lambda: not loader.busy, timeout=WAIT_MS)
        assert len(computed) == 2, "a changed file is checked again"
        loader.request([])
        qtbot.waitUntil(lambda: not loader.busy, timeout=WAIT_MS)
        assert loader.badges(entries[0].id) is None, "entries that left the library are forgotten"
    finally:
        assert loader.shutdown()


def test_column_menu_shows_hidden_columns_and_old_layouts_are_ignored(window: MainWindow) -> None:
    page = window.library
    assert page.table.isColumnHidden(Column.ARCHITECTURE)
    menu = column_menu(page.table)
    arch = next(a for a in menu.actions() if a.text() == "Arch")
    arch.setChecked(True)
    assert not page.table.isColumnHidden(Column.ARCHITECTURE)
    saved = page.remembered_state()
    page.table.setColumnHidden(Column.ARCHITECTURE, True)
    page.restore_state({"header": saved["header"][len(HEADER_TAG):]})  # a layout from before Checks
    assert page.table.isColumnHidden(Column.ARCHITECTURE)
    page.restore_state(saved)
    assert not page.table.isColumnHidden(Column.ARCHITECTURE)
    menu.deleteLater()
