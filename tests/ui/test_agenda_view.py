"""The agenda view: what it shows, keyboard navigation, cancelling to the waiting list, moving."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from qt_keys import type_text

from permanence.core.agenda.store import AppointmentInfo
from permanence.core.workspace import Workspace
from permanence.ui.agenda import AgendaView

PARIS = ZoneInfo("Europe/Paris")


def make_view(qtbot: QtBot, ws: Workspace) -> AgendaView:
    view = AgendaView(ws)
    qtbot.addWidget(view)
    view.resize(1366, 700)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    return view


def doctor(ws: Workspace) -> int:
    return ws.practices.list()[0].practitioners[0].id


def day_appointments(ws: Workspace, pid: int, day: date) -> list[AppointmentInfo]:
    start = datetime.combine(day, time(0), tzinfo=PARIS)
    return ws.bookings.appointments(pid, start, start + timedelta(days=1))


def working_day_after(day: date, ws: Workspace, pid: int) -> date:
    """The next day after `day` with at least three appointments."""
    for offset in range(1, 10):
        candidate = day + timedelta(days=offset)
        if len(day_appointments(ws, pid, candidate)) >= 3:
            return candidate
    raise AssertionError("pas de journée chargée dans la démo")


def test_day_view_shows_the_appointments_of_the_day(qtbot: QtBot, demo_ws: Workspace) -> None:
    view = make_view(qtbot, demo_ws)
    pid = doctor(demo_ws)
    view.show_practitioners([pid])
    view.set_day(date.today())
    expected = day_appointments(demo_ws, pid, date.today())
    assert len(view.columns) == 1
    column = view.columns[0]
    assert column.practitioner_id == pid and column.day == date.today()
    assert [a.id for a in column.appointments] == [a.id for a in expected]
    assert all(a.caller_name and a.type_name for a in column.appointments)
    assert str(date.today().year) in view.title.text()


def test_week_view_puts_practitioners_side_by_side(qtbot: QtBot, demo_ws: Workspace) -> None:
    view = make_view(qtbot, demo_ws)
    first, second = demo_ws.practices.list()[0].practitioners[:2]
    view.show_practitioners([first.id, second.id])
    view.set_mode("week")
    days = view.days()
    assert len(days) >= 5 and days[0].weekday() == 0
    assert [(c.day, c.practitioner_id) for c in view.columns[:2]] == [
        (days[0], first.id),
        (days[0], second.id),
    ]
    assert view.title.text().startswith("Semaine du lundi")
    # Stranded minutes are computed per column from the agenda's shortest motif.
    assert all(c.stranded_minutes == sum(h.minutes for h in c.holes) for c in view.columns)


def test_keyboard_changes_the_day_and_the_selection(qtbot: QtBot, demo_ws: Workspace) -> None:
    view = make_view(qtbot, demo_ws)
    view.show_practitioners([doctor(demo_ws)])
    view.set_day(date.today())
    view.grid.setFocus()
    qtbot.keyClick(view.grid, Qt.Key.Key_Right)
    assert view.current_day == date.today() + timedelta(days=1)
    qtbot.keyClick(view.grid, Qt.Key.Key_Left)
    qtbot.keyClick(view.grid, Qt.Key.Key_Left)
    assert view.current_day == date.today() - timedelta(days=1)
    qtbot.keyClick(view.grid, Qt.Key.Key_T)
    assert view.current_day == date.today()
    qtbot.keyClick(view.grid, Qt.Key.Key_S)
    assert view.mode == "week"
    qtbot.keyClick(view.grid, Qt.Key.Key_Right)
    assert view.current_day == date.today() + timedelta(days=7)
    qtbot.keyClick(view.grid, Qt.Key.Key_J)
    assert view.mode == "day"
    view.go_today()
    listed = view.columns[0].appointments
    assert view.grid.selected_appointment() == listed[0]
    qtbot.keyClick(view.grid, Qt.Key.Key_Down)
    assert view.grid.selected_appointment() == listed[1]
    assert listed[1].caller_name in view.selection.text()
    qtbot.keyClick(view.grid, Qt.Key.Key_Up)
    assert view.grid.selected_appointment() == listed[0]


def test_cancelling_lists_a_waiting_caller_whose_constraints_fit(
    qtbot: QtBot, demo_ws: Workspace
) -> None:
    view = make_view(qtbot, demo_ws)
    pid = doctor(demo_ws)
    day = working_day_after(date.today(), demo_ws, pid)
    listed = day_appointments(demo_ws, pid, day)
    freed = listed[1]
    local = freed.starts_at.astimezone(PARIS)
    wanted = "le matin" if local.hour < 12 else "l'après-midi"
    other = "l'après-midi" if local.hour < 12 else "le matin"
    waiting = demo_ws.waitlist.add(pid, caller_id=listed[0].caller_id, preferences=wanted)
    not_fitting = demo_ws.waitlist.add(pid, caller_id=listed[2].caller_id, preferences=other)
    view.show_practitioners([pid])
    view.set_day(day)
    assert view.grid.select(freed.id)
    view.grid.setFocus()
    qtbot.keyClick(view.grid, Qt.Key.Key_Return)
    dialog = view.dialog
    assert dialog is not None and dialog.appointment.id == freed.id
    questions: list[str] = []
    dialog.confirm = lambda text: questions.append(text) or True
    dialog.cancel_button.click()
    assert questions and "Annuler le rendez-vous" in questions[0]
    assert freed.id not in {a.id for a in view.columns[0].appointments}
    shown = [
        dialog.candidates_model.item(row).data(Qt.ItemDataRole.UserRole + 1)
        for row in range(dialog.candidates_model.rowCount())
    ]
    assert waiting.id in {e.id for e in shown}
    assert not_fitting.id not in {e.id for e in shown}
    row = next(i for i, e in enumerate(shown) if e.id == waiting.id)
    text = dialog.candidates_model.item(row).text()
    assert waiting.caller_phones and waiting.caller_phones[0] in text
    dialog.candidates.setCurrentIndex(dialog.candidates_model.index(row, 0))
    assert "Proposer à" in dialog.offer_button.text()
    dialog.offer_button.click()
    assert waiting.id not in {e.id for e in demo_ws.waitlist.open(pid)}
    assert "retirée de la liste" in dialog.message.text()


def test_moving_onto_another_appointment_is_refused_in_french(
    qtbot: QtBot, demo_ws: Workspace
) -> None:
    view = make_view(qtbot, demo_ws)
    pid = doctor(demo_ws)
    day = working_day_after(date.today(), demo_ws, pid)
    first, second = day_appointments(demo_ws, pid, day)[:2]
    view.show_practitioners([pid])
    view.set_day(day)
    view.grid.select(first.id)
    dialog = view.open_selected()
    assert dialog is not None
    assert not dialog.move_to(second.starts_at)
    assert "Déplacement impossible" in dialog.message.text()
    assert "chevauche" in dialog.message.text()
    assert demo_ws.bookings.appointment(first.id).starts_at == first.starts_at


def test_moving_to_a_proposed_slot(qtbot: QtBot, demo_ws: Workspace) -> None:
    view = make_view(qtbot, demo_ws)
    pid = doctor(demo_ws)
    day = working_day_after(date.today(), demo_ws, pid)
    first = day_appointments(demo_ws, pid, day)[0]
    view.show_practitioners([pid])
    view.set_day(day)
    view.grid.select(first.id)
    dialog = view.open_selected()
    assert dialog is not None
    changed: list[object] = []
    view.appointment_changed.connect(changed.append)
    dialog.move_button.click()
    assert dialog.proposals_model.rowCount() >= 1
    target = dialog.proposals_model.item(0).data(Qt.ItemDataRole.UserRole + 1)
    qtbot.keyClick(dialog.proposals, Qt.Key.Key_Return)
    moved = demo_ws.bookings.appointment(first.id)
    assert moved.starts_at == target and changed
    assert "déplacé" in dialog.message.text()


def test_putting_the_selected_caller_on_the_waiting_list(qtbot: QtBot, demo_ws: Workspace) -> None:
    view = make_view(qtbot, demo_ws)
    pid = doctor(demo_ws)
    view.show_practitioners([pid])
    view.go_today()
    selected = view.grid.selected_appointment()
    assert selected is not None
    dialog = view.add_to_waitlist()
    assert dialog.practitioner.currentData() == pid
    type_text(qtbot, dialog.preferences, "plutôt l'après-midi, pas le lundi")
    assert dialog.understood.text().startswith("Compris")
    entry = dialog.save()
    assert entry is not None
    assert entry.caller_id == selected.caller_id and entry.appointment_id == selected.id
    assert entry.appointment_type_id == selected.appointment_type_id
    assert entry.id in {e.id for e in demo_ws.waitlist.open(pid)}
