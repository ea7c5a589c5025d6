"""The agenda store on a real demo database: listing, moving, cancelling, exceptions, waitlist."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from permanence.core.agenda import availability
from permanence.core.db.models import DayException
from permanence.core.demo import create_demo_workspace
from permanence.core.errors import ValidationError
from permanence.core.workspace import Workspace

TODAY = date(2026, 11, 23)  # a Monday
PARIS = ZoneInfo("Europe/Paris")
TODAY_START = datetime.combine(TODAY, time(0), tzinfo=PARIS)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Workspace]:
    workspace = create_demo_workspace(tmp_path / "demo", today=TODAY)
    yield workspace
    workspace.close()


def dentist(ws: Workspace) -> int:
    practice = next(p for p in ws.practices.list() if p.kind == "dentiste")
    return practice.practitioners[1].id  # not absent in the demo today


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=PARIS)
    return start, start + timedelta(days=1)


def test_appointments_carry_caller_and_motif_names(demo: Workspace) -> None:
    listed = demo.bookings.appointments(dentist(demo), *day_bounds(TODAY))
    assert listed
    assert all(a.status == "booked" and a.type_name for a in listed)
    assert any(a.caller_name and a.caller_phones for a in listed)
    assert [a.starts_at for a in listed] == sorted(a.starts_at for a in listed)


def test_cancel_frees_the_slot(demo: Workspace) -> None:
    doctor = dentist(demo)
    first = demo.bookings.appointments(doctor, *day_bounds(TODAY))[0]
    cancelled = demo.bookings.cancel(first.id, by="Sophie")
    assert cancelled.status == "cancelled" and "Annulé" in cancelled.notes
    assert first.id not in {a.id for a in demo.bookings.appointments(doctor, *day_bounds(TODAY))}
    again = demo.bookings.book(
        doctor, first.appointment_type_id or 0, first.starts_at, first.ends_at
    )
    assert again.starts_at == first.starts_at
    with pytest.raises(ValidationError, match="déjà annulé"):
        demo.bookings.cancel(first.id)


def test_move_refuses_an_overlap_and_changes_nothing(demo: Workspace) -> None:
    doctor = dentist(demo)
    listed = demo.bookings.appointments(doctor, *day_bounds(TODAY))
    first, second = listed[0], listed[1]
    with pytest.raises(ValidationError, match="chevauche le rendez-vous de"):
        demo.bookings.move(first.id, second.starts_at, by="Sophie")
    assert demo.bookings.appointment(first.id).starts_at == first.starts_at


def test_move_to_a_free_time_keeps_the_length(demo: Workspace) -> None:
    doctor = dentist(demo)
    first = demo.bookings.appointments(doctor, *day_bounds(TODAY))[0]
    evening = datetime.combine(TODAY, time(21, 0), tzinfo=PARIS)
    moved = demo.bookings.move(first.id, evening, by="Sophie")
    assert moved.starts_at == evening and moved.ends_at - moved.starts_at == (
        first.ends_at - first.starts_at
    )
    assert "Déplacé" in moved.notes and "Sophie" in moved.notes


def test_moving_onto_itself_shifted_is_allowed(demo: Workspace) -> None:
    doctor = dentist(demo)
    first = demo.bookings.appointments(doctor, *day_bounds(TODAY))[0]
    earlier = first.starts_at - timedelta(minutes=5)
    moved = demo.bookings.move(first.id, earlier)
    assert moved.starts_at == earlier


def test_day_exception_changes_availability(demo: Workspace) -> None:
    doctor = dentist(demo)
    tuesday = TODAY + timedelta(days=1)
    since, until = day_bounds(tuesday)
    before = availability(demo.bookings.agenda(doctor, since=since, until=until), since, until)
    assert before.open_periods
    with demo.sessions.begin() as session:
        session.add(
            DayException(practitioner_id=doctor, day=tuesday, periods="14:00-17:00", note="")
        )
    agenda = demo.bookings.agenda(doctor, since=since, until=until)
    assert agenda.exception_on(tuesday) is not None
    after = availability(agenda, since, until)
    assert [
        (s.astimezone(PARIS).time(), e.astimezone(PARIS).time())
        for s, e in after.open_periods
        if s.astimezone(PARIS).date() == tuesday
    ] == [(time(14), time(17))]


def test_closed_day_exception_leaves_no_open_time(demo: Workspace) -> None:
    doctor = dentist(demo)
    tuesday = TODAY + timedelta(days=1)
    with demo.sessions.begin() as session:
        session.add(DayException(practitioner_id=doctor, day=tuesday, periods="", note="Fermé"))
    since, until = day_bounds(tuesday)
    agenda = demo.bookings.agenda(doctor, since=since, until=until)
    assert not [s for s, _ in availability(agenda, since, until).open_periods if s < until]


def test_waitlist_candidates_respect_constraints(demo: Workspace) -> None:
    doctor = dentist(demo)
    freed = demo.bookings.appointments(doctor, *day_bounds(TODAY + timedelta(days=1)))[0]
    types = {t.duration_min: t for t in demo.bookings.appointment_types(doctor)}
    short = min(types)
    longest = max(types)
    week = demo.bookings.appointments(doctor, TODAY_START, TODAY_START + timedelta(days=7))
    callers = list(dict.fromkeys(a.caller_id for a in week if a.caller_id is not None))
    assert len(callers) >= 5
    local = freed.starts_at.astimezone(PARIS)
    part = "le matin" if local.hour < 12 else "l'après-midi"
    wrong_part = "l'après-midi" if local.hour < 12 else "le matin"
    fits = demo.waitlist.add(
        doctor, caller_id=callers[0], appointment_type_id=types[short].id, preferences=part
    )
    too_long = demo.waitlist.add(
        doctor, caller_id=callers[1], appointment_type_id=types[longest].id
    )
    wrong_time = demo.waitlist.add(doctor, caller_id=callers[2], preferences=wrong_part)
    too_early = demo.waitlist.add(
        doctor, caller_id=callers[3], not_before=freed.starts_at + timedelta(days=2)
    )
    sooner_already = demo.waitlist.add(
        doctor, caller_id=callers[4], appointment_id=freed.id, notes="veut plus tôt"
    )
    freed_length = freed.ends_at - freed.starts_at
    assert freed_length >= timedelta(minutes=short)
    demo.bookings.cancel(freed.id)
    found = demo.waitlist.candidates_for(doctor, freed.starts_at, freed.ends_at)
    ids = {entry.id for entry in found}
    assert fits.id in ids
    assert wrong_time.id not in ids and too_early.id not in ids
    if freed_length < timedelta(minutes=longest):
        assert too_long.id not in ids
    # The cancelled appointment no longer counts as held: they may take the slot.
    assert sooner_already.id in ids
    assert found[0].caller_name and found[0].caller_phones

    demo.waitlist.serve(fits.id)
    assert fits.id not in {e.id for e in demo.waitlist.open(doctor)}
    with pytest.raises(ValidationError, match="n'est plus sur la liste"):
        demo.waitlist.withdraw(fits.id)


def test_waitlist_holder_of_an_earlier_appointment_is_not_offered_a_later_one(
    demo: Workspace,
) -> None:
    doctor = dentist(demo)
    today = demo.bookings.appointments(doctor, *day_bounds(TODAY))
    later = demo.bookings.appointments(doctor, *day_bounds(TODAY + timedelta(days=2)))[0]
    entry = demo.waitlist.add(doctor, caller_id=today[0].caller_id, appointment_id=today[0].id)
    demo.bookings.cancel(later.id)
    assert entry.id not in {
        e.id for e in demo.waitlist.candidates_for(doctor, later.starts_at, later.ends_at)
    }


def test_waitlist_refuses_unknown_caller_without_notes(demo: Workspace) -> None:
    with pytest.raises(ValidationError, match="indiquez l'appelant"):
        demo.waitlist.add(dentist(demo), caller_id=None)
