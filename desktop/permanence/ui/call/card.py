"""The call card: pick up in the practice's name, know the caller, keep consignes at hand,
assess the motif, and close the call with its outcome.

Every change is saved as a draft (debounced a few hundred ms) so a crash loses nothing.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from permanence.core.errors import PermanenceError
from permanence.core.practices import PracticeInfo, PractitionerInfo
from permanence.ui.call.caller_box import CallerBox
from permanence.ui.call.outcome import OutcomeBar
from permanence.ui.consignes import ConsignesPanel

if TYPE_CHECKING:
    from permanence.core.calls.values import CallInfo
    from permanence.core.workspace import Workspace
    from permanence.ui.call.deescalation import DeescalationPanel
    from permanence.ui.call.slots import SlotsPanel
    from permanence.ui.messages import MessageForm

DRAFT_DELAY_MS = 300


class CallCard(QWidget):
    """One call at a time; `closed` carries the stored CallInfo."""

    #: the call was closed with an outcome (CallInfo).
    closed = Signal(object)
    #: the practice/practitioner in focus changed (practice id, practitioner id or None).
    context_changed = Signal(int, object)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._practices: list[PracticeInfo] = []
        self.call_id: int | None = None
        self._started = 0.0
        self._loading = False
        self._triage_state: dict[str, Any] = {}
        self.deescalation: DeescalationPanel | None = None
        self.slots: SlotsPanel | None = None
        self.message_form: MessageForm | None = None
        self._build_widgets()
        self._build_layout()
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._on_tick)
        self._connect()

    # -- public --------------------------------------------------------------------------
    @property
    def practice(self) -> PracticeInfo | None:
        index = self.practice_box.currentIndex()
        return self._practices[index] if 0 <= index < len(self._practices) else None

    @property
    def practitioner(self) -> PractitionerInfo | None:
        practice = self.practice
        doctor_id = self.practitioner_box.currentData()
        return practice.practitioner(doctor_id) if practice and doctor_id else None

    def start(self, *, to_number: str = "", from_number: str = "") -> None:
        """Pick up: a new draft call, practice chosen by the dialed number when known."""
        call = self._ws.calls.start(to_number=to_number, from_number=from_number)
        self._load(call)
        if call.practice_id is None:
            self.practice_box.setFocus(Qt.FocusReason.OtherFocusReason)
            self.practice_edit.selectAll()
            self.status.setText("Numéro appelé inconnu : choisissez le cabinet.")
        else:
            self.caller_box.number_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def resume(self, call: CallInfo) -> None:
        """Reopen a draft (after a crash or a lock)."""
        self._load(call)
        self.status.setText("Appel en cours récupéré : vérifiez-le puis closez-le.")

    def save_draft(self) -> None:
        if self.call_id is None or self._loading:
            return
        practice, doctor = self.practice, self.practitioner
        changes: dict[str, Any] = {
            "practice_id": practice.id if practice else None,
            "practitioner_id": doctor.id if doctor else None,
            "caller_id": self.caller_box.caller.id if self.caller_box.caller else None,
            "from_number": self.caller_box.number_edit.text(),
            "reason": self.motif_text(),
            "notes": self.notes.toPlainText(),
            "tension": self.tension,
            **self._triage_state,
        }
        try:
            self._ws.calls.update(self.call_id, **changes)
        except PermanenceError as exc:
            self.status.setText(exc.message)

    def close_call(self) -> bool:
        """Close with the chosen outcome; refused (with a message) when none is chosen."""
        if self.call_id is None:
            return False
        outcome = self.outcome_bar.outcome
        if outcome is None:
            self.status.setText(
                "Choisissez l'issue de l'appel (Ctrl+1 à Ctrl+7) avant de le clore."
            )
            # Not a modal box: she is on the phone; the message stays in view and the focus
            # goes to the outcomes.
            self.outcome_bar.buttons["rdv"].setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        self._draft_timer.stop()
        self.save_draft()
        try:
            call = self._ws.calls.close(self.call_id, outcome)
        except PermanenceError as exc:
            self.status.setText(exc.message)
            return False
        self._clock.stop()
        self.call_id = None
        self.closed.emit(call)
        return True

    def motif_text(self) -> str:
        return self.triage.motif()

    @property
    def tension(self) -> bool:
        return bool(self._tension)

    def toggle_message(self) -> None:
        """F7: the message form replaces the consignes, prefilled from the call."""
        if self.message_form is not None and self.right.currentWidget() is self.message_form:
            self.right.setCurrentWidget(self.consignes)
            return
        practice = self.practice
        if practice is None:
            self.status.setText("Choisissez d'abord le cabinet appelé.")
            return
        if self.message_form is None:
            from permanence.ui.messages import MessageForm

            self.message_form = MessageForm(self._ws)
            self.message_form.saved.connect(self._on_message_saved)
            self.message_form.cancelled.connect(lambda: self.right.setCurrentWidget(self.consignes))
            self.right.addWidget(self.message_form)
        self.save_draft()
        level = self.triage.effective_level
        self.message_form.start(
            practice=practice,
            practitioner=self.practitioner,
            caller=self.caller_box.caller,
            callback_number=self.caller_box.number_edit.text(),
            reason=self.motif_text(),
            triage_level=str(level) if level is not None else None,
            call_id=self.call_id,
        )
        self.right.setCurrentWidget(self.message_form)

    def _on_message_saved(self, message: Any) -> None:
        self.outcome_bar.set_outcome("message")
        state = "confirmé par l'appelant" if message.confirmed else "non relu"
        self.status.setText(f"Message enregistré ({state}). Ctrl+Entrée pour clore l'appel.")
        self._schedule_draft()

    def toggle_slots(self) -> None:
        """F6: slot proposals replace the consignes (and back); never for a vital case."""
        if self.slots is not None and self.right.currentWidget() is self.slots:
            self.right.setCurrentWidget(self.consignes)
            return
        if not self.triage.booking_allowed:
            self.status.setText(
                "Urgence vitale : ne pas prendre de rendez-vous, faire appeler le 15."
            )
            return
        if self.slots is None:
            from permanence.ui.call.slots import SlotsPanel

            self.slots = SlotsPanel(self._ws)
            self.slots.booked.connect(self._on_booked)
            self.right.addWidget(self.slots)
        level = self.triage.effective_level
        assessment = self.triage.assessment
        self.slots.caller_id = self.caller_box.caller.id if self.caller_box.caller else None
        self.slots.call_id = self.call_id
        self.slots.set_context(
            self.practitioner,
            str(level) if level is not None else None,
            type_hint=(assessment.appointment_type or "") if assessment else "",
        )
        self.right.setCurrentWidget(self.slots)
        self.slots.proposals.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def toggle_deescalation(self) -> None:
        """F9: the de-escalation aid replaces the consignes (and back); flags the call."""
        if self.deescalation is None:
            from permanence.ui.call.deescalation import DeescalationPanel

            try:
                self.deescalation = DeescalationPanel()
            except PermanenceError as exc:
                self.status.setText(exc.message)
                return
            self.deescalation.solution_chosen.connect(self._on_solution)
            self.deescalation.promise_made.connect(self._on_promise)
            self.right.addWidget(self.deescalation)
        if self.right.currentWidget() is self.deescalation:
            self.right.setCurrentWidget(self.consignes)
            return
        self.right.setCurrentWidget(self.deescalation)
        self.set_tension(True)
        self.deescalation.promise_text.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def set_tension(self, on: bool) -> None:
        self._tension = on
        self.tension_label.setVisible(on)
        self._schedule_draft()

    # -- loading ---------------------------------------------------------------------------
    def _load(self, call: CallInfo) -> None:
        self._loading = True
        try:
            self.call_id = call.id
            self._practices = self._ws.practices.list()
            self.practice_box.clear()
            for practice in self._practices:
                self.practice_box.addItem(practice.name, practice.id)
            index = next((i for i, p in enumerate(self._practices) if p.id == call.practice_id), -1)
            self.practice_box.setCurrentIndex(index)
            if index < 0:
                self.practice_box.setEditText("")
            self._fill_practitioners(call.practitioner_id)
            self.caller_box.set_workspace(self._ws, tuple(p.id for p in self._practices))
            self.caller_box.reset(call.from_number)
            if call.caller_id is not None:
                self.caller_box.choose(self._ws.callers.get(call.caller_id))
            self._triage_state = {
                "triage_level": call.triage_level,
                "triage_rule": call.triage_rule,
                "triage_override_level": call.triage_override_level,
                "triage_override_reason": call.triage_override_reason,
            }
            self.triage.set_motif(call.reason)
            self.notes.setPlainText(call.notes)
            self.outcome_bar.set_outcome(None)
            self._tension = call.tension
            self.tension_label.setVisible(call.tension)
            self.right.setCurrentWidget(self.consignes)
            if self.deescalation is not None:
                self.deescalation.reset()
            self.status.clear()
            self._started = time.monotonic() - (datetime.now(UTC) - call.started_at).total_seconds()
        finally:
            self._loading = False
        self._on_tick()
        self._clock.start()
        self._show_practice()

    def _fill_practitioners(self, selected: int | None = None) -> None:
        self.practitioner_box.blockSignals(True)
        self.practitioner_box.clear()
        self.practitioner_box.addItem("Le cabinet", None)
        practice = self.practice
        for doctor in practice.practitioners if practice else ():
            self.practitioner_box.addItem(doctor.display_name, doctor.id)
        index = self.practitioner_box.findData(selected) if selected else 0
        self.practitioner_box.setCurrentIndex(max(index, 0))
        self.practitioner_box.blockSignals(False)

    # -- slots ---------------------------------------------------------------------------
    def _on_practice_changed(self, _index: int) -> None:
        if self._loading:
            return
        self._fill_practitioners()
        self._show_practice()
        self._schedule_draft()

    def _on_practitioner_changed(self, _index: int) -> None:
        if self._loading:
            return
        self._show_practice()
        self._schedule_draft()

    def _on_practice_typed(self) -> None:
        """Type-ahead: "dentaire" + Entrée chooses the practice whose name contains it."""
        from permanence.core.text import fold

        words = fold(self.practice_box.currentText()).split()
        if not words:
            return
        for index, practice in enumerate(self._practices):
            haystack = fold(f"{practice.name} {practice.kind_label}")
            if all(word in haystack for word in words):
                if index != self.practice_box.currentIndex():
                    self.practice_box.setCurrentIndex(index)
                else:
                    self.practice_box.setEditText(practice.name)
                self.status.clear()
                self.caller_box.number_edit.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        self.status.setText("Aucun cabinet ne correspond : vérifiez le nom.")

    def _on_assessment(self, assessment: object) -> None:
        level = getattr(assessment, "level", None)
        rule = getattr(assessment, "rule", None)
        self._triage_state["triage_level"] = str(level) if level is not None else None
        self._triage_state["triage_rule"] = getattr(rule, "id", "") or ""
        if str(level) in ("vital", "urgent"):
            self._show_practice(first="urgences")
        self._schedule_draft()

    def _on_triage_override(self, level: str, reason: str) -> None:
        self._triage_state["triage_override_level"] = level or None
        self._triage_state["triage_override_reason"] = reason
        self._schedule_draft()

    def _on_booked(self, appointment: Any, said: str) -> None:
        self.outcome_bar.set_outcome("rdv")
        note = f"RDV pris : {said}."
        self.notes.setPlainText((self.notes.toPlainText() + "\n" + note).strip())
        self.status.setText(f"{note} Ctrl+Entrée pour clore l'appel.")
        self.right.setCurrentWidget(self.consignes)
        self._schedule_draft()

    def _on_solution(self, solution: Any) -> None:
        """A quick solution from the aid: sets the outcome and what follows from it."""
        self.outcome_bar.set_outcome(solution.outcome)
        if solution.action == "slot":
            self.toggle_slots()
        elif solution.action == "message":
            self.toggle_message()
        elif solution.action == "waitlist":
            self._add_to_waitlist()
        elif solution.action == "transfer":
            self.right.setCurrentWidget(self.consignes)
            self._show_practice(first="transferts")
        elif solution.follow_up and self.deescalation is not None:
            self.deescalation.promise_text.setText(solution.follow_up)
            self.deescalation.promise_due.setFocus(Qt.FocusReason.OtherFocusReason)
        self.status.setText(f"Solution choisie : {solution.label}.")
        self._schedule_draft()

    def _add_to_waitlist(self) -> None:
        """The aid's « liste d'attente »: the caller waits for an earlier slot."""
        doctor, caller = self.practitioner, self.caller_box.caller
        if doctor is None:
            self.status.setText("Liste d'attente : choisissez d'abord le praticien (« Pour : »).")
            return
        try:
            self._ws.waitlist.add(
                doctor.id,
                caller_id=caller.id if caller else None,
                notes=""
                if caller
                else f"{self.caller_box.number_edit.text()} — {self.motif_text()}",
                created_by=self._ws.secretary,
            )
        except PermanenceError as exc:
            self.status.setText(exc.message)
            return
        self.status.setText(
            f"Inscrit(e) sur la liste d'attente de {doctor.display_name} : "
            "un créneau libéré lui sera proposé."
        )

    def _on_promise(self, description: str, due_at: datetime) -> None:
        practice, doctor = self.practice, self.practitioner
        caller = self.caller_box.caller
        try:
            self.save_draft()
            self._ws.followups.create(
                description,
                due_at,
                kind="promesse",
                call_id=self.call_id,
                practice_id=practice.id if practice else None,
                practitioner_id=doctor.id if doctor else None,
                caller_id=caller.id if caller else None,
                created_by=self._ws.secretary,
            )
        except PermanenceError as exc:
            self.status.setText(exc.message)
            return
        if self.deescalation is not None:
            self.deescalation.add_tracked(description, due_at)
            self.deescalation.promise_text.clear()
            self.deescalation.promise_due.clear()
        self.status.setText("Promesse enregistrée : elle apparaît dans les rappels à faire.")

    def _on_tick(self) -> None:
        seconds = int(time.monotonic() - self._started) if self.call_id else 0
        self.timer_label.setText(f"{seconds // 60:02d}:{seconds % 60:02d}")

    def _on_show_transfers(self) -> None:
        self._show_practice(first="transferts")

    def _schedule_draft(self) -> None:
        if not self._loading and self.call_id is not None:
            self._draft_timer.start()

    # -- display ---------------------------------------------------------------------------
    def _show_practice(self, first: str | None = None) -> None:
        practice, doctor = self.practice, self.practitioner
        if practice is None:
            self.greeting.setText("Choisissez le cabinet (tapez son nom)…")
            self.consignes.clear()
            return
        self.greeting.setText(f"« {practice.greeting} »")
        consignes = self._ws.consignes.current(practice.id, doctor.id if doctor else None)
        absence = self._ws.agenda.absence_at(doctor.id, datetime.now(UTC)) if doctor else None
        self.consignes.show_consignes(practice, doctor, consignes, absence, first=first)
        if first is None:
            self.triage.set_context(
                doctor.kind if doctor else practice.kind,
                consignes.section("urgences").body if doctor else "",
            )
        self.context_changed.emit(practice.id, doctor.id if doctor else None)

    # -- construction --------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.practice_box = QComboBox()
        self.practice_box.setEditable(True)
        self.practice_edit = QLineEdit()
        self.practice_edit.setAccessibleName("Cabinet appelé (saisie)")
        self.practice_box.setLineEdit(self.practice_edit)
        self.practice_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.practice_box.setAccessibleName("Cabinet appelé")
        completer = QCompleter(self.practice_box.model(), self.practice_box)
        self.practice_box.setCompleter(completer)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.practitioner_box = QComboBox()
        self.practitioner_box.setAccessibleName("Praticien concerné")
        self.timer_label = QLabel("00:00")
        self.timer_label.setObjectName("callTimer")
        self.timer_label.setAccessibleName("Durée de l'appel")
        font = self.timer_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.timer_label.setFont(font)
        self.greeting = QLabel()
        self.greeting.setObjectName("callGreeting")
        self.greeting.setWordWrap(True)
        self.greeting.setAccessibleName("Formule d'accueil à prononcer")
        font = self.greeting.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.greeting.setFont(font)
        self.tension_label = QLabel("Appelant mécontent")
        self.tension_label.setObjectName("tensionFlag")
        self.tension_label.setStyleSheet(
            "#tensionFlag { background: #7c2d12; color: white; padding: 2px 8px;"
            " border-radius: 3px; font-weight: 600; }"
        )
        self.tension_label.hide()
        self._tension = False
        self.caller_box = CallerBox()
        from permanence.ui.triage import TriagePanel

        self.triage = TriagePanel()
        self.motif = self.triage.motif_edit
        # The practice kind comes from the call; its row would only take room here.
        outer = self.triage.layout()
        first = outer.itemAt(0) if outer is not None else None
        form = first.layout() if first is not None else None
        if isinstance(form, QFormLayout):
            form.setRowVisible(self.triage.kind_box, False)
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Notes sur l'appel")
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText("Notes sur l'appel (facultatif)")
        self.notes.setMaximumHeight(46)
        self.outcome_bar = OutcomeBar()
        self.close_button = QPushButton("Clore l'appel (Ctrl+Entrée) — issue : Ctrl+1 à Ctrl+7")
        self.close_button.setAccessibleName("Clore l'appel")
        self.status = QLabel()
        self.status.setObjectName("callStatus")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("#callStatus { color: #9a3412; font-weight: 600; }")
        self.consignes = ConsignesPanel()
        self.consignes.greeting.hide()
        self.consignes.columns = 1

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        practice_label = QLabel("Ca&binet :")
        practice_label.setBuddy(self.practice_box)
        doctor_label = QLabel("&Pour :")
        doctor_label.setBuddy(self.practitioner_box)
        top.addWidget(practice_label)
        top.addWidget(self.practice_box, 3)
        top.addWidget(doctor_label)
        top.addWidget(self.practitioner_box, 2)
        top.addWidget(self.tension_label)
        top.addStretch(1)
        top.addWidget(self.timer_label)
        self.motif_box = QGroupBox("Motif et urgence")
        motif_layout = QVBoxLayout(self.motif_box)
        motif_layout.setContentsMargins(4, 4, 4, 4)
        motif_layout.addWidget(self.triage)
        self.middle = QWidget()
        middle = QVBoxLayout(self.middle)
        middle.setContentsMargins(0, 0, 0, 0)
        middle.addWidget(self.motif_box, 1)
        middle.addWidget(self.notes)
        middle.addWidget(self.outcome_bar)
        middle.addWidget(self.close_button)
        middle.addWidget(self.status)
        columns = QSplitter()
        columns.addWidget(self.caller_box)
        columns.addWidget(self.middle)
        self.right = QStackedWidget()
        self.right.addWidget(self.consignes)
        columns.addWidget(self.right)
        columns.setSizes([400, 480, 470])
        columns.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.greeting)
        layout.addWidget(columns, 1)

    def _connect(self) -> None:
        self.practice_box.currentIndexChanged.connect(self._on_practice_changed)
        self.practice_edit.returnPressed.connect(self._on_practice_typed)
        self.practitioner_box.currentIndexChanged.connect(self._on_practitioner_changed)
        self.caller_box.caller_changed.connect(lambda _c: self._schedule_draft())
        self.caller_box.number_changed.connect(lambda _t: self._schedule_draft())
        self.motif.textChanged.connect(self._schedule_draft)
        self.triage.assessmentChanged.connect(self._on_assessment)
        self.triage.overrideChosen.connect(self._on_triage_override)
        self.notes.textChanged.connect(self._schedule_draft)
        self.outcome_bar.outcome_changed.connect(lambda _k: self._schedule_draft())
        self.close_button.clicked.connect(self.close_call)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.close_call)
        message = QShortcut(QKeySequence("F7"), self)
        message.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        message.activated.connect(self.toggle_message)
        slots = QShortcut(QKeySequence("F6"), self)
        slots.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        slots.activated.connect(self.toggle_slots)
        aid = QShortcut(QKeySequence("F9"), self)
        aid.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        aid.activated.connect(self.toggle_deescalation)
        transfers = QShortcut(QKeySequence("F8"), self)
        transfers.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        transfers.activated.connect(self._on_show_transfers)
