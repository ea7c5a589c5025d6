"""Callbacks to make: from messages and from promises (follow-ups), soonest due first.

Overdue ones stand out in red with the word « en retard »; Ctrl+D marks the selected one
done (a message becomes « rappelé », a follow-up « fait »). A timer refreshes the list
every minute and tells the main window how many are overdue (tray notification).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from permanence.core.errors import PermanenceError
from permanence.ui.format import format_day_time
from permanence.ui.table_model import ValuesTableModel

if TYPE_CHECKING:
    from permanence.core.messages import CallbackInfo
    from permanence.core.workspace import Workspace

COLUMNS = ("État", "Échéance", "Qui", "Numéro", "À faire", "Origine")
REFRESH_MS = 60_000


class CallbacksModel(ValuesTableModel["CallbackInfo"]):
    columns = COLUMNS

    def cell(self, item: CallbackInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            state = item.state + (" · urgent" if item.urgent else "")
            origin = "message" if item.source == "message" else "promesse / suivi"
            return (
                state,
                format_day_time(item.due_at),
                item.who,
                item.number,
                item.reason,
                origin,
            )[column]
        if role == Qt.ItemDataRole.ForegroundRole and item.overdue:
            return QBrush(QColor("#b3261e"))
        return None


class FollowUpsView(QWidget):
    """The « Rappels à faire » page."""

    #: the number of overdue callbacks changed (count).
    overdue_changed = Signal(int)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._now: datetime | None = None
        self.model = CallbacksModel()
        self.table = QTableView()
        self.table.setAccessibleName("Rappels à faire")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.done_button = QPushButton("Marquer comme &fait (Ctrl+D)")
        self.summary = QLabel()
        self.summary.setAccessibleName("Résumé des rappels")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Rappels à faire</b> (messages et promesses)"))
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.done_button)
        self.done_button.clicked.connect(self.mark_done)
        shortcut = QShortcut(QKeySequence("Ctrl+D"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.mark_done)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(lambda: self.refresh())
        self._timer.start()

    def refresh(self, now: datetime | None = None) -> None:
        """Reload; `now` pins the clock (tests), else the current time."""
        if now is not None:
            self._now = now
        moment = self._now or datetime.now(UTC)
        try:
            items = self._ws.messages.callbacks(moment)
        except PermanenceError as exc:
            self.summary.setText(exc.message)
            return
        self.model.set_items(items)
        late = sum(1 for item in items if item.overdue)
        self.summary.setText(f"{len(items)} à faire, dont {late} en retard.")
        if items:
            self.table.selectRow(0)
        self.overdue_changed.emit(late)

    def mark_done(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        item = self.model.item(index.row())
        by = self._ws.secretary or "secrétariat"
        try:
            if item.source == "message":
                self._ws.messages.set_status(item.source_id, "rappelé", by=by)
            else:
                self._ws.followups.done(item.source_id, by)
        except PermanenceError as exc:
            self.summary.setText(exc.message)
            return
        self.refresh()
