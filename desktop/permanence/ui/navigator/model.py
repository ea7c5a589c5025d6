"""Tree model: practices, each with its practitioners; accent-free filtering proxy."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from permanence.core.practices import PracticeInfo
from permanence.core.text import fold

PRACTICE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
PRACTITIONER_ID_ROLE = Qt.ItemDataRole.UserRole + 2
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3


def build_model(practices: list[PracticeInfo]) -> QStandardItemModel:
    """A small, fixed-size tree (a secretary serves tens of practices, not thousands)."""
    model = QStandardItemModel()
    model.setHorizontalHeaderLabels(["Cabinets et praticiens"])
    for practice in practices:
        item = QStandardItem(practice.name)
        item.setEditable(False)
        font = item.font()
        font.setBold(True)
        item.setFont(font)
        item.setData(practice.id, PRACTICE_ID_ROLE)
        item.setData(None, PRACTITIONER_ID_ROLE)
        item.setData(fold(f"{practice.name} {practice.kind_label}"), SEARCH_ROLE)
        item.setToolTip(f"{practice.name} — {practice.kind_label}")
        item.setData(
            f"Cabinet {practice.name}, {practice.kind_label}", Qt.ItemDataRole.AccessibleTextRole
        )
        for doctor in practice.practitioners:
            child = QStandardItem(doctor.display_name)
            child.setEditable(False)
            child.setData(practice.id, PRACTICE_ID_ROLE)
            child.setData(doctor.id, PRACTITIONER_ID_ROLE)
            child.setData(fold(f"{doctor.display_name} {doctor.kind_label}"), SEARCH_ROLE)
            child.setToolTip(f"{doctor.display_name} — {doctor.kind_label}")
            item.appendRow(child)
        model.appendRow(item)
    return model


class FoldingFilterProxy(QSortFilterProxyModel):
    """Keeps rows whose name contains every typed word, accents and case ignored."""

    def __init__(self) -> None:
        super().__init__()
        self._words: list[str] = []
        self.setRecursiveFilteringEnabled(True)
        self.setAutoAcceptChildRows(True)

    def set_query(self, text: str) -> None:
        self.beginFilterChange()
        self._words = fold(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        return self.matches(self.sourceModel().index(source_row, 0, source_parent))

    def matches(self, index: QModelIndex | QPersistentModelIndex) -> bool:
        """Whether this row itself (not a child) contains every typed word."""
        haystack = str(index.data(SEARCH_ROLE) or "")
        return all(word in haystack for word in self._words)
