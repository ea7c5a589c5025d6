"""Who calls: the number (normalised as typed), name search, the known caller, a new caller.

Lookups are indexed queries (a few ms), so they run on the GUI thread as she types.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from permanence.core.callers.values import CALLER_KINDS, CallerInfo
from permanence.core.phone import parse_phone
from permanence.core.security.audit import VIEWED
from permanence.ui.format import format_day_time

if TYPE_CHECKING:
    from permanence.core.workspace import Workspace

CALLER_ROLE = Qt.ItemDataRole.UserRole + 1


class CallerBox(QGroupBox):
    """Finds or creates the caller; emits `caller_changed` with a CallerInfo or None."""

    #: the chosen caller (CallerInfo) or None when she clears it.
    caller_changed = Signal(object)
    #: the calling number as typed (raw text).
    number_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Appelant", parent)
        self._ws: Workspace | None = None
        self._practice_ids: tuple[int, ...] = ()
        self.caller: CallerInfo | None = None
        self.number_edit = QLineEdit()
        self.number_edit.setAccessibleName("Numéro de l'appelant")
        self.number_edit.setPlaceholderText("06 12 34 56 78")
        self.number_warning = QLabel()
        self.number_warning.setObjectName("numberWarning")
        self.number_warning.setStyleSheet("#numberWarning { color: #9a3412; }")
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Nom de l'appelant (recherche)")
        self.name_edit.setPlaceholderText("Nom, prénom… (fautes et accents tolérés)")
        self.matches_model = QStandardItemModel(self)
        self.matches = QListView()
        self.matches.setAccessibleName("Appelants trouvés")
        self.matches.setModel(self.matches_model)
        self.matches.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.matches.setMaximumHeight(96)
        self.details = QLabel()
        self.details.setObjectName("callerDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAccessibleName("Fiche de l'appelant")
        self.history_model = QStandardItemModel(self)
        self.history = QListView()
        self.history.setAccessibleName("Historique de l'appelant")
        self.history.setModel(self.history_model)
        self.history.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.new_last = QLineEdit()
        self.new_last.setAccessibleName("Nom du nouvel appelant")
        self.new_first = QLineEdit()
        self.new_first.setAccessibleName("Prénom du nouvel appelant")
        self.new_kind = QComboBox()
        self.new_kind.setAccessibleName("Type d'appelant")
        for key, label in CALLER_KINDS.items():
            self.new_kind.addItem(label, key)
        self.spelling = QLabel()
        self.spelling.setObjectName("spelling")
        self.spelling.setWordWrap(True)
        self.spelling.setAccessibleName("Épellation du nom")
        self.create_button = QPushButton("&Créer l'appelant")
        self.create_button.setEnabled(False)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(120)
        self._build_layout()
        self.number_edit.textChanged.connect(self._on_number_typed)
        self.name_edit.textChanged.connect(lambda _t: self._search_timer.start())
        self._search_timer.timeout.connect(self._on_search_name)
        self.matches.activated.connect(self._on_match_chosen)
        self.new_last.textChanged.connect(self._on_new_name_typed)
        self.new_last.returnPressed.connect(self._on_create)
        self.create_button.clicked.connect(self._on_create)

    # -- public --------------------------------------------------------------------------
    def set_workspace(self, workspace: Workspace, practice_ids: tuple[int, ...] = ()) -> None:
        self._ws = workspace
        self._practice_ids = practice_ids

    def reset(self, number: str = "") -> None:
        self.caller = None
        for edit in (self.name_edit, self.new_last, self.new_first):
            edit.clear()
        self.matches_model.clear()
        self.history_model.clear()
        self.details.setText("<i>Appelant inconnu : tapez son numéro ou son nom.</i>")
        self.number_edit.setText(number)

    def choose(self, caller: CallerInfo | None) -> None:
        self.caller = caller
        self._show_caller()
        self.caller_changed.emit(caller)

    # -- slots ---------------------------------------------------------------------------
    def _on_number_typed(self, text: str) -> None:
        number = parse_phone(text)
        warning = number.warning if len(text.strip()) >= 10 or number.e164 else None
        self.number_warning.setText(warning or "")
        self.number_warning.setVisible(bool(warning))
        self.number_changed.emit(text)
        if self._ws is None:
            return
        digits = sum(ch.isdigit() for ch in text)
        found = self._ws.callers.lookup_number(text) if digits >= 4 else []
        self._show_matches(found)
        exact = [c for c in found if number.e164 and number.e164 in c.phones]
        if len(exact) == 1 and (self.caller is None or self.caller.id != exact[0].id):
            self.choose(exact[0])

    def _on_search_name(self) -> None:
        if self._ws is None:
            return
        text = self.name_edit.text().strip()
        if len(text) < 2:
            self.matches_model.clear()
            return
        self._show_matches([m.caller for m in self._ws.callers.search(text, limit=8)])

    def _on_match_chosen(self, index: QModelIndex) -> None:
        caller = index.data(CALLER_ROLE)
        if isinstance(caller, CallerInfo):
            self.choose(caller)

    def _on_new_name_typed(self, text: str) -> None:
        from permanence.core.spelling import spell

        self.spelling.setText(spell(text) if text.strip() else "")
        self.create_button.setEnabled(bool(text.strip()))

    def _on_create(self) -> None:
        if self._ws is None or not self.new_last.text().strip():
            return
        caller = self._ws.callers.create(
            self.new_last.text(),
            self.new_first.text(),
            kind=str(self.new_kind.currentData()),
            phones=[self.number_edit.text()] if self.number_edit.text().strip() else [],
            practice_ids=self._practice_ids,
        )
        self.choose(caller)

    # -- helpers -------------------------------------------------------------------------
    def _show_matches(self, callers: list[CallerInfo]) -> None:
        self.matches_model.clear()
        for caller in callers:
            item = QStandardItem(f"{caller.display_name} — {caller.kind_label}")
            item.setData(caller, CALLER_ROLE)
            self.matches_model.appendRow(item)
        if callers:
            self.matches.setCurrentIndex(self.matches_model.index(0, 0))

    def _show_caller(self) -> None:
        self.history_model.clear()
        caller = self.caller
        if caller is None:
            self.details.setText("<i>Appelant inconnu : tapez son numéro ou son nom.</i>")
            return
        from permanence.core.phone import format_for_display
        from permanence.core.spelling import spell

        numbers = ", ".join(format_for_display(p) for p in caller.phones) or "—"
        notes = f"<br><b>Notes :</b> {escape(caller.notes)}" if caller.notes else ""
        self.details.setText(
            f"<span style='font-size:15pt; font-weight:600'>{escape(caller.display_name)}</span>"
            f" — {escape(caller.kind_label)}<br>{escape(numbers)}{notes}"
            f"<br><small>{escape(spell(caller.last_name))}</small>"
        )
        if self._ws is None:
            return
        if not self._ws.read_only:
            self._ws.audit.record(VIEWED, "appelant", caller.id)
        for item in self._ws.calls.history(caller.id, practice_ids=self._practice_ids or None):
            where = item.practice_name + (
                f", {item.practitioner_name}" if item.practitioner_name else ""
            )
            row = QStandardItem(
                f"{format_day_time(item.when)} · {item.kind} · {where} — {item.summary}"
            )
            row.setToolTip(item.summary)
            self.history_model.appendRow(row)
        if not self.history_model.rowCount():
            self.history_model.appendRow(QStandardItem("Aucun historique."))

    def _build_layout(self) -> None:
        search = QFormLayout()
        search.addRow("&Numéro :", self.number_edit)
        search.addRow("", self.number_warning)
        search.addRow("No&m :", self.name_edit)
        self.number_warning.hide()
        new_box = QGroupBox("Nouvel appelant")
        new_form = QVBoxLayout(new_box)
        names = QHBoxLayout()
        self.new_last.setPlaceholderText("NOM")
        self.new_first.setPlaceholderText("Prénom")
        names.addWidget(self.new_last, 3)
        names.addWidget(self.new_first, 2)
        new_form.addLayout(names)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.new_kind, 1)
        kind_row.addWidget(self.create_button)
        new_form.addLayout(kind_row)
        new_form.addWidget(self.spelling)
        layout = QVBoxLayout(self)
        layout.addLayout(search)
        layout.addWidget(self.matches)
        layout.addWidget(self.details)
        history_label = QLabel("&Historique :")
        history_label.setBuddy(self.history)
        layout.addWidget(history_label)
        layout.addWidget(self.history, 1)
        layout.addWidget(new_box)
