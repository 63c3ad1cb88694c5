"""A table model over the network log, updated live from any thread through a queued signal."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from hearth.core.netlog import NETWORK_LOG, NetEvent, NetworkLog
from hearth.core.units import human_bytes

COLUMNS = ("Time", "Source", "Method", "Host", "Path", "Status", "Bytes")
#: Which events the table shows: those leaving this computer, loopback (Hearth's engines) or all.
OUTSIDE, LOOPBACK, ALL = "outside", "loopback", "all"
BLOCKED_TEXT = "blocked (offline)"
_BLOCKED_BACKGROUND = QColor(214, 69, 65, 60)

Index = QModelIndex | QPersistentModelIndex


class _Bridge(QObject):
    """Carries events from the thread that logged them to the GUI thread."""

    arrived = Signal(object)


def _subscribe(bridge: _Bridge, netlog: NetworkLog) -> Callable[[], None]:
    """Forward the log's events to ``bridge``; the listener drops itself once Qt deleted the bridge."""
    holder: list[Callable[[], None]] = []

    def forward(event: NetEvent) -> None:
        try:
            bridge.arrived.emit(event)
        except RuntimeError:  # the model was deleted without close(): stop listening
            holder[0]()

    holder.append(netlog.subscribe(forward))
    return holder[0]


def _matches(event: NetEvent, scope: str) -> bool:
    return scope == ALL or event.loopback == (scope == LOOPBACK)


def status_text(event: NetEvent) -> str:
    if event.blocked:
        return BLOCKED_TEXT
    return "" if event.status is None else str(event.status)


class NetworkLogModel(QAbstractTableModel):
    """Newest last. Call :meth:`close` (or let the parent go) to stop listening to the log."""

    def __init__(self, netlog: NetworkLog = NETWORK_LOG, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.netlog = netlog
        self.scope = OUTSIDE
        self._rows: list[NetEvent] = []
        self._bridge = _Bridge(self)
        self._bridge.arrived.connect(self._arrived, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe: Callable[[], None] | None = _subscribe(self._bridge, netlog)
        self.reload()

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def set_scope(self, scope: str) -> None:
        self.scope = scope
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = [e for e in self.netlog.events() if _matches(e, self.scope)]
        self.endResetModel()

    def event_at(self, row: int) -> NetEvent:
        return self._rows[row]

    def _arrived(self, event: NetEvent) -> None:
        if not _matches(event, self.scope):
            return
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(event)
        self.endInsertRows()

    # ---- Qt model API --------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        event = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(event, column, tooltip=role == Qt.ItemDataRole.ToolTipRole)
        if role == Qt.ItemDataRole.BackgroundRole and event.blocked:
            return _BLOCKED_BACKGROUND
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (5, 6):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(event: NetEvent, column: int, *, tooltip: bool) -> str:
        if column == 0:
            stamp = time.localtime(event.time)
            return time.strftime("%Y-%m-%d %H:%M:%S" if tooltip else "%H:%M:%S", stamp)
        if column == 1:
            return event.source or event.kind
        if column == 2:
            return event.method
        if column == 3:
            return event.host if event.port is None else f"{event.host}:{event.port}"
        if column == 4:
            return event.path
        if column == 5:
            return status_text(event)
        if event.bytes_in is None:
            return ""
        return f"{event.bytes_in:,} bytes" if tooltip else human_bytes(event.bytes_in)
