"""Navigator widget: a type-ahead field above the tree of practices and practitioners."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QTreeView, QVBoxLayout, QWidget

from permanence.core.practices import PracticeInfo
from permanence.ui.navigator.model import (
    PRACTICE_ID_ROLE,
    PRACTITIONER_ID_ROLE,
    FoldingFilterProxy,
    build_model,
)


class NavigatorWidget(QWidget):
    """Choose a practice or a practitioner; typing filters, Entrée selects the first match."""

    #: (practice id, practitioner id or None) of the new selection.
    selected = Signal(int, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._proxy = FoldingFilterProxy()
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Rechercher un cabinet ou un praticien…")
        self.filter_edit.setAccessibleName("Rechercher un cabinet ou un praticien")
        self.filter_edit.setClearButtonEnabled(True)
        label = QLabel("&Cabinets")
        label.setBuddy(self.filter_edit)
        self.tree = QTreeView()
        self.tree.setAccessibleName("Cabinets et praticiens")
        self.tree.setHeaderHidden(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(True)
        self.tree.setModel(self._proxy)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.tree)
        self.filter_edit.textChanged.connect(self._on_filter_changed)
        self.filter_edit.returnPressed.connect(self._on_filter_accepted)
        self.filter_edit.installEventFilter(self)
        self.tree.selectionModel().currentChanged.connect(self._on_current_changed)
        self.setMinimumWidth(240)

    def set_practices(self, practices: list[PracticeInfo]) -> None:
        model = build_model(practices)
        model.setParent(self)
        self._proxy.setSourceModel(model)
        self.tree.expandAll()
        if self._proxy.rowCount():
            self.tree.setCurrentIndex(self._first_leaf())

    def select(self, practice_id: int, practitioner_id: int | None = None) -> bool:
        """Make this practice (or practitioner) current; False when it is not shown."""
        for row in range(self._proxy.rowCount()):
            parent = self._proxy.index(row, 0)
            if parent.data(PRACTICE_ID_ROLE) != practice_id:
                continue
            target = parent
            for child_row in range(self._proxy.rowCount(parent)):
                child = self._proxy.index(child_row, 0, parent)
                if child.data(PRACTITIONER_ID_ROLE) == practitioner_id:
                    target = child
            self.tree.setCurrentIndex(target)
            return True
        return False

    def focus_search(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def current(self) -> tuple[int, int | None] | None:
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        return int(index.data(PRACTICE_ID_ROLE)), index.data(PRACTITIONER_ID_ROLE)

    # -- slots ---------------------------------------------------------------------------
    def _on_filter_changed(self, text: str) -> None:
        self._proxy.set_query(text)
        self.tree.expandAll()
        if text.strip() and self._proxy.rowCount():
            self.tree.setCurrentIndex(self._first_match())

    def _on_filter_accepted(self) -> None:
        if self._proxy.rowCount():
            self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.selected.emit(
                int(current.data(PRACTICE_ID_ROLE)), current.data(PRACTITIONER_ID_ROLE)
            )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Flèche bas depuis le champ de recherche : on descend dans la liste.
        if watched is self.filter_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Down:
                self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        return super().eventFilter(watched, event)

    # -- helpers -------------------------------------------------------------------------
    def _first_leaf(self) -> QModelIndex:
        first = self._proxy.index(0, 0)
        return self._proxy.index(0, 0, first) if self._proxy.rowCount(first) else first

    def _first_match(self) -> QModelIndex:
        """The first practice that matches by itself, else its first matching practitioner."""
        first = self._proxy.index(0, 0)
        if self._proxy.matches(first):
            return first
        for row in range(self._proxy.rowCount(first)):
            child = self._proxy.index(row, 0, first)
            if self._proxy.matches(child):
                return child
        return first
