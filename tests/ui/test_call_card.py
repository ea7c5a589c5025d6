"""The answering screen driven from the keyboard only: pick up → caller → outcome."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from qt_keys import type_text

from permanence.core.phone import format_for_display
from permanence.core.workspace import Workspace
from permanence.ui.main_window import MainWindow


def open_window(qtbot: QtBot, ws: Workspace) -> MainWindow:
    window = MainWindow(ws)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def known_caller(ws: Workspace) -> tuple[str, str]:
    """A demo caller with history: (number as people write it, surname)."""
    from sqlalchemy import select

    from permanence.core.db.models import Call

    with ws.sessions() as session:
        caller_id = session.scalar(
            select(Call.caller_id).where(Call.caller_id.is_not(None)).order_by(Call.id)
        )
    assert caller_id is not None
    caller = ws.callers.get(caller_id)
    return format_for_display(caller.phones[0]), caller.last_name


def test_keyboard_only_call(qtbot: QtBot, demo_ws: Workspace) -> None:
    window = open_window(qtbot, demo_ws)
    dentist = next(p for p in demo_ws.practices.list() if p.kind == "dentiste")
    qtbot.keyClick(window, Qt.Key.Key_F2)
    card = window.call_card
    assert card is not None and window.stack.currentWidget() is card
    assert card.practice_edit.hasFocus()
    qtbot.keyClicks(card.practice_edit, "dentaire")
    qtbot.keyClick(card.practice_edit, Qt.Key.Key_Return)
    assert card.practice == dentist
    assert dentist.greeting in card.greeting.text()
    assert card.caller_box.number_edit.hasFocus()
    number, surname = known_caller(demo_ws)
    qtbot.keyClicks(card.caller_box.number_edit, number)
    assert card.caller_box.caller is not None
    assert card.caller_box.caller.last_name == surname
    assert card.caller_box.history_model.rowCount() >= 1
    card.motif.setFocus()
    type_text(qtbot, card.motif, "renouvellement d'ordonnance, rien d'urgent")
    qtbot.keyClick(card, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert card.call_id is not None, "closing without an outcome must be refused"
    assert "issue" in card.status.text()
    qtbot.keyClick(card, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)  # information
    call_id = card.call_id
    qtbot.keyClick(card, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert card.call_id is None and window.stack.currentWidget() is window.home
    stored = demo_ws.calls.get(call_id)
    assert stored.status == "closed" and stored.outcome == "information"
    assert stored.practice_id == dentist.id and stored.caller_name.startswith(surname.upper())
    assert stored.reason.startswith("renouvellement") and stored.billable is True
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.call_log is not None and window.stack.currentWidget() is window.call_log
    first = window.call_log.proxy.index(0, 7)
    assert first.data() == "Information"


def test_dialed_number_chooses_practice_and_draft_is_saved(
    qtbot: QtBot, demo_ws: Workspace
) -> None:
    window = open_window(qtbot, demo_ws)
    practice = demo_ws.practices.list()[1]
    window.new_call(
        to_number=format_for_display(practice.numbers[0]), from_number="0033 6 99 88 77 66"
    )
    card = window.call_card
    assert card is not None and card.practice == practice
    assert card.caller_box.caller is None
    card.triage.set_motif("question sur une facture")
    qtbot.waitUntil(lambda: demo_ws.calls.get(card.call_id).reason == "question sur une facture")
    draft = demo_ws.calls.get(card.call_id)
    assert draft.status == "draft" and draft.from_e164 == "+33699887766"


def test_sales_call_is_not_billed(qtbot: QtBot, demo_ws: Workspace) -> None:
    window = open_window(qtbot, demo_ws)
    practice = demo_ws.practices.list()[0]
    window.new_call(to_number=practice.numbers[0], from_number="01 23 45 67 89")
    card = window.call_card
    assert card is not None
    qtbot.keyClick(card, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)  # démarchage
    call_id = card.call_id
    assert card.close_call()
    stored = demo_ws.calls.get(call_id)
    assert stored.billable is False and "démarchage" in stored.billing_reason


def test_unknown_dialed_number_lets_her_choose(qtbot: QtBot, demo_ws: Workspace) -> None:
    window = open_window(qtbot, demo_ws)
    window.new_call(to_number="09 99 99 99 99")
    card = window.call_card
    assert card is not None and card.practice is None
    assert "choisissez le cabinet" in card.status.text()


def test_foreign_and_odd_numbers_are_kept_with_a_warning(qtbot: QtBot, demo_ws: Workspace) -> None:
    window = open_window(qtbot, demo_ws)
    window.new_call(to_number=demo_ws.practices.list()[0].numbers[0])
    card = window.call_card
    assert card is not None
    card.caller_box.number_edit.setText("+44 20 7946 0958")
    assert card.caller_box.number_warning.text() == "Numéro étranger."
    card.caller_box.number_edit.setText("12 34")
    card.caller_box.number_edit.setText("123456789012345")
    assert "non reconnu" in card.caller_box.number_warning.text()


def test_new_caller_spelled_and_created(qtbot: QtBot, demo_ws: Workspace) -> None:
    window = open_window(qtbot, demo_ws)
    window.new_call(to_number=demo_ws.practices.list()[0].numbers[0], from_number="06 55 44 33 22")
    card = window.call_card
    assert card is not None
    card.caller_box.new_last.setFocus()
    type_text(qtbot, card.caller_box.new_last, "Lévêque")
    assert card.caller_box.spelling.text().startswith("L comme Louis")
    qtbot.keyClick(card.caller_box.new_last, Qt.Key.Key_Return)
    assert card.caller_box.caller is not None
    assert card.caller_box.caller.last_name == "Lévêque"
    assert demo_ws.callers.lookup_number("0655443322")[0].last_name == "Lévêque"


def test_draft_reopens_after_a_crash(qtbot: QtBot, demo_ws: Workspace, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from permanence.core.workspace import Workspace as WorkspaceClass

    window = open_window(qtbot, demo_ws)
    window.new_call(to_number=demo_ws.practices.list()[0].numbers[0], from_number="06 11 22 33 44")
    card = window.call_card
    assert card is not None
    card.triage.set_motif("douleur au genou")
    card.save_draft()
    draft_id = card.call_id
    # The first instance dies without closing anything (its lock goes with it).
    demo_ws.instances.release()
    assert demo_ws.location.directory is not None
    reopened = WorkspaceClass.open(demo_ws.location.directory, is_demo=True)
    try:
        second = open_window(qtbot, reopened)
        assert second.call_card is not None and second.call_card.call_id == draft_id
        assert second.call_card.motif_text() == "douleur au genou"
        assert "récupéré" in second.call_card.status.text()
    finally:
        reopened.close()


def test_deescalation_aid_flags_the_call_and_tracks_promises(
    qtbot: QtBot, demo_ws: Workspace
) -> None:
    window = open_window(qtbot, demo_ws)
    practice = demo_ws.practices.list()[0]
    window.new_call(to_number=practice.numbers[0], from_number="06 10 20 30 40")
    card = window.call_card
    assert card is not None
    card.triage.motif_edit.setFocus()
    qtbot.keyClick(card.triage.motif_edit, Qt.Key.Key_F9)
    aid = card.deescalation
    assert aid is not None and card.right.currentWidget() is aid
    assert card.tension and card.tension_label.isVisible()
    assert len(aid.step_boxes) == 7
    aid.step_boxes[0].setChecked(True)
    assert aid.phrases.text().startswith("<b>2.")
    assert "Calmez-vous" in aid.avoid.text()
    type_text(qtbot, aid.promise_text, "le docteur vous rappelle")
    aid.promise_due.setFocus()
    type_text(qtbot, aid.promise_due, "dans 2 h\n")
    assert aid.promises_model.rowCount() == 1
    follow_ups = demo_ws.followups.open()
    assert any(
        f.description == "le docteur vous rappelle" and f.call_id == card.call_id
        for f in follow_ups
    )
    transfer = next(
        b for b in aid.findChildren(type(card.close_button)) if b.text() and "ransf" in b.text()
    )
    qtbot.mouseClick(transfer, Qt.MouseButton.LeftButton)
    assert card.outcome_bar.outcome == "transfert"
    assert card.right.currentWidget() is card.consignes
    assert card.consignes.browser.toPlainText().lstrip().startswith("Transferts")
    call_id = card.call_id
    assert card.close_call()
    assert demo_ws.calls.get(call_id).tension is True


def test_vital_motif_brings_urgences_forward(qtbot: QtBot, demo_ws: Workspace) -> None:
    window = open_window(qtbot, demo_ws)
    practice = next(p for p in demo_ws.practices.list() if p.kind == "generaliste")
    window.new_call(to_number=practice.numbers[0])
    card = window.call_card
    assert card is not None
    card.practitioner_box.setCurrentIndex(1)
    card.triage.set_motif("mon mari a une douleur dans la poitrine qui serre depuis 20 minutes")
    card.triage.assess_now()
    assert card.triage.booking_allowed is False
    assert card.consignes.browser.toPlainText().lstrip().startswith("Urgences")
    card.save_draft()
    assert demo_ws.calls.get(card.call_id).triage_level == "vital"


def test_propose_slots_and_book_in_one_key(qtbot: QtBot, demo_ws: Workspace) -> None:
    window = open_window(qtbot, demo_ws)
    practice = next(p for p in demo_ws.practices.list() if p.kind == "dentiste")
    window.new_call(to_number=practice.numbers[0])
    card = window.call_card
    assert card is not None
    card.practitioner_box.setCurrentIndex(2)
    card.triage.set_motif("détartrage annuel, pas pressé")
    card.triage.assess_now()
    card.triage.motif_edit.setFocus()
    qtbot.keyClick(card.triage.motif_edit, Qt.Key.Key_F6)
    panel = card.slots
    assert panel is not None and card.right.currentWidget() is panel
    assert panel.model.rowCount() >= 1
    assert panel.sentence.text().startswith("Je peux vous proposer")
    panel.type_box.setCurrentIndex(0)
    qtbot.keyClick(panel.proposals, Qt.Key.Key_Return)
    assert card.outcome_bar.outcome == "rdv"
    assert "RDV pris" in card.notes.toPlainText()
    appointments = demo_ws.bookings.agenda(
        card.practitioner.id,  # type: ignore[union-attr]
        since=datetime.now(UTC),
        until=datetime.now(UTC) + timedelta(days=40),
    )
    assert appointments.bookings


def test_vital_case_cannot_open_booking(qtbot: QtBot, demo_ws: Workspace) -> None:
    window = open_window(qtbot, demo_ws)
    window.new_call(to_number=demo_ws.practices.list()[0].numbers[0])
    card = window.call_card
    assert card is not None
    card.triage.set_motif("il ne respire plus, il est tout bleu")
    card.triage.assess_now()
    card.toggle_slots()
    assert card.slots is None or card.right.currentWidget() is not card.slots
    assert "15" in card.status.text()


def test_triage_override_is_stored_with_the_call(qtbot: QtBot, demo_ws: Workspace) -> None:
    window = open_window(qtbot, demo_ws)
    window.new_call(to_number=demo_ws.practices.list()[0].numbers[0])
    card = window.call_card
    assert card is not None
    card.triage.set_motif("renouvellement de mon traitement pour la tension")
    card.triage.assess_now()
    box = card.triage.override_box
    box.level_box.setCurrentIndex(box.level_box.findData("urgent"))
    qtbot.mouseClick(box.apply_button, Qt.MouseButton.LeftButton)
    assert "raison" in box.error.text().lower() or card.triage.secretary_override is None
    box.reason_edit.setText("plus de comprimés depuis hier")
    qtbot.mouseClick(box.apply_button, Qt.MouseButton.LeftButton)
    assert card.triage.secretary_override is not None
    call_id = card.call_id
    qtbot.keyClick(card, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert card.close_call()
    stored = demo_ws.calls.get(call_id)
    assert stored.triage_level == "routine"
    assert stored.triage_override_level == "urgent"
    assert stored.triage_override_reason == "plus de comprimés depuis hier"
    assert stored.level == "urgent"


def test_message_from_the_call_with_readback(qtbot: QtBot, demo_ws: Workspace) -> None:
    window = open_window(qtbot, demo_ws)
    practice = next(p for p in demo_ws.practices.list() if p.kind == "generaliste")
    number, surname = known_caller(demo_ws)
    window.new_call(to_number=practice.numbers[0], from_number=number)
    card = window.call_card
    assert card is not None and card.caller_box.caller is not None
    card.practitioner_box.setCurrentIndex(1)
    card.triage.set_motif("résultats de prise de sang à commenter")
    card.triage.motif_edit.setFocus()
    qtbot.keyClick(card.triage.motif_edit, Qt.Key.Key_F7)
    form = card.message_form
    assert form is not None and card.right.currentWidget() is form
    qtbot.keyClick(
        form,
        Qt.Key.Key_Return,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert form.on_readback_page(), form.problems()
    assert surname.upper() in form.readback and number in form.readback
    qtbot.keyClick(form, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    saved = form.message
    assert saved is not None and saved.confirmed
    assert card.outcome_bar.outcome == "message"
    call_id = card.call_id
    assert card.close_call()
    assert demo_ws.messages.get(saved.id).call_id == call_id
    doctor = practice.practitioners[0]
    assert saved.id in [m.id for m in demo_ws.messages.for_practitioner(doctor.id)]
    qtbot.keyClick(window, Qt.Key.Key_F4)
    assert window.messages is not None and window.stack.currentWidget() is window.messages


def test_aid_puts_the_caller_on_the_waiting_list(qtbot: QtBot, demo_ws: Workspace) -> None:
    window = open_window(qtbot, demo_ws)
    practice = next(p for p in demo_ws.practices.list() if p.kind == "dentiste")
    number, _surname = known_caller(demo_ws)
    window.new_call(to_number=practice.numbers[0], from_number=number)
    card = window.call_card
    assert card is not None and card.caller_box.caller is not None
    card.practitioner_box.setCurrentIndex(2)
    card.toggle_deescalation()
    aid = card.deescalation
    assert aid is not None
    waitlist = next(s for s in aid.book.solutions if s.action == "waitlist")
    card._on_solution(waitlist)
    doctor = card.practitioner
    assert doctor is not None
    entries = demo_ws.waitlist.open(doctor.id)
    assert [e.caller_id for e in entries] == [card.caller_box.caller.id]
    assert "liste d'attente" in card.status.text()


def test_agenda_page_from_the_main_window(qtbot: QtBot, demo_ws: Workspace) -> None:
    window = open_window(qtbot, demo_ws)
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert window.agenda is not None and window.stack.currentWidget() is window.agenda
    _practice, doctor = window.current_selection()  # type: ignore[misc]
    assert doctor is not None and window.agenda.shown_practitioners() == [doctor.id]
