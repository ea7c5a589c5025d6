"""The message form and its readback step ("reformulation").

Page 1 is the form, prefilled from the call (`start`); Ctrl+Maj+Entrée generates the text
she reads aloud (page 2). The caller's answer: confirmed (Ctrl+O, saved as confirmed), a
correction (Ctrl+M, back to the form; the next readback lists the changes and needs a new
confirmation) or no confirmation at all with a reason (Ctrl+Maj+S). Errors of the service are
shown in French and the form keeps everything typed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt, QTime, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTextBrowser,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from permanence.core.agenda.french import format_time
from permanence.core.errors import PermanenceError
from permanence.core.messages import MessageDraft, MessageInfo, changes, readback_text, validate
from permanence.core.phone import parse_phone
from permanence.core.spelling import spell
from permanence.core.triage import parse_level

if TYPE_CHECKING:
    from permanence.core.callers.values import CallerInfo
    from permanence.core.practices.values import PracticeInfo, PractitionerInfo
    from permanence.core.workspace import Workspace

DEFAULT_TZ = "Europe/Paris"
CIVILITY_CHOICES = ("—", "Madame", "Monsieur")
DAY_CHOICES = ("dès que possible", "aujourd'hui", "demain", "à une date")
UNCONFIRMED_REASONS = (
    "",
    "L'appelant a raccroché",
    "Communication coupée",
    "L'appelant n'avait pas le temps",
)
ERROR_STYLE = "color: #b3261e;"
HINT_STYLE = "color: palette(placeholder-text);"
NOTICE_STYLE = "color: #8a4b00; font-weight: bold;"

REFORMULATE_KEYS = ("Ctrl+Shift+Return", "Ctrl+Shift+Enter")
CONFIRM_KEY = "Ctrl+O"
CORRECT_KEY = "Ctrl+M"
UNCONFIRMED_KEY = "Ctrl+Shift+S"


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _hint() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    label.hide()
    return label


class MessageForm(QWidget):
    """Take a message during a call: `start(...)`, then readback and the caller's answer."""

    #: a message was saved, or corrected and confirmed again (the latest MessageInfo).
    saved = Signal(object)
    #: she gave up this message ("Annuler").
    cancelled = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        #: the clock (tests replace it).
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)
        self._practice: PracticeInfo | None = None
        self._caller_id: int | None = None
        self._call_id: int | None = None
        self._triage_level: str | None = None
        self._read_draft: MessageDraft | None = None  # what was last read to the caller
        self._pending: MessageDraft | None = None  # shown on the readback page
        self._readback = ""
        self._message: MessageInfo | None = None  # once saved
        self._filling = False
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_form_page())
        self.stack.addWidget(self._build_readback_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.stack)
        self._connect()
        self._shortcuts()

    # -- building ----------------------------------------------------------------------------
    def _build_form_page(self) -> QWidget:
        self.who_box = QComboBox()
        self.who_box.addItems(["le patient lui-même", "un tiers pour le patient"])
        self.who_box.setAccessibleName("Qui appelle")
        self.civility_box = QComboBox()
        self.civility_box.addItems(CIVILITY_CHOICES)
        self.civility_box.setAccessibleName("Civilité de l'appelant")
        self.last_name_edit = QLineEdit()
        self.last_name_edit.setAccessibleName("Nom de l'appelant")
        self.spelling_label = _hint()
        self.spelling_label.setAccessibleName("Épellation du nom")
        self.first_name_edit = QLineEdit()
        self.first_name_edit.setAccessibleName("Prénom de l'appelant")
        self.patient_last_edit = QLineEdit()
        self.patient_last_edit.setAccessibleName("Nom du patient")
        self.patient_first_edit = QLineEdit()
        self.patient_first_edit.setAccessibleName("Prénom du patient")
        self.relation_edit = QLineEdit()
        self.relation_edit.setAccessibleName("Lien de l'appelant avec le patient")
        self.relation_edit.setPlaceholderText("sa fille, votre mère, l'EHPAD…")
        self.number_edit = QLineEdit()
        self.number_edit.setAccessibleName("Numéro de rappel")
        self.number_warning = _hint()
        self.number_warning.setAccessibleName("Avertissement sur le numéro")
        self.number2_edit = QLineEdit()
        self.number2_edit.setAccessibleName("Second numéro de rappel")
        self.practitioner_box = QComboBox()
        self.practitioner_box.setAccessibleName("Message pour")
        self.reason_edit = QLineEdit()
        self.reason_edit.setAccessibleName("Motif de l'appel")
        self.triage_label = QLabel()
        self.triage_label.setAccessibleName("Niveau de tri")
        self.body_edit = QPlainTextEdit()
        self.body_edit.setAccessibleName("Texte du message")
        self.body_edit.setTabChangesFocus(True)
        self.body_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.day_box = QComboBox()
        self.day_box.addItems(DAY_CHOICES)
        self.day_box.setAccessibleName("Jour du rappel")
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.setAccessibleName("Date du rappel")
        self.date_edit.setEnabled(False)
        self.after_check = QCheckBox("Pas &avant")
        self.after_check.setAccessibleName("Rappeler pas avant une heure")
        self.after_edit = QTimeEdit(QTime(12, 0))
        self.after_edit.setDisplayFormat("HH:mm")
        self.after_edit.setAccessibleName("Heure : pas avant")
        self.after_edit.setEnabled(False)
        self.before_check = QCheckBox("A&vant")
        self.before_check.setAccessibleName("Rappeler avant une heure")
        self.before_edit = QTimeEdit(QTime(14, 0))
        self.before_edit.setDisplayFormat("HH:mm")
        self.before_edit.setAccessibleName("Heure : avant")
        self.before_edit.setEnabled(False)
        self.urgent_check = QCheckBox("Ur&gent")
        self.urgent_check.setAccessibleName("Message urgent")
        self.private_check = QCheckBox("&Privé (texte pour le praticien seul)")
        self.private_check.setAccessibleName("Message privé")
        self.copy_box = QComboBox()
        self.copy_box.setAccessibleName("Copie à un autre praticien")
        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet(ERROR_STYLE)
        self.problems_label.setAccessibleName("Problèmes à corriger")
        self.form_status = _hint()
        self.reformulate_button = QPushButton("Reformuler (Ctrl+Maj+Entrée)")
        self.reformulate_button.setDefault(False)
        self.reformulate_button.setAccessibleName("Reformuler le message à l'appelant")
        self.cancel_button = QPushButton("Annuler")
        self.cancel_button.setAccessibleName("Abandonner ce message")

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(4)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_label("&Qui appelle", self.who_box), self.who_box)
        form.addRow(_label("&Civilité", self.civility_box), self.civility_box)
        form.addRow(_label("&Nom", self.last_name_edit), self.last_name_edit)
        form.addRow("", self.spelling_label)
        form.addRow(_label("P&rénom", self.first_name_edit), self.first_name_edit)
        self.patient_widgets: list[QWidget] = []
        for text, edit in (
            ("Nom du pa&tient", self.patient_last_edit),
            ("Prénom du pat&ient", self.patient_first_edit),
            ("&Lien avec le patient", self.relation_edit),
        ):
            label = _label(text, edit)
            form.addRow(label, edit)
            self.patient_widgets += [label, edit]
        form.addRow(_label("N&uméro de rappel", self.number_edit), self.number_edit)
        form.addRow("", self.number_warning)
        form.addRow(_label("&Second numéro", self.number2_edit), self.number2_edit)
        form.addRow(_label("P&our", self.practitioner_box), self.practitioner_box)
        form.addRow(_label("&Motif", self.reason_edit), self.reason_edit)
        form.addRow("", self.triage_label)
        form.addRow(_label("Te&xte", self.body_edit), self.body_edit)
        day_row = QHBoxLayout()
        day_row.addWidget(self.day_box, 1)
        day_row.addWidget(_label("&Date", self.date_edit))
        day_row.addWidget(self.date_edit)
        form.addRow(_label("&Jour du rappel", self.day_box), day_row)
        window = QHBoxLayout()
        for widget in (self.after_check, self.after_edit, self.before_check, self.before_edit):
            window.addWidget(widget)
        window.addStretch(1)
        form.addRow("Créneau", window)
        flags = QHBoxLayout()
        flags.addWidget(self.urgent_check)
        flags.addWidget(self.private_check)
        flags.addStretch(1)
        form.addRow("Signaler", flags)
        form.addRow(_label("Copi&e à", self.copy_box), self.copy_box)

        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(4, 4, 4, 4)
        inner_layout.addLayout(form)
        inner_layout.addWidget(self.problems_label)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.reformulate_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("<b>Message</b>")
        layout.addWidget(title)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.form_status)
        layout.addLayout(buttons)
        self._set_patient_visible(False)
        return page

    def _build_readback_page(self) -> QWidget:
        self.changes_label = QLabel()
        self.changes_label.setWordWrap(True)
        self.changes_label.setAccessibleName("Corrections depuis la dernière lecture")
        self.changes_label.setTextFormat(Qt.TextFormat.PlainText)
        self.changes_label.setStyleSheet(NOTICE_STYLE)
        self.readback_view = QTextBrowser()
        self.readback_view.setAccessibleName("Texte à lire à l'appelant")
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 9.0) * 1.45)
        self.readback_view.setFont(font)
        self.answer_label = QLabel()
        self.answer_label.setWordWrap(True)
        self.answer_label.setAccessibleName("Réponse de l'appelant")
        self.confirm_button = QPushButton("C&onfirmé par l'appelant (Ctrl+O)")
        self.confirm_button.setAccessibleName("L'appelant confirme le message")
        self.correct_button = QPushButton("Co&rriger (Ctrl+M)")
        self.correct_button.setAccessibleName("L'appelant corrige : revenir au formulaire")
        self.reason_box = QComboBox()
        self.reason_box.setEditable(True)
        self.reason_box.addItems(UNCONFIRMED_REASONS)
        self.reason_box.setAccessibleName("Raison de l'absence de confirmation")
        self.unconfirmed_button = QPushButton("Enregistrer &sans confirmation (Ctrl+Maj+S)")
        self.unconfirmed_button.setAccessibleName("Enregistrer le message sans confirmation")
        self.close_button = QPushButton("&Fermer")
        self.close_button.setAccessibleName("Fermer le message enregistré")
        self.close_button.hide()

        answer = QHBoxLayout()
        answer.addWidget(self.confirm_button, 1)
        answer.addWidget(self.correct_button)
        unconfirmed = QHBoxLayout()
        unconfirmed.addWidget(_label("Ra&ison", self.reason_box))
        unconfirmed.addWidget(self.reason_box, 1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>Reformulation</b> — à lire à l'appelant"))
        layout.addWidget(self.changes_label)
        layout.addWidget(self.readback_view, 1)
        layout.addWidget(self.answer_label)
        layout.addLayout(answer)
        layout.addWidget(QLabel("Pas de confirmation possible ?"))
        layout.addLayout(unconfirmed)
        layout.addWidget(self.unconfirmed_button)
        layout.addWidget(self.close_button)
        return page

    def _connect(self) -> None:
        self.who_box.currentIndexChanged.connect(self._on_who_changed)
        self.last_name_edit.textChanged.connect(self._on_last_name_changed)
        self.number_edit.textChanged.connect(self._on_number_changed)
        self.practitioner_box.currentIndexChanged.connect(self._on_practitioner_changed)
        self.day_box.currentIndexChanged.connect(self._on_day_changed)
        self.after_check.toggled.connect(self.after_edit.setEnabled)
        self.before_check.toggled.connect(self.before_edit.setEnabled)
        for edit in (
            self.first_name_edit,
            self.patient_last_edit,
            self.patient_first_edit,
            self.relation_edit,
            self.number2_edit,
            self.reason_edit,
        ):
            edit.textChanged.connect(self._on_field_changed)
        self.body_edit.textChanged.connect(self._on_field_changed)
        for box in (self.civility_box, self.copy_box):
            box.currentIndexChanged.connect(self._on_field_changed)
        for check in (self.after_check, self.before_check, self.urgent_check, self.private_check):
            check.toggled.connect(self._on_field_changed)
        self.date_edit.dateChanged.connect(self._on_field_changed)
        self.after_edit.timeChanged.connect(self._on_field_changed)
        self.before_edit.timeChanged.connect(self._on_field_changed)
        self.reformulate_button.clicked.connect(self.reformulate)
        self.cancel_button.clicked.connect(self._on_cancel)
        self.confirm_button.clicked.connect(self.confirm)
        self.correct_button.clicked.connect(self.correct)
        self.unconfirmed_button.clicked.connect(self.save_unconfirmed)
        self.close_button.clicked.connect(self._on_cancel)

    def _shortcuts(self) -> None:
        bindings: list[tuple[str, Callable[[], object]]] = [
            (keys, self._on_reformulate_key) for keys in REFORMULATE_KEYS
        ]
        bindings += [
            (CONFIRM_KEY, self._on_confirm_key),
            (CORRECT_KEY, self._on_correct_key),
            (UNCONFIRMED_KEY, self._on_unconfirmed_key),
        ]
        for keys, slot in bindings:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # -- public API --------------------------------------------------------------------------
    def start(
        self,
        *,
        practice: PracticeInfo,
        practitioner: PractitionerInfo | None,
        caller: CallerInfo | None,
        callback_number: str,
        reason: str,
        triage_level: str | None,
        call_id: int | None,
    ) -> None:
        """A new message for this call, prefilled with what the call already knows."""
        self._filling = True
        try:
            self._practice = practice
            self._caller_id = caller.id if caller else None
            self._call_id = call_id
            self._triage_level = triage_level
            self._read_draft = self._pending = self._message = None
            self._readback = ""
            self.who_box.setCurrentIndex(0)
            self.civility_box.setCurrentIndex(0)
            self.last_name_edit.setText(caller.last_name if caller else "")
            self.first_name_edit.setText(caller.first_name if caller else "")
            for edit in (self.patient_last_edit, self.patient_first_edit, self.relation_edit):
                edit.clear()
            number = callback_number.strip()
            self.number_edit.setText(parse_phone(number).display if number else "")
            self.number2_edit.clear()
            self.practitioner_box.clear()
            self.practitioner_box.addItem("le cabinet", None)
            for person in practice.practitioners:
                self.practitioner_box.addItem(person.display_name, person.id)
            chosen = self.practitioner_box.findData(practitioner.id) if practitioner else 0
            self.practitioner_box.setCurrentIndex(max(chosen, 0))
            self._fill_copy_box()
            self.reason_edit.setText(reason.strip())
            self.body_edit.clear()
            self.day_box.setCurrentIndex(0)
            self.date_edit.setDate(QDate(self._today() + timedelta(days=1)))
            self.after_check.setChecked(False)
            self.before_check.setChecked(False)
            self.urgent_check.setChecked(triage_level in ("urgent", "vital"))
            self.private_check.setChecked(False)
            self._show_triage_level()
            self.reason_box.setCurrentIndex(0)
        finally:
            self._filling = False
        self.form_status.hide()
        self.close_button.hide()
        self.changes_label.hide()
        self.answer_label.clear()
        self._set_answer_enabled(True)
        self._on_last_name_changed(self.last_name_edit.text())
        self._on_number_changed(self.number_edit.text())
        self._show_form()
        target = self.last_name_edit if not self.last_name_edit.text() else self.civility_box
        target.setFocus()

    def draft(self) -> MessageDraft:
        """The form's values as a draft (nothing is checked here: see `problems`)."""
        third = self.who_box.currentIndex() == 1
        civility = self.civility_box.currentText()
        return MessageDraft(
            practice_id=self._practice.id if self._practice else 0,
            practitioner_id=self.practitioner_box.currentData(),
            caller_id=self._caller_id,
            caller_civility=civility if civility in ("Madame", "Monsieur") else "",
            caller_last_name=self.last_name_edit.text().strip(),
            caller_first_name=self.first_name_edit.text().strip(),
            patient_last_name=self.patient_last_edit.text().strip() if third else "",
            patient_first_name=self.patient_first_edit.text().strip() if third else "",
            relation=self.relation_edit.text().strip() if third else "",
            callback_number=self.number_edit.text().strip(),
            callback_number2=self.number2_edit.text().strip(),
            reason=self.reason_edit.text().strip(),
            body=self.body_edit.toPlainText().strip(),
            callback_day=self._callback_day(),
            callback_after=self._time(self.after_check, self.after_edit),
            callback_before=self._time(self.before_check, self.before_edit),
            urgent=self.urgent_check.isChecked(),
            private=self.private_check.isChecked(),
            copy_to_practitioner_id=self.copy_box.currentData(),
            triage_level=self._triage_level,
        )

    def problems(self) -> list[str]:
        """What keeps the current draft from being saved, in French."""
        return validate(self.draft(), self.now(), tz=self._tz())

    @property
    def message(self) -> MessageInfo | None:
        """The saved message, once saved."""
        return self._message

    @property
    def readback(self) -> str:
        """The text last generated for reading aloud."""
        return self._readback

    def on_readback_page(self) -> bool:
        return self.stack.currentIndex() == 1

    def reformulate(self) -> bool:
        """Generate the readback; stays on the form (problems shown) when it cannot be saved."""
        draft = self.draft()
        problems = validate(draft, self.now(), tz=self._tz())
        self._show_problems(problems)
        if problems:
            self.form_status.setText("Corrigez d'abord les points en rouge.")
            self.form_status.setStyleSheet(ERROR_STYLE)
            self.form_status.show()
            return False
        text = readback_text(
            draft,
            practitioner=self._practitioner(draft.practitioner_id),
            practice_name=self._practice.name if self._practice else "",
            now=self.now(),
        )
        found = changes(self._read_draft, draft, names=self._names()) if self._read_draft else []
        if found:
            lines = "\n".join(f"• {change}" for change in found)
            self.changes_label.setText("Corrections par rapport à la lecture :\n" + lines)
            self.changes_label.show()
        else:
            self.changes_label.clear()
            self.changes_label.hide()
        self._read_draft = self._pending = draft
        self._readback = text
        self.readback_view.setPlainText(text)
        if self._message is not None:
            self._answer("Nouvelle lecture : la confirmation de l'appelant est requise.", None)
        else:
            self.answer_label.clear()
        self._set_answer_enabled(True)
        self.stack.setCurrentIndex(1)
        self.confirm_button.setFocus()
        return True

    def confirm(self) -> MessageInfo | None:
        """The caller confirmed what was read: save (or correct then confirm) the message."""
        if self._pending is None:
            return None
        by = self._by()
        try:
            if self._message is None:
                info = self._ws.messages.save(
                    self._pending,
                    call_id=self._call_id,
                    confirmed=True,
                    readback_text=self._readback,
                    by=by,
                    now=self.now(),
                )
            else:
                self._ws.messages.correct(
                    self._message.id, self._pending, self._readback, by, now=self.now()
                )
                info = self._ws.messages.confirm(self._message.id, by, now=self.now())
        except PermanenceError as exc:
            self._answer(exc.message, True)
            return None
        return self._after_save(info, "Message enregistré, confirmé par l'appelant")

    def save_unconfirmed(self) -> MessageInfo | None:
        """No confirmation possible: save with the reason given (refused without one)."""
        if self._pending is None:
            return None
        reason = self.reason_box.currentText().strip()
        if not reason:
            self._answer(
                "Indiquez pourquoi le message n'est pas confirmé (l'appelant a raccroché…).",
                True,
            )
            self.reason_box.setFocus()
            return None
        by = self._by()
        try:
            if self._message is None:
                info = self._ws.messages.save(
                    self._pending,
                    call_id=self._call_id,
                    confirmed=False,
                    readback_text=self._readback,
                    unconfirmed_reason=reason,
                    by=by,
                    now=self.now(),
                )
            else:
                self._ws.messages.correct(
                    self._message.id, self._pending, self._readback, by, now=self.now()
                )
                info = self._ws.messages.leave_unconfirmed(
                    self._message.id, reason, by, now=self.now()
                )
        except PermanenceError as exc:
            self._answer(exc.message, True)
            return None
        return self._after_save(info, f"Message enregistré sans confirmation ({reason})")

    def correct(self) -> None:
        """Back to the form to correct; the next readback shows the changes."""
        self._show_form()
        self.form_status.setText(
            "Correction : modifiez le formulaire puis reformulez (Ctrl+Maj+Entrée)."
        )
        self.form_status.setStyleSheet(HINT_STYLE)
        self.form_status.show()
        self.civility_box.setFocus()

    # -- slots -------------------------------------------------------------------------------
    def _on_reformulate_key(self) -> None:
        if not self.on_readback_page():
            self.reformulate()

    def _on_confirm_key(self) -> None:
        if self.on_readback_page() and self.confirm_button.isEnabled():
            self.confirm()

    def _on_correct_key(self) -> None:
        if self.on_readback_page():
            self.correct()

    def _on_unconfirmed_key(self) -> None:
        if self.on_readback_page() and self.unconfirmed_button.isEnabled():
            self.save_unconfirmed()

    def _on_cancel(self) -> None:
        self.cancelled.emit()

    def _on_who_changed(self, index: int) -> None:
        self._set_patient_visible(index == 1)
        self._on_field_changed()

    def _on_last_name_changed(self, text: str) -> None:
        spelled = spell(text) if text.strip() else ""
        self.spelling_label.setText(spelled)
        self.spelling_label.setVisible(bool(spelled))
        self._on_field_changed()

    def _on_number_changed(self, text: str) -> None:
        warning = parse_phone(text).warning if text.strip() else None
        self.number_warning.setText(warning or "")
        self.number_warning.setVisible(bool(warning))
        self._on_field_changed()

    def _on_practitioner_changed(self, _index: int) -> None:
        if not self._filling:
            self._fill_copy_box()
        self._on_field_changed()

    def _on_day_changed(self, index: int) -> None:
        self.date_edit.setEnabled(index == 3)
        self._on_field_changed()

    def _on_field_changed(self, *_args: object) -> None:
        if self._filling or self._practice is None:
            return
        self._show_problems(self.problems())

    # -- helpers -----------------------------------------------------------------------------
    def _after_save(self, info: MessageInfo, what: str) -> MessageInfo:
        self._message = info
        moment = (info.confirmed_at or info.updated_at).astimezone(ZoneInfo(self._tz()))
        self._answer(f"{what} à {format_time(moment.time())} (n° {info.id}).", False)
        self._set_answer_enabled(False)
        self.close_button.show()
        self.correct_button.setFocus()
        self.saved.emit(info)
        return info

    def _answer(self, text: str, error: bool | None) -> None:
        """`error` True: red; False: done (green); None: a notice (accent colour)."""
        self.answer_label.setText(text)
        styles = {True: ERROR_STYLE, False: "color: #1e6b34;", None: NOTICE_STYLE}
        self.answer_label.setStyleSheet(styles[error])

    def _set_answer_enabled(self, enabled: bool) -> None:
        self.confirm_button.setEnabled(enabled)
        self.unconfirmed_button.setEnabled(enabled)
        self.reason_box.setEnabled(enabled)

    def _show_form(self) -> None:
        self.stack.setCurrentIndex(0)
        self._show_problems(self.problems() if self._practice else [])

    def _show_problems(self, problems: list[str]) -> None:
        self.problems_label.setText("\n".join(f"• {p}" for p in problems))
        self.problems_label.setVisible(bool(problems))

    def _set_patient_visible(self, visible: bool) -> None:
        for widget in self.patient_widgets:
            widget.setVisible(visible)

    def _show_triage_level(self) -> None:
        level = parse_level(self._triage_level) if self._triage_level else None
        self.triage_label.setText(f"Niveau de tri : {level.label}" if level else "")
        self.triage_label.setVisible(level is not None)

    def _fill_copy_box(self) -> None:
        current = self.copy_box.currentData()
        chosen = self.practitioner_box.currentData()
        self.copy_box.blockSignals(True)
        self.copy_box.clear()
        self.copy_box.addItem("—", None)
        for person in self._practice.practitioners if self._practice else ():
            if person.id != chosen:
                self.copy_box.addItem(person.display_name, person.id)
        self.copy_box.setCurrentIndex(max(self.copy_box.findData(current), 0))
        self.copy_box.blockSignals(False)

    def _practitioner(self, practitioner_id: int | None) -> PractitionerInfo | None:
        if self._practice is None or practitioner_id is None:
            return None
        return self._practice.practitioner(practitioner_id)

    def _names(self) -> dict[int, str]:
        people = self._practice.practitioners if self._practice else ()
        return {p.id: p.display_name for p in people}

    def _tz(self) -> str:
        practitioner = self._practitioner(self.practitioner_box.currentData())
        return practitioner.timezone if practitioner and practitioner.timezone else DEFAULT_TZ

    def _today(self) -> date:
        return self.now().astimezone(ZoneInfo(self._tz())).date()

    def _callback_day(self) -> date | None:
        index = self.day_box.currentIndex()
        if index == 1:
            return self._today()
        if index == 2:
            return self._today() + timedelta(days=1)
        if index == 3:
            chosen = self.date_edit.date()
            return date(chosen.year(), chosen.month(), chosen.day())
        return None

    @staticmethod
    def _time(check: QCheckBox, edit: QTimeEdit) -> time | None:
        if not check.isChecked():
            return None
        moment = edit.time()
        return time(moment.hour(), moment.minute())

    def _by(self) -> str:
        return self._ws.secretary or "secrétariat"
