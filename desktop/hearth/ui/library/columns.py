"""The library table's columns: first widths, which start hidden, the show/hide menu and the saved layout."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView, QWidget

from hearth.ui.library.table_model import HEADERS, Column

COLUMN_WIDTHS = {Column.NAME: 200, Column.BADGES: 232, Column.ARCHITECTURE: 62, Column.PARAMETERS: 66,
                 Column.QUANTIZATION: 64, Column.SIZE: 80, Column.CONTEXT: 68, Column.LICENSE: 104,
                 Column.SOURCE: 104}
#: Shown in the details panel anyway; hidden at first to leave the Checks column room (the header's
#: context menu brings them back).
HIDDEN_AT_FIRST = (Column.ARCHITECTURE, Column.PARAMETERS, Column.CONTEXT)
#: Saved header layouts start with the column count they were made for: a layout saved before a
#: column was added would put every width in the wrong place.
HEADER_TAG = f"columns={len(Column)};".encode("ascii")


def set_up_columns(table: QTableView) -> None:
    """Widths, the stretching name column, the columns hidden at first and the header's menu."""
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
    for column, width in COLUMN_WIDTHS.items():
        table.setColumnWidth(column, width)
    for column in HIDDEN_AT_FIRST:
        table.setColumnHidden(column, True)
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def popup(pos: QPoint) -> None:
        menu = column_menu(table, table)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(header.mapToGlobal(pos))

    header.customContextMenuRequested.connect(popup)


def column_menu(table: QTableView, parent: QWidget | None = None) -> QMenu:
    """A checkable entry per column (the name always shows) that shows or hides it."""
    menu = QMenu(parent)
    for column in Column:
        if column == Column.NAME:
            continue
        action = menu.addAction(HEADERS[column][0])
        action.setCheckable(True)
        action.setChecked(not table.isColumnHidden(column))
        action.toggled.connect(lambda shown, c=column: table.setColumnHidden(c, not shown))
    return menu


def save_header(table: QTableView) -> bytes:
    return HEADER_TAG + bytes(table.horizontalHeader().saveState().data())


def restore_header(table: QTableView, saved: bytes) -> bool:
    """Restore widths, order and hidden columns; False (nothing changed) for a layout of other columns."""
    if not saved.startswith(HEADER_TAG):
        return False
    return bool(table.horizontalHeader().restoreState(saved[len(HEADER_TAG):]))
