"""The message form with its readback, and the practitioner's view, driven by the keyboard."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from icalendar import Calendar
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot
from qt_keys import type_text

from permanence.core.messages import MessageDraft, readback_text
from permanence.core.workspace import Workspace
from permanence.ui.messages import MessageForm, PractitionerMessagesView

SHOTS = Path(os.environ.get("PERMANENCE_SHOTS", "/tmp"))


def press(qtbot: QtBot, widget: object, keys: str) -> None:
    """Send a key combination ("Ctrl+O") to the focused widget."""
    combo = QKeySequence(keys)[0]
    qtbot.keyClick(widget, combo.key(), combo.keyboardModifiers())


def focused(form: MessageForm) -> object:
    widget = form.focusWidget()
    assert widget is not None
    return widget


@pytest.fixture
def form(qtbot: QtBot, demo_ws: Workspace) -> MessageForm:
    widget = MessageForm(demo_ws)
    qtbot.addWidget(widget)
    widget.resize(470, 650)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def start_with_dupont(form: MessageForm, ws: Workspace, *, level: str | None = None) -> None:
    practice = ws.practices.get(1)
    caller = ws.callers.get(1)  # Marie Dupont, 06 12 34 56 78
    form.start(
        practice=practice,
        practitioner=practice.practitioner(1),
        caller=caller,
        callback_number="+33612345678",
        reason="renouvellement d'ordonnance",
        triage_level=level,
        call_id=None,
    )


def test_start_prefills_from_the_call(form: MessageForm, demo_ws: Workspace) -> None:
    start_with_dupont(form, demo_ws, level="urgent")
    assert form.last_name_edit.text() == "Dupont"
    assert form.first_name_edit.text() == "Marie"
    assert form.number_edit.text() == "06 12 34 56 78"
    assert form.reason_edit.text() == "renouvellement d'ordonnance"
    assert form.civility_box.currentText() == "—"
    assert form.urgent_check.isChecked()
    assert "urgent" in form.triage_label.text()
    assert form.spelling_label.text().startswith("D comme Désiré")
    assert form.practitioner_box.currentText() == "Dr Claire Martin"
    assert form.copy_box.findText("Dr Claire Martin") == -1  # not a copy to herself
    assert form.problems() == []
    form.grab().save(str(SHOTS / "message_form.png"))


def test_keyboard_path_to_a_confirmed_message(
    qtbot: QtBot, form: MessageForm, demo_ws: Workspace
) -> None:
    start_with_dupont(form, demo_ws)
    saved: list[object] = []
    form.saved.connect(saved.append)
    assert form.civility_box.hasFocus()
    qtbot.keyClick(focused(form), Qt.Key.Key_Down)  # Madame
    assert form.civility_box.currentText() == "Madame"
    press(qtbot, focused(form), "Ctrl+Shift+Return")
    assert form.on_readback_page()
    text = form.readback_view.toPlainText()
    assert "Madame Marie DUPONT, D comme Désiré" in text
    assert "06 12 34 56 78" in text
    assert "le docteur Martin" in text
    form.grab().save(str(SHOTS / "message_readback.png"))
    press(qtbot, focused(form), "Ctrl+O")
    assert len(saved) == 1
    message = demo_ws.messages.get(form.message.id if form.message else 0)
    assert message.confirmed
    assert message.readback_text == text
    assert "confirmé par l'appelant" in form.answer_label.text()
    assert not form.confirm_button.isEnabled()


def test_correction_needs_a_new_readback(
    qtbot: QtBot, form: MessageForm, demo_ws: Workspace
) -> None:
    start_with_dupont(form, demo_ws)
    press(qtbot, focused(form), "Ctrl+Shift+Return")
    press(qtbot, focused(form), "Ctrl+O")
    assert form.message is not None and form.message.confirmed
    message_id = form.message.id
    press(qtbot, focused(form), "Ctrl+M")  # the caller corrects the number
    assert not form.on_readback_page()
    form.number_edit.setFocus()
    form.number_edit.selectAll()
    qtbot.keyClicks(form.number_edit, "0698765432")
    press(qtbot, focused(form), "Ctrl+Shift+Return")
    assert form.on_readback_page()
    shown = form.changes_label.text()
    assert "Numéro de rappel : 06 12 34 56 78 → 06 98 76 54 32" in shown
    assert "06 98 76 54 32" in form.readback_view.toPlainText()
    assert form.confirm_button.isEnabled()
    assert "confirmation" in form.answer_label.text()
    form.grab().save(str(SHOTS / "message_correction.png"))
    press(qtbot, focused(form), "Ctrl+O")
    message = demo_ws.messages.get(message_id)
    assert message.confirmed
    assert message.draft.callback_number == "+33698765432"
    kinds = [event.kind for event in demo_ws.messages.events(message_id)]
    assert kinds == ["relecture", "correction", "relecture"]


def test_unconfirmed_needs_a_reason(qtbot: QtBot, form: MessageForm, demo_ws: Workspace) -> None:
    start_with_dupont(form, demo_ws)
    press(qtbot, focused(form), "Ctrl+Shift+Return")
    press(qtbot, focused(form), "Ctrl+Shift+S")
    assert form.message is None
    assert "Indiquez pourquoi" in form.answer_label.text()
    assert form.reason_box.hasFocus()
    type_text(qtbot, form.reason_box.lineEdit(), "L'appelant a raccroché")
    press(qtbot, focused(form), "Ctrl+Shift+S")
    assert form.message is not None
    message = demo_ws.messages.get(form.message.id)
    assert not message.confirmed
    assert message.unconfirmed_reason == "L'appelant a raccroché"


def test_bad_input_stays_on_the_form(qtbot: QtBot, form: MessageForm, demo_ws: Workspace) -> None:
    start_with_dupont(form, demo_ws)
    form.number_edit.clear()
    qtbot.keyClicks(form.number_edit, "0612")
    assert form.number_warning.isVisible()
    form.reason_edit.clear()
    press(qtbot, focused(form), "Ctrl+Shift+Return")
    assert not form.on_readback_page()
    problems = form.problems_label.text()
    assert "Le message est vide" in problems
    assert "« 0612 » n'est pas valide" in problems
    assert form.number_edit.text() == "0612"  # nothing lost


def test_practitioner_deleted_meanwhile_keeps_the_draft(
    qtbot: QtBot, form: MessageForm, demo_ws: Workspace
) -> None:
    """A service error after the readback is shown in French; the form keeps its content."""
    start_with_dupont(form, demo_ws)
    press(qtbot, focused(form), "Ctrl+Shift+Return")
    assert form._pending is not None
    form._pending = replace(form._pending, practitioner_id=999)  # deleted meanwhile
    press(qtbot, focused(form), "Ctrl+O")
    assert form.message is None
    assert form.answer_label.text()
    assert "introuvable" in form.answer_label.text() or "existe" in form.answer_label.text()
    assert form.last_name_edit.text() == "Dupont"


def test_third_party_fields(qtbot: QtBot, form: MessageForm, demo_ws: Workspace) -> None:
    start_with_dupont(form, demo_ws)
    assert not form.patient_last_edit.isVisible()
    form.who_box.setCurrentIndex(1)
    assert form.patient_last_edit.isVisible()
    type_text(qtbot, form.patient_last_edit, "Dupont")
    type_text(qtbot, form.patient_first_edit, "Jeanne")
    type_text(qtbot, form.relation_edit, "votre mère")
    draft = form.draft()
    assert draft.is_third_party and draft.relation == "votre mère"
    form.now = lambda: datetime(2030, 1, 7, 9, 0, tzinfo=UTC)
    assert form.reformulate()
    assert "pour votre mère, Jeanne DUPONT" in form.readback


# -- the practitioner's view --------------------------------------------------------------


def save_message(ws: Workspace, *, urgent: bool, last_name: str, reason: str) -> int:
    draft = MessageDraft(
        practice_id=1,
        practitioner_id=1,
        caller_civility="Madame",
        caller_last_name=last_name,
        caller_first_name="Marie",
        callback_number="06 12 34 56 78",
        reason=reason,
        urgent=urgent,
    )
    text = readback_text(
        draft,
        practitioner=ws.practices.practitioner(1),
        practice_name="Cabinet médical des Tilleuls",
        now=datetime.now(UTC),
    )
    info = ws.messages.save(draft, confirmed=True, readback_text=text, by="Sophie")
    return info.id


@pytest.fixture
def view(qtbot: QtBot, demo_ws: Workspace) -> PractitionerMessagesView:
    widget = PractitionerMessagesView(demo_ws)
    qtbot.addWidget(widget)
    widget.resize(1000, 620)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_practitioner_view_lists_urgent_first_and_marks_with_keys(
    qtbot: QtBot, view: PractitionerMessagesView, demo_ws: Workspace
) -> None:
    routine = save_message(demo_ws, urgent=False, last_name="Lefèvre", reason="résultats")
    urgent = save_message(demo_ws, urgent=True, last_name="N'Diaye", reason="fièvre à 40")
    view.show_practitioner(1)
    assert view.model.rowCount() >= 2
    first = view.model.item(0)
    assert first.id == urgent
    assert view.model.row_of(routine) > 0
    assert view.current_message() is not None and view.current_message().id == urgent  # type: ignore[union-attr]
    assert "N'DIAYE" in view.detail.toPlainText()
    assert "Confirmé par l'appelant" in view.detail.toPlainText()
    view.grab().save(str(SHOTS / "practitioner_view.png"))
    view.table.setFocus()
    press(qtbot, view.table, "Ctrl+Shift+L")
    assert demo_ws.messages.get(urgent).status == "lu"
    type_text(qtbot, view.note_edit, "rappelée, RDV donné jeudi")
    qtbot.keyClick(view.note_edit, Qt.Key.Key_Return)
    assert "RDV donné jeudi" in demo_ws.messages.get(urgent).practitioner_note
    press(qtbot, view.table, "Ctrl+Shift+C")
    assert demo_ws.messages.get(urgent).status == "clos"
    assert view.current_message().id == urgent  # type: ignore[union-attr]
    assert "Lu → Clos" in view.detail.toPlainText()
    press(qtbot, view.table, "Ctrl+Shift+L")  # backwards: refused, in French
    assert "déjà" in view.status_label.text() or "Clos" in view.status_label.text()
    assert demo_ws.messages.get(urgent).status == "clos"
    assert demo_ws.messages.get(routine).status == "nouveau"


def test_pdf_and_ics_exports(
    view: PractitionerMessagesView, demo_ws: Workspace, tmp_path: Path
) -> None:
    save_message(demo_ws, urgent=True, last_name="Le Goff-Martin", reason="douleur")
    view.show_practitioner(1)
    pdf = tmp_path / "jour.pdf"
    assert view.export_pdf(pdf)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(str(pdf)).pages).split())
    assert "LE GOFF-MARTIN" in text
    ics = tmp_path / "rappels.ics"
    assert view.export_ics(ics)
    calendar = Calendar.from_ical(ics.read_bytes())
    todos = [c for c in calendar.walk("VTODO")]
    assert todos and all(str(t["UID"]).endswith("@permanence") for t in todos)
    assert "exporté" in view.status_label.text()


def test_start_again_resets_after_a_saved_message(
    qtbot: QtBot, form: MessageForm, demo_ws: Workspace
) -> None:
    start_with_dupont(form, demo_ws)
    press(qtbot, focused(form), "Ctrl+Shift+Return")
    press(qtbot, focused(form), "Ctrl+O")
    assert form.message is not None
    start_with_dupont(form, demo_ws)
    assert form.message is None and not form.on_readback_page()
    press(qtbot, focused(form), "Ctrl+Shift+Return")
    assert form.confirm_button.isEnabled() and not form.changes_label.isVisible()


def test_callback_window_by_keyboard(qtbot: QtBot, form: MessageForm, demo_ws: Workspace) -> None:
    form.now = lambda: datetime(2030, 1, 7, 9, 0, tzinfo=UTC)  # a Monday, 10 h in Paris
    start_with_dupont(form, demo_ws)
    form.day_box.setFocus()
    qtbot.keyClick(form.day_box, Qt.Key.Key_Down)  # aujourd'hui
    assert form.day_box.currentText() == "aujourd'hui"
    qtbot.keyClick(form.after_check, Qt.Key.Key_Space)
    qtbot.keyClick(form.before_check, Qt.Key.Key_Space)
    draft = form.draft()
    assert (draft.callback_after, draft.callback_before) == (time(12, 0), time(14, 0))
    assert form.reformulate()
    assert "aujourd'hui entre 12 h et 14 h" in form.readback
    press(qtbot, focused(form), "Ctrl+M")
    form.after_edit.setTime(QTime(15, 0))  # inverted window: refused, nothing lost
    assert not form.reformulate()
    assert "inversé" in form.problems_label.text()
    assert form.after_check.isChecked()
