"""The call log page: filters above a sortable table, totals below."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from permanence.ui.call.outcome import OUTCOME_BUTTONS
from permanence.ui.calllog.model import CallLogFilter, CallLogModel

if TYPE_CHECKING:
    from permanence.core.workspace import Workspace

LOG_LIMIT = 20_000


class CallLogView(QWidget):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.model = CallLogModel()
        self.proxy = CallLogFilter()
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setAccessibleName("Cahier d'appels")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.practice_filter = QComboBox()
        self.practice_filter.setAccessibleName("Filtrer par cabinet")
        self.outcome_filter = QComboBox()
        self.outcome_filter.setAccessibleName("Filtrer par issue")
        self.outcome_filter.addItem("Toutes les issues", None)
        for key, label in OUTCOME_BUTTONS:
            self.outcome_filter.addItem(label, key)
        self.billing_filter = QComboBox()
        self.billing_filter.setAccessibleName("Filtrer par facturation")
        for label, value in (
            ("Facturés et non facturés", None),
            ("Facturés", True),
            ("Non facturés", False),
        ):
            self.billing_filter.addItem(label, value)
        self.day_enabled = QCheckBox("&Jour :")
        self.day_edit = QDateEdit(QDate.currentDate())
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("dddd d MMMM yyyy")
        self.day_edit.setAccessibleName("Jour affiché")
        self.day_edit.setEnabled(False)
        self.totals = QLabel()
        self.totals.setAccessibleName("Totaux")
        filters = QHBoxLayout()
        practice_label = QLabel("Ca&binet :")
        practice_label.setBuddy(self.practice_filter)
        filters.addWidget(practice_label)
        filters.addWidget(self.practice_filter, 2)
        filters.addWidget(self.day_enabled)
        filters.addWidget(self.day_edit, 1)
        filters.addWidget(self.outcome_filter, 1)
        filters.addWidget(self.billing_filter, 1)
        layout = QVBoxLayout(self)
        title = QLabel("<b>Cahier d'appels</b>")
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        for box in (self.practice_filter, self.outcome_filter, self.billing_filter):
            box.currentIndexChanged.connect(self._on_filters_changed)
        self.day_enabled.toggled.connect(self.day_edit.setEnabled)
        self.day_enabled.toggled.connect(lambda _on: self._on_filters_changed())
        self.day_edit.dateChanged.connect(lambda _d: self._on_filters_changed())

    def refresh(self) -> None:
        current = self.practice_filter.currentData()
        self.practice_filter.blockSignals(True)
        self.practice_filter.clear()
        self.practice_filter.addItem("Tous les cabinets", None)
        for practice in self._ws.practices.list():
            self.practice_filter.addItem(practice.name, practice.id)
        self.practice_filter.setCurrentIndex(max(self.practice_filter.findData(current), 0))
        self.practice_filter.blockSignals(False)
        self.model.set_calls(self._ws.calls.log(limit=LOG_LIMIT))
        self._on_filters_changed()

    def _on_filters_changed(self) -> None:
        day: date | None = None
        if self.day_enabled.isChecked():
            qdate = self.day_edit.date()
            day = date(qdate.year(), qdate.month(), qdate.day())
        self.proxy.set_filters(
            practice_id=self.practice_filter.currentData(),
            day=day,
            outcome=self.outcome_filter.currentData(),
            billable=self.billing_filter.currentData(),
        )
        shown = self.proxy.rowCount()
        billed = sum(
            1
            for row in range(shown)
            if self.model.call_at(self.proxy.mapToSource(self.proxy.index(row, 0)).row()).billable
        )
        self.totals.setText(f"{shown} appel(s) affiché(s), dont {billed} facturé(s).")
