"""The network log card: every request Hearth made, filtered by where it went, with Export and Clear."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hearth.core.netlog import NETWORK_LOG, NetworkLog
from hearth.ui.common_widgets import label
from hearth.ui.privacy.log_model import ALL, LOOPBACK, OUTSIDE, NetworkLogModel
from hearth.ui.privacy.prompts import PrivacyPrompts

log = logging.getLogger(__name__)

SCOPES = ((OUTSIDE, "Leaving this computer"), (LOOPBACK, "Loopback (Hearth's own engines)"), (ALL, "Everything"))


class NetworkLogBox(QWidget):
    """Lives inside a card of the Privacy section; reports results through ``report(level, text)``."""

    def __init__(self, prompts: PrivacyPrompts, netlog: NetworkLog = NETWORK_LOG,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prompts = prompts
        self.netlog = netlog
        self.model = NetworkLogModel(netlog, self)
        self.scope = QComboBox(self)
        self.scope.setAccessibleName("Show requests")
        for key, text in SCOPES:
            self.scope.addItem(text, key)
        self.scope.currentIndexChanged.connect(lambda _i: self.model.set_scope(str(self.scope.currentData())))
        self.export_button = QPushButton("Export…", self)
        self.export_button.clicked.connect(self.export)
        self.clear_button = QPushButton("Clear", self)
        self.clear_button.setToolTip("Empty the list and the network log file")
        self.clear_button.clicked.connect(self.clear)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Network log")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setMinimumHeight(200)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in enumerate((70, 70, 70, 150, 220, 110, 70)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.model.rowsInserted.connect(lambda *_a: self.table.scrollToBottom())
        self.status = label("", "muted", wrap=True, parent=self)
        self.model.modelReset.connect(self._update_status)
        self.model.rowsInserted.connect(self._update_status)

        tools = QHBoxLayout()
        tools.addWidget(label("Show", parent=self))
        tools.addWidget(self.scope)
        tools.addStretch(1)
        tools.addWidget(self.export_button)
        tools.addWidget(self.clear_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(tools)
        column.addWidget(self.table)
        column.addWidget(self.status)
        self._update_status()
        self.last_message = ""

    def _update_status(self) -> None:
        outside = self.netlog.events(loopback=False)
        blocked = sum(1 for e in outside if e.blocked)
        if not outside:
            self.status.setText("Nothing has left this computer since Hearth started.")
            return
        text = f"{len(outside)} request(s) left or tried to leave this computer since Hearth started"
        self.status.setText(text + (f"; {blocked} blocked by offline mode." if blocked else "."))

    def export(self) -> None:
        target = self.prompts.choose_export_file(self)
        if target is None:
            return
        try:
            count = self.netlog.export(target)
        except OSError as exc:
            self.last_message = f"Could not export the network log: {exc.strerror or exc}"
            log.warning("%s", self.last_message)
        else:
            self.last_message = f"Exported {count} request(s) to {target}"
        self.status.setText(self.last_message)

    def clear(self) -> None:
        self.netlog.clear()
        if self.netlog.file is not None:
            try:
                self.netlog.file.unlink(missing_ok=True)
            except OSError as exc:
                log.warning("could not empty the network log file: %s", exc)
        self.model.reload()

    def shutdown(self) -> None:
        self.model.close()
