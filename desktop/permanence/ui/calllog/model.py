"""Table model of calls (newest first) and the proxy that filters it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from permanence.ui.format import format_time
from permanence.ui.table_model import ValuesTableModel

if TYPE_CHECKING:
    from permanence.core.calls.values import CallInfo

PARIS = ZoneInfo("Europe/Paris")
CALL_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex

COLUMNS = (
    "Date",
    "Heure",
    "Durée",
    "Cabinet",
    "Praticien",
    "Appelant",
    "Numéro",
    "Issue",
    "Facturation",
    "Motif",
)


def _duration(call: CallInfo) -> str:
    seconds = int(call.duration.total_seconds()) if call.duration else 0
    return f"{seconds // 60} min {seconds % 60:02d} s"


class CallLogModel(ValuesTableModel["CallInfo"]):
    columns = COLUMNS

    def set_calls(self, calls: list[CallInfo]) -> None:
        self.set_items(calls)

    def call_at(self, row: int) -> CallInfo:
        return self.item(row)

    def cell(self, call: CallInfo, column: int, role: int) -> Any:
        if role == CALL_ROLE:
            return call
        if role == SORT_ROLE:
            return self._sort_key(call, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(call, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == 8:
            return call.billing_reason
        return None

    def _text(self, call: CallInfo, column: int) -> str:
        local = call.started_at.astimezone(PARIS)
        texts = (
            local.strftime("%d/%m/%Y"),
            format_time(local),
            _duration(call),
            call.practice_name,
            call.practitioner_name,
            call.caller_name,
            call.from_display,
            call.outcome_label + (" · mécontent" if call.tension else ""),
            "facturé" if call.billable else "non facturé",
            call.reason,
        )
        return texts[column]

    def _sort_key(self, call: CallInfo, column: int) -> Any:
        if column in (0, 1):
            return call.started_at.timestamp()
        if column == 2:
            return call.duration.total_seconds() if call.duration else 0.0
        return self._text(call, column).casefold()


class CallLogFilter(QSortFilterProxyModel):
    """Filters by practice, local day, outcome and billing class (None = any)."""

    def __init__(self) -> None:
        super().__init__()
        self.practice_id: int | None = None
        self.day: date | None = None
        self.outcome: str | None = None
        self.billable: bool | None = None
        self.setSortRole(SORT_ROLE)

    def set_filters(
        self,
        *,
        practice_id: int | None,
        day: date | None,
        outcome: str | None,
        billable: bool | None,
    ) -> None:
        self.beginFilterChange()
        self.practice_id, self.day, self.outcome, self.billable = (
            practice_id,
            day,
            outcome,
            billable,
        )
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, CallLogModel)
        call = model.call_at(source_row)
        return (
            (self.practice_id is None or call.practice_id == self.practice_id)
            and (self.day is None or call.started_at.astimezone(PARIS).date() == self.day)
            and (self.outcome is None or call.outcome == self.outcome)
            and (self.billable is None or bool(call.billable) == self.billable)
        )
