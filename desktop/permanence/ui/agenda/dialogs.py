"""Opening an appointment: move it, cancel it and offer the freed slot to the waiting list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from permanence.core.agenda import AgendaError, AppointmentType, parse_preferences
from permanence.core.agenda.phrasing import phrase_slot
from permanence.core.agenda.request import propose_for_request
from permanence.core.errors import PermanenceError
from permanence.ui.format import format_day_time

if TYPE_CHECKING:
    from permanence.core.agenda.store import AppointmentInfo
    from permanence.core.agenda.waitlist import WaitlistInfo
    from permanence.core.workspace import Workspace

DATA_ROLE = Qt.ItemDataRole.UserRole + 1
MOVE_HORIZON_DAYS = 35
ERROR_STYLE = "color: #b3261e; font-weight: 600;"


def _confirm(parent: QWidget, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        "Annuler le rendez-vous",
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def candidate_text(entry: WaitlistInfo, zone: ZoneInfo) -> str:
    parts = [entry.label]
    if entry.type_name:
        parts.append(entry.type_name)
    if entry.preferences:
        parts.append(f"« {entry.preferences} »")
    if entry.current_start is not None:
        parts.append(f"a déjà RDV {format_day_time(entry.current_start, zone)}")
    if entry.notes:
        parts.append(entry.notes)
    return " · ".join(parts)


class AppointmentDialog(QDialog):
    """One appointment: Déplacer… (proposals, Entrée moves), Annuler le rendez-vous, then
    the waiting callers who can take the freed slot ("Proposer à …" marks them served)."""

    changed = Signal(object)  # AppointmentInfo after a move or a cancellation
    waitlist_requested = Signal(object)  # AppointmentInfo

    def __init__(
        self,
        workspace: Workspace,
        appointment: AppointmentInfo,
        zone: ZoneInfo,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.appointment = appointment
        self._zone = zone
        self.confirm: Callable[[str], bool] = lambda text: _confirm(self, text)
        self.setWindowTitle("Rendez-vous")
        self.setAccessibleName("Rendez-vous")
        self.summary = QLabel(self._summary())
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.summary.setAccessibleName("Détails du rendez-vous")
        self.move_button = QPushButton("&Déplacer…")
        self.cancel_button = QPushButton("&Annuler le rendez-vous")
        self.waitlist_button = QPushButton("Inscrire sur la &liste d'attente…")
        self.close_button = QPushButton("&Fermer")
        buttons = QHBoxLayout()
        for button in (self.move_button, self.cancel_button, self.waitlist_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        # Moving: proposals for the same motif.
        self.proposals_label = QLabel("&Créneaux pour déplacer (Entrée pour choisir) :")
        self.proposals_model = QStandardItemModel(self)
        self.proposals = QListView()
        self.proposals.setModel(self.proposals_model)
        self.proposals.setAccessibleName("Créneaux pour déplacer le rendez-vous")
        self.proposals.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.proposals_label.setBuddy(self.proposals)
        self.move_here = QPushButton("Déplacer &ici")
        # After a cancellation: the waiting list.
        self.candidates_label = QLabel("Liste d'attente — qui peut prendre ce créneau :")
        self.candidates_model = QStandardItemModel(self)
        self.candidates = QListView()
        self.candidates.setModel(self.candidates_model)
        self.candidates.setAccessibleName("Personnes en liste d'attente pour ce créneau")
        self.candidates.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.candidates_label.setBuddy(self.candidates)
        self.offer_button = QPushButton("&Proposer à la personne choisie (servie)")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        for widget in (
            self.proposals_label,
            self.proposals,
            self.move_here,
            self.candidates_label,
            self.candidates,
            self.offer_button,
        ):
            layout.addWidget(widget)
            widget.hide()
        layout.addWidget(self.message)
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)  # Entrée in a list must not also press a button
        self.setMinimumWidth(640)
        self.move_button.clicked.connect(self._on_move_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.waitlist_button.clicked.connect(self._on_waitlist_clicked)
        self.close_button.clicked.connect(self.accept)
        self.move_here.clicked.connect(self._on_move_here)
        self.proposals.activated.connect(lambda _i: self._on_move_here())
        self.offer_button.clicked.connect(self._on_offer)
        self.candidates.activated.connect(lambda _i: self._on_offer())
        self.candidates.selectionModel().currentChanged.connect(
            lambda _c, _p: self._update_offer_label()
        )
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.reject)

    def _summary(self) -> str:
        a = self.appointment
        lines = [
            f"<b>{format_day_time(a.starts_at, self._zone)}</b>, "
            f"{int((a.ends_at - a.starts_at).total_seconds() // 60)} min",
            f"Appelant : {a.caller_name or 'non renseigné'}"
            + (f" — {', '.join(a.caller_phones)}" if a.caller_phones else ""),
            f"Motif : {a.type_name or 'non renseigné'}",
        ]
        if a.status != "booked":
            lines.append("<b>Annulé</b>")
        if a.notes:
            lines.append("Notes : " + a.notes.replace("\n", " ; "))
        return "<br>".join(lines)

    def _error(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)

    def _info(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)

    # -- moving ----------------------------------------------------------------------------
    def _kind(self) -> AppointmentType:
        minutes = self.appointment.ends_at - self.appointment.starts_at
        for info in self._ws.bookings.appointment_types(self.appointment.practitioner_id):
            if info.id == self.appointment.appointment_type_id:
                return info.model
        return AppointmentType(self.appointment.type_name or "Rendez-vous", minutes)

    def show_proposals(self, now: datetime | None = None) -> None:
        moment = now or datetime.now(UTC)
        self.proposals_model.clear()
        try:
            agenda = self._ws.bookings.agenda(
                self.appointment.practitioner_id,
                since=moment,
                until=moment + timedelta(days=MOVE_HORIZON_DAYS),
            )
            found = propose_for_request(agenda, self._kind(), now=moment, count=5)
        except (AgendaError, PermanenceError) as exc:
            self._error(str(exc))
            return
        for proposal in found:
            item = QStandardItem(phrase_slot(proposal, self._zone, moment))
            item.setData(proposal.start, DATA_ROLE)
            self.proposals_model.appendRow(item)
        for widget in (self.proposals_label, self.proposals, self.move_here):
            widget.show()
        self.move_here.setEnabled(bool(found))
        self.adjustSize()
        if found:
            self.proposals.setCurrentIndex(self.proposals_model.index(0, 0))
            self.proposals.setFocus()
            self._info("Choisissez le nouveau créneau, puis Entrée.")
        else:
            self._error("Aucun créneau libre pour ce motif dans les cinq semaines.")

    def move_to(self, start: datetime) -> bool:
        try:
            moved = self._ws.bookings.move(self.appointment.id, start, by=self._ws.secretary)
        except PermanenceError as exc:
            self._error(exc.message)
            return False
        self.appointment = moved
        self.summary.setText(self._summary())
        self._info(f"Rendez-vous déplacé au {format_day_time(moved.starts_at, self._zone)}.")
        # Kept visible (emptied): hiding the focused list would hand Entrée to a button.
        self.proposals_model.clear()
        self.move_here.setEnabled(False)
        self.changed.emit(moved)
        return True

    def _on_move_clicked(self) -> None:
        self.show_proposals()

    def _on_move_here(self) -> None:
        index = self.proposals.currentIndex()
        start: Any = index.data(DATA_ROLE) if index.isValid() else None
        if start is None:
            self._error("Choisissez un créneau dans la liste.")
            return
        self.move_to(start)

    # -- cancelling and the waiting list -----------------------------------------------------
    def cancel_appointment(self) -> bool:
        """Ask, cancel, then list the waiting callers who can take the freed slot."""
        question = (
            f"Annuler le rendez-vous de {self.appointment.caller_name or 'cet appelant'} "
            f"({format_day_time(self.appointment.starts_at, self._zone)}) ?"
        )
        if not self.confirm(question):
            return False
        try:
            cancelled = self._ws.bookings.cancel(self.appointment.id, by=self._ws.secretary)
        except PermanenceError as exc:
            self._error(exc.message)
            return False
        self.appointment = cancelled
        self.summary.setText(self._summary())
        self.move_button.setEnabled(False)
        self.cancel_button.setEnabled(False)
        self.changed.emit(cancelled)
        self.show_candidates()
        return True

    def show_candidates(self) -> None:
        a = self.appointment
        try:
            found = self._ws.waitlist.candidates_for(
                a.practitioner_id, a.starts_at, a.ends_at, a.appointment_type_id
            )
        except PermanenceError as exc:
            self._error(exc.message)
            return
        self.candidates_model.clear()
        for entry in found:
            item = QStandardItem(candidate_text(entry, self._zone))
            item.setData(entry, DATA_ROLE)
            self.candidates_model.appendRow(item)
        for widget in (self.candidates_label, self.candidates, self.offer_button):
            widget.show()
        self.adjustSize()
        if found:
            self.candidates.setCurrentIndex(self.candidates_model.index(0, 0))
            self.candidates.setFocus()
            self._info(
                f"Rendez-vous annulé. {len(found)} personne(s) en liste d'attente peuvent "
                "prendre ce créneau : appelez-les dans l'ordre."
            )
        else:
            self._info("Rendez-vous annulé. Personne en liste d'attente ne convient à ce créneau.")
        self._update_offer_label()

    def _update_offer_label(self) -> None:
        index = self.candidates.currentIndex()
        entry: Any = index.data(DATA_ROLE) if index.isValid() else None
        self.offer_button.setEnabled(entry is not None)
        name = entry.caller_name if entry is not None and entry.caller_name else "la personne"
        self.offer_button.setText(f"&Proposer à {name} (la retirer de la liste)")

    def _on_offer(self) -> None:
        index = self.candidates.currentIndex()
        entry: Any = index.data(DATA_ROLE) if index.isValid() else None
        if entry is None:
            return
        try:
            self._ws.waitlist.serve(entry.id)
        except PermanenceError as exc:
            self._error(exc.message)
            return
        self.candidates_model.removeRow(index.row())
        self._info(
            f"{entry.caller_name or 'La personne'} est retirée de la liste d'attente : "
            "réservez-lui le créneau depuis sa fiche d'appel."
        )
        self._update_offer_label()

    def _on_cancel_clicked(self) -> None:
        self.cancel_appointment()

    def _on_waitlist_clicked(self) -> None:
        self.waitlist_requested.emit(self.appointment)


class WaitlistDialog(QDialog):
    """Inscrire sur la liste d'attente: practitioner, motif, preferences (read back), notes."""

    added = Signal(object)  # WaitlistInfo

    def __init__(
        self,
        workspace: Workspace,
        practitioners: list[tuple[int, str]],
        *,
        appointment: AppointmentInfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._appointment = appointment
        self.setWindowTitle("Inscrire sur la liste d'attente")
        self.setAccessibleName("Inscrire sur la liste d'attente")
        caller = appointment.caller_name if appointment and appointment.caller_name else ""
        self.caller = QLabel(caller or "non renseigné : notez son nom et son numéro")
        self.caller.setAccessibleName("Appelant")
        self.practitioner = QComboBox()
        self.practitioner.setAccessibleName("Praticien")
        for pid, name in practitioners:
            self.practitioner.addItem(name, pid)
        if appointment is not None:
            self.practitioner.setCurrentIndex(
                max(0, self.practitioner.findData(appointment.practitioner_id))
            )
        self.kind = QComboBox()
        self.kind.setAccessibleName("Motif de rendez-vous")
        self.preferences = QLineEdit()
        self.preferences.setAccessibleName("Préférences")
        self.preferences.setPlaceholderText("ex. : le matin, pas le lundi, pas avant 17 h")
        self.understood = QLabel()
        self.understood.setWordWrap(True)
        self.notes = QLineEdit()
        self.notes.setAccessibleName("Notes")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        form = QFormLayout()
        form.addRow("Appelant :", self.caller)
        form.addRow("&Praticien :", self.practitioner)
        form.addRow("&Motif :", self.kind)
        form.addRow("P&références :", self.preferences)
        form.addRow("", self.understood)
        form.addRow("&Notes :", self.notes)
        self.save_button = QPushButton("&Inscrire")
        self.save_button.setDefault(True)
        cancel = QPushButton("Fermer")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)
        self.practitioner.currentIndexChanged.connect(lambda _i: self._on_practitioner_changed())
        self.preferences.textChanged.connect(self._on_preferences_changed)
        self.save_button.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)
        self._on_practitioner_changed()

    def _on_practitioner_changed(self) -> None:
        self.kind.clear()
        self.kind.addItem("Tout motif", None)
        pid = self.practitioner.currentData()
        if pid is None:
            return
        for info in self._ws.bookings.appointment_types(pid):
            self.kind.addItem(f"{info.name} · {info.duration_min} min", info.id)
        if self._appointment is not None:
            self.kind.setCurrentIndex(
                max(0, self.kind.findData(self._appointment.appointment_type_id))
            )

    def _on_preferences_changed(self, text: str) -> None:
        if not text.strip():
            self.understood.clear()
            return
        try:
            wishes = parse_preferences(text, today=datetime.now(UTC).date())
        except AgendaError as exc:
            self.understood.setText(str(exc))
            return
        extra = f" — non compris : {', '.join(wishes.unparsed)}" if wishes.unparsed else ""
        self.understood.setText(f"Compris : {wishes.describe()}{extra}")
        self.adjustSize()

    def save(self) -> WaitlistInfo | None:
        pid = self.practitioner.currentData()
        if pid is None:
            self.message.setText("Choisissez le praticien.")
            return None
        a = self._appointment
        held = a is not None and a.practitioner_id == pid and a.status == "booked"
        try:
            entry = self._ws.waitlist.add(
                pid,
                caller_id=a.caller_id if a is not None else None,
                appointment_type_id=self.kind.currentData(),
                appointment_id=a.id if a is not None and held else None,
                preferences=self.preferences.text(),
                notes=self.notes.text(),
                created_by=self._ws.secretary,
            )
        except PermanenceError as exc:
            self.message.setText(exc.message)
            return None
        self.added.emit(entry)
        self.accept()
        return entry
