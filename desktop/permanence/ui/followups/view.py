"""Open follow-ups, soonest first; overdue ones stand out; Ctrl+D marks one done."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
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

if TYPE_CHECKING:
    from permanence.core.calls.followups import FollowUpInfo
    from permanence.core.workspace import Workspace

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("État", "Échéance", "À faire", "Cabinet", "Appelant", "Type")


class FollowUpsModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._items: list[FollowUpInfo] = []
        self.now = datetime.now(UTC)

    def set_items(self, items: list[FollowUpInfo], now: datetime) -> None:
        self.beginResetModel()
        self._items, self.now = list(items), now
        self.endResetModel()

    def item(self, row: int) -> FollowUpInfo:
        return self._items[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                item.state(self.now),
                format_day_time(item.due_at),
                item.description,
                item.practice_name,
                item.caller_name,
                item.kind_label,
            )[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and item.overdue(self.now):
            return QBrush(QColor("#b3261e"))
        return None


class FollowUpsView(QWidget):
    """The "Rappels à faire" page."""

    #: the number of overdue follow-ups changed.
    overdue_changed = Signal(int)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.model = FollowUpsModel()
        self.table = QTableView()
        self.table.setAccessibleName("Rappels et promesses à faire")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.done_button = QPushButton("Marquer comme &fait (Ctrl+D)")
        self.summary = QLabel()
        self.summary.setAccessibleName("Résumé des rappels")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Rappels et promesses à faire</b>"))
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.done_button)
        self.done_button.clicked.connect(self.mark_done)
        shortcut = QShortcut(QKeySequence("Ctrl+D"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.mark_done)

    def refresh(self, now: datetime | None = None) -> None:
        moment = now or datetime.now(UTC)
        items = self._ws.followups.open(moment)
        self.model.set_items(items, moment)
        late = sum(1 for item in items if item.overdue(moment))
        self.summary.setText(f"{len(items)} à faire, dont {late} en retard.")
        if items:
            self.table.selectRow(0)
        self.overdue_changed.emit(late)

    def mark_done(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        item = self.model.item(index.row())
        try:
            self._ws.followups.done(item.id, self._ws.secretary or "secrétariat")
        except PermanenceError as exc:
            self.summary.setText(exc.message)
            return
        self.refresh()
