"""Booking into a practitioner's agenda: built from the database, never double-booked."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from permanence.core.agenda.request import propose_for_request
from permanence.core.demo import create_demo_workspace
from permanence.core.errors import ValidationError
from permanence.core.workspace import Workspace

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@pytest.fixture
def demo(tmp_path: Path) -> Workspace:
    return create_demo_workspace(tmp_path / "demo", today=TODAY)


def dentist(ws: Workspace) -> int:
    practice = next(p for p in ws.practices.list() if p.kind == "dentiste")
    return practice.practitioners[1].id  # not absent in the demo today


def test_agenda_from_the_database_gives_free_proposals(demo: Workspace) -> None:
    doctor = dentist(demo)
    agenda = demo.bookings.agenda(doctor, since=NOW, until=NOW + timedelta(days=28))
    assert agenda.template.periods and agenda.bookings and agenda.appointment_types
    kind = next(t for t in demo.bookings.appointment_types(doctor) if not t.urgent_only)
    proposals = propose_for_request(agenda, kind.model, now=NOW)
    assert 1 <= len(proposals) <= 3
    for proposal in proposals:
        for booking in agenda.bookings:
            assert (
                proposal.end <= booking.start
                or proposal.start >= booking.end + booking.buffer_after
            )


def test_double_booking_is_refused(demo: Workspace) -> None:
    doctor = dentist(demo)
    kind = demo.bookings.appointment_types(doctor)[0]
    agenda = demo.bookings.agenda(doctor, since=NOW, until=NOW + timedelta(days=28))
    slot = propose_for_request(agenda, kind.model, now=NOW)[0]
    demo.bookings.book(doctor, kind.id, slot.start, slot.end)
    with pytest.raises(ValidationError, match="vient d'être pris"):
        demo.bookings.book(doctor, kind.id, slot.start + timedelta(minutes=5), slot.end)


def test_two_windows_booking_at_once_get_one_booking(demo: Workspace) -> None:
    doctor = dentist(demo)
    kind = demo.bookings.appointment_types(doctor)[0]
    agenda = demo.bookings.agenda(doctor, since=NOW, until=NOW + timedelta(days=28))
    slot = propose_for_request(agenda, kind.model, now=NOW)[0]
    assert demo.location.directory is not None
    second = Workspace.open(demo.location.directory, is_demo=True)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def attempt(ws: Workspace) -> None:
        barrier.wait()
        try:
            ws.bookings.book(doctor, kind.id, slot.start, slot.end)
            results.append("ok")
        except ValidationError:
            results.append("refusé")

    threads = [threading.Thread(target=attempt, args=(ws,)) for ws in (demo, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    second.close()
    assert sorted(results) == ["ok", "refusé"]


def test_absent_practitioner_gets_no_slot_during_absence(demo: Workspace) -> None:
    practice = next(p for p in demo.practices.list() if p.kind == "dentiste")
    absent = practice.practitioners[0].id  # absent today and tomorrow in the demo
    agenda = demo.bookings.agenda(absent, since=NOW, until=NOW + timedelta(days=28))
    kind = demo.bookings.appointment_types(absent)[0]
    first = propose_for_request(agenda, kind.model, now=NOW, policy="first_fit")[0]
    assert first.start >= datetime(2026, 11, 24, 23, 0, tzinfo=UTC)
