"""Slot proposals during a call: the sentence to say, and booking in one key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from permanence.core.agenda import AgendaError, parse_preferences, phrase_proposals
from permanence.core.agenda.phrasing import phrase_slot
from permanence.core.agenda.request import propose_for_request
from permanence.core.errors import PermanenceError

if TYPE_CHECKING:
    from permanence.core.agenda.store import AppointmentInfo, AppointmentTypeInfo
    from permanence.core.practices import PractitionerInfo
    from permanence.core.workspace import Workspace

PROPOSAL_ROLE = Qt.ItemDataRole.UserRole + 1
HORIZON_DAYS = 35


class SlotsPanel(QWidget):
    """Shown beside the call (F6); emits `booked(AppointmentInfo, phrase)`."""

    booked = Signal(object, str)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._practitioner: PractitionerInfo | None = None
        self._level: str | None = None
        self._types: list[AppointmentTypeInfo] = []
        self.caller_id: int | None = None
        self.call_id: int | None = None
        self.type_box = QComboBox()
        self.type_box.setAccessibleName("Motif de rendez-vous")
        self.preferences = QLineEdit()
        self.preferences.setAccessibleName("Préférences de l'appelant")
        self.preferences.setPlaceholderText("ex. : plutôt le matin, pas le lundi, pas avant 17 h")
        self.earliest = QCheckBox("Au plus &tôt (sans chercher à éviter les trous)")
        self.understood = QLabel()
        self.understood.setWordWrap(True)
        self.sentence = QLabel()
        self.sentence.setObjectName("slotSentence")
        self.sentence.setWordWrap(True)
        self.sentence.setAccessibleName("Phrase à dire")
        font = self.sentence.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.sentence.setFont(font)
        self.model = QStandardItemModel(self)
        self.proposals = QListView()
        self.proposals.setAccessibleName("Créneaux proposés")
        self.proposals.setModel(self.model)
        self.proposals.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.book_button = QPushButton("&Réserver le créneau choisi (Entrée)")
        self.message = QLabel()
        self.message.setObjectName("slotMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("#slotMessage { color: #b3261e; font-weight: 600; }")
        form = QFormLayout()
        form.addRow("&Motif :", self.type_box)
        form.addRow("&Préférences :", self.preferences)
        form.addRow(self.earliest)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>Proposer des créneaux</b> — F6 pour revenir aux consignes"))
        layout.addLayout(form)
        layout.addWidget(self.understood)
        layout.addWidget(self.sentence)
        layout.addWidget(self.proposals, 1)
        layout.addWidget(self.book_button)
        layout.addWidget(self.message)
        self.type_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.preferences.textChanged.connect(lambda _t: self.refresh())
        self.earliest.toggled.connect(lambda _on: self.refresh())
        self.proposals.activated.connect(self._on_activated)
        self.book_button.clicked.connect(self.book_selected)

    # -- public --------------------------------------------------------------------------
    def set_context(
        self, practitioner: PractitionerInfo | None, level: str | None, *, type_hint: str = ""
    ) -> None:
        self._practitioner, self._level = practitioner, level
        self.type_box.blockSignals(True)
        self.type_box.clear()
        self._types = (
            [t for t in self._ws.bookings.appointment_types(practitioner.id)]
            if practitioner
            else []
        )
        for kind in self._types:
            suffix = " (urgences)" if kind.urgent_only else ""
            blocked = "" if kind.bookable_by_secretary else " — pas par le secrétariat"
            self.type_box.addItem(f"{kind.name} · {kind.duration_min} min{suffix}{blocked}")
        preferred = next(
            (
                i
                for i, t in enumerate(self._types)
                if type_hint and type_hint.lower() in t.name.lower()
            ),
            next((i for i, t in enumerate(self._types) if t.urgent_only == (level == "urgent")), 0),
        )
        self.type_box.setCurrentIndex(preferred if self._types else -1)
        self.type_box.blockSignals(False)
        self.refresh()

    def refresh(self, now: datetime | None = None) -> None:
        moment = now or datetime.now(UTC)
        self.model.clear()
        self.message.clear()
        self.sentence.clear()
        if self._practitioner is None:
            self.message.setText("Choisissez d'abord le praticien (« Pour : »).")
            return
        index = self.type_box.currentIndex()
        if not 0 <= index < len(self._types):
            self.message.setText("Ce praticien n'a aucun motif de rendez-vous.")
            return
        kind = self._types[index]
        if not kind.bookable_by_secretary:
            self.message.setText(
                "Ce motif ne se réserve pas par le secrétariat : prenez un message."
            )
            return
        try:
            agenda = self._ws.bookings.agenda(
                self._practitioner.id,
                since=moment,
                until=moment + timedelta(days=HORIZON_DAYS),
            )
            preferences = parse_preferences(
                self.preferences.text(), today=moment.astimezone(agenda.zone).date()
            )
            self.understood.setText(
                f"Compris : {preferences.describe()}"
                + (
                    f" — non compris : {', '.join(preferences.unparsed)}"
                    if preferences.unparsed
                    else ""
                )
                if self.preferences.text().strip()
                else ""
            )
            proposals = propose_for_request(
                agenda,
                kind.model,
                now=moment,
                level=self._level,
                preferences=preferences,
                policy="first_fit" if self.earliest.isChecked() else "compact",
            )
        except (AgendaError, PermanenceError) as exc:
            self.message.setText(str(exc))
            return
        for proposal in proposals:
            item = QStandardItem(phrase_slot(proposal, agenda.zone, moment))
            item.setData(proposal, PROPOSAL_ROLE)
            self.model.appendRow(item)
        self.sentence.setText(phrase_proposals(proposals, agenda.zone, moment))
        if proposals:
            self.proposals.setCurrentIndex(self.model.index(0, 0))

    def book_selected(self) -> AppointmentInfo | None:
        index = self.proposals.currentIndex()
        proposal: Any = index.data(PROPOSAL_ROLE) if index.isValid() else None
        if proposal is None or self._practitioner is None:
            self.message.setText("Choisissez un créneau dans la liste.")
            return None
        kind = self._types[self.type_box.currentIndex()]
        try:
            appointment = self._ws.bookings.book(
                self._practitioner.id,
                kind.id,
                proposal.start,
                proposal.end,
                caller_id=self.caller_id,
                call_id=self.call_id,
                booked_by=self._ws.secretary,
            )
        except PermanenceError as exc:
            self.message.setText(exc.message)
            self.refresh()
            return None
        said = phrase_slot(proposal, ZoneInfo(self._practitioner.timezone), datetime.now(UTC))
        self.booked.emit(appointment, f"{kind.name} {said}")
        return appointment

    def _on_activated(self, _index: QModelIndex) -> None:
        self.book_selected()
