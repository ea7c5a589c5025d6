"""CalDAV, what the server does to our appointments and what we send it, against a real
Radicale: deletions free, moves move (with a French notice), conflicts resolved either way,
callbacks pushed as VTODO with the source's privacy level, the sync state per source."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from test_caldav_radicale import (  # fixtures and helpers of the Radicale suite
    NOW,
    PASSWORD,
    USER,
    Radicale,
    book,
    demo,
    martin,
    radicale,
)

from permanence.core.calendars.caldav_sync import CalDavService
from permanence.core.db.models import Appointment, Caller, CallerPhone, FollowUp
from permanence.core.workspace import Workspace

pytestmark = pytest.mark.integration
__all__ = ["demo", "radicale"]  # fixtures, imported for pytest


def setup(ws: Workspace, server: Radicale, *, privacy: str = "initials") -> tuple[int, int]:
    """A CalDAV source for Dr Martin and one appointment of his, pushed to the server."""
    service: CalDavService = ws.caldav
    source = service.add_source(martin(ws), server.calendar_url, USER, privacy=privacy)
    appointment = book(ws, 4, 10)  # lundi 4 janvier 2027, 10:00 UTC = 11 h à Paris
    service.queue_appointment(appointment, source.id, "create")
    assert service.push(source.id, PASSWORD).sent == 1
    return source.id, appointment


def appointment_row(ws: Workspace, appointment_id: int) -> Appointment:
    with ws.sessions() as session:
        row = session.get(Appointment, appointment_id)
        assert row is not None
        return row


def test_an_appointment_deleted_on_the_server_is_freed_with_a_note(
    demo: Workspace, radicale: Radicale
) -> None:
    source_id, appointment = setup(demo, radicale)
    radicale.delete(f"appointment-{appointment}.ics")

    result = demo.caldav.sync(source_id, PASSWORD, now=NOW)

    assert result.ok and result.pull is not None and result.pull.freed == (appointment,)
    row = appointment_row(demo, appointment)
    assert row.status == "cancelled"
    assert "Annulé le" in row.notes and "synchronisation de l'agenda" in row.notes
    assert "supprimé de l'agenda du praticien sur le serveur" in row.notes
    [notice] = result.notices
    assert "du lundi 4 janvier à 11 h annulé" in notice and "créneau est libéré" in notice
    assert notice in result.message
    # Its time is free again: the same slot can be booked.
    assert book(demo, 4, 10) != appointment


def test_an_appointment_cancelled_on_the_server_is_freed(
    demo: Workspace, radicale: Radicale
) -> None:
    source_id, appointment = setup(demo, radicale)
    name = f"appointment-{appointment}.ics"
    radicale.put(name, radicale.get(name).replace("STATUS:CONFIRMED", "STATUS:CANCELLED"))
    result = demo.caldav.sync(source_id, PASSWORD, now=NOW)
    assert result.pull is not None and result.pull.freed == (appointment,)
    assert appointment_row(demo, appointment).status == "cancelled"


def test_an_appointment_moved_on_the_server_follows(demo: Workspace, radicale: Radicale) -> None:
    source_id, appointment = setup(demo, radicale)
    name = f"appointment-{appointment}.ics"
    moved = (
        radicale.get(name)
        .replace("DTSTART:20270104T100000Z", "DTSTART:20270105T133000Z")
        .replace("DTEND:20270104T103000Z", "DTEND:20270105T140000Z")
    )
    assert "20270105T133000Z" in moved
    radicale.put(name, moved)

    result = demo.caldav.sync(source_id, PASSWORD, now=NOW)

    assert result.ok and result.pull is not None and result.pull.moved == (appointment,)
    row = appointment_row(demo, appointment)
    assert row.status == "booked"
    assert row.starts_at == datetime(2027, 1, 5, 13, 30, tzinfo=UTC)
    assert row.ends_at == datetime(2027, 1, 5, 14, 0, tzinfo=UTC)
    assert "Déplacé le" in row.notes
    [notice] = result.notices
    assert "déplacé sur le serveur : du lundi 4 janvier à 11 h au mardi 5 janvier à 14 h 30" in (
        notice
    )
    # A second sync changes nothing more.
    again = demo.caldav.sync(source_id, PASSWORD, now=NOW)
    assert again.notices == () and appointment_row(demo, appointment).starts_at == row.starts_at


def test_a_move_on_both_sides_is_a_conflict_kept_until_chosen(
    demo: Workspace, radicale: Radicale
) -> None:
    source_id, appointment = setup(demo, radicale)
    name = f"appointment-{appointment}.ics"
    radicale.put(
        name,
        radicale.get(name)
        .replace("DTSTART:20270104T100000Z", "DTSTART:20270106T080000Z")
        .replace("DTEND:20270104T103000Z", "DTEND:20270106T083000Z"),
    )
    # Meanwhile Permanence moved it too, offline: its push waits in the outbox.
    demo.bookings.move(appointment, datetime(2027, 1, 4, 15, 0, tzinfo=UTC))
    demo.caldav.queue_appointment(appointment, source_id, "update")
    # A read alone must not apply the server's time over the unsent change.
    pulled = demo.caldav.pull(source_id, PASSWORD, now=NOW)
    assert pulled.ok and pulled.moved == () and any("conflit" in n for n in pulled.notices)
    assert appointment_row(demo, appointment).starts_at == datetime(2027, 1, 4, 15, tzinfo=UTC)

    [conflict] = demo.caldav.conflicts(source_id)
    assert conflict.ours is not None and conflict.theirs is not None
    assert conflict.ours.start == datetime(2027, 1, 4, 15, 0, tzinfo=UTC)
    assert conflict.theirs.start == datetime(2027, 1, 6, 8, 0, tzinfo=UTC)
    state = demo.caldav.state(source_id)
    assert state.conflicts == 1 and state.label == "conflit (1)"
    # The push does not overwrite it either.
    assert demo.caldav.push(source_id, PASSWORD).sent == 0
    assert "20270106T080000Z" in radicale.get(name)


def conflict_by_server_edit(ws: Workspace, server: Radicale) -> tuple[int, int, str]:
    """Pushed, then changed on the server (title and time), then changed in Permanence."""
    source_id, appointment = setup(ws, server)
    name = f"appointment-{appointment}.ics"
    theirs = (
        server.get(name)
        .replace("DTSTART:20270104T100000Z", "DTSTART:20270107T090000Z")
        .replace("DTEND:20270104T103000Z", "DTEND:20270107T093000Z")
        .replace("SUMMARY:Rendez-vous", "SUMMARY:Déplacé par le docteur")
    )
    server.put(name, theirs)
    ws.bookings.move(appointment, datetime(2027, 1, 4, 16, 0, tzinfo=UTC))
    ws.caldav.queue_appointment(appointment, source_id, "update")
    report = ws.caldav.push(source_id, PASSWORD)
    assert report.conflicts == 1
    return source_id, appointment, name


def test_keep_permanence_version_overwrites_with_the_new_etag(
    demo: Workspace, radicale: Radicale
) -> None:
    source_id, appointment, name = conflict_by_server_edit(demo, radicale)
    [conflict] = demo.caldav.conflicts(source_id)
    report = demo.caldav.resolve_conflict(conflict.entry_id, "ours", PASSWORD)
    assert report.ok, report.message
    assert "Version de Permanence gardée" in report.message
    on_server = radicale.get(name)
    assert "DTSTART:20270104T160000Z" in on_server and "Déplacé par le docteur" not in on_server
    assert demo.caldav.conflicts(source_id) == []
    assert demo.caldav.state(source_id).conflicts == 0
    # The next sync does not move it back nor see a change.
    result = demo.caldav.sync(source_id, PASSWORD, now=NOW)
    assert result.ok and result.notices == ()
    assert appointment_row(demo, appointment).starts_at == datetime(2027, 1, 4, 16, tzinfo=UTC)


def test_keep_server_version_moves_the_appointment_and_drops_ours(
    demo: Workspace, radicale: Radicale
) -> None:
    source_id, appointment, name = conflict_by_server_edit(demo, radicale)
    demo.caldav.queue_appointment(appointment, source_id, "update")  # a later change, blocked
    [conflict] = demo.caldav.conflicts(source_id)
    report = demo.caldav.resolve_conflict(conflict.entry_id, "theirs")
    assert report.ok and "Version du serveur gardée" in report.message
    assert "jeudi 7 janvier à 10 h" in report.message
    row = appointment_row(demo, appointment)
    assert row.starts_at == datetime(2027, 1, 7, 9, 0, tzinfo=UTC)
    states = [entry.state for entry in demo.caldav.outbox(source_id)]
    assert states == ["sent", "resolved", "dropped"]
    result = demo.caldav.sync(source_id, PASSWORD, now=NOW)
    assert result.ok and result.pending == 0 and result.notices == ()
    assert "Déplacé par le docteur" in radicale.get(name)  # the server's copy stays


def test_keep_server_version_of_a_deleted_event_cancels(
    demo: Workspace, radicale: Radicale
) -> None:
    source_id, appointment = setup(demo, radicale)
    demo.bookings.move(appointment, datetime(2027, 1, 4, 16, 0, tzinfo=UTC))
    demo.caldav.queue_appointment(appointment, source_id, "update")
    radicale.delete(f"appointment-{appointment}.ics")
    demo.caldav.pull(source_id, PASSWORD, now=NOW)
    [conflict] = demo.caldav.conflicts(source_id)
    assert conflict.theirs is None and conflict.ours is not None
    report = demo.caldav.resolve_conflict(conflict.entry_id, "theirs")
    assert "annulé" in report.message
    assert appointment_row(demo, appointment).status == "cancelled"


def todos(server: Radicale) -> dict[str, str]:
    """The VTODO items on the server, by file name."""
    client = server.client()
    calendar = client.calendar(url=server.calendar_url)
    found: dict[str, str] = {}
    for item in calendar.todos(include_completed=True):
        found[str(item.url).rsplit("/", 1)[-1]] = str(item.data)
    return found


def follow_up(ws: Workspace, motif: str) -> tuple[int, Caller, list[str]]:
    with ws.sessions() as session:
        caller = session.scalars(select(Caller).where(Caller.first_name != "")).first()
        assert caller is not None
        phones = [
            p.e164
            for p in session.scalars(select(CallerPhone).where(CallerPhone.caller_id == caller.id))
        ]
        session.expunge(caller)
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    info = ws.followups.create(
        motif, due, practitioner_id=martin(ws), caller_id=caller.id, created_by="Sophie"
    )
    return info.id, caller, phones


@pytest.mark.parametrize("privacy", ["minimal", "initials", "full"])
def test_callbacks_arrive_as_vtodo_with_the_privacy_of_the_source(
    demo: Workspace, radicale: Radicale, privacy: str
) -> None:
    motif = "résultats de la prise de sang"
    follow_up_id, caller, phones = follow_up(demo, motif)
    source = demo.caldav.add_source(martin(demo), radicale.calendar_url, USER, privacy=privacy)

    result = demo.caldav.sync(source.id, PASSWORD)
    assert result.ok and result.callbacks is not None and result.callbacks.sent >= 1

    found = todos(radicale)
    ours = found[f"followup-{follow_up_id}.ics"]
    assert "BEGIN:VTODO" in ours and f"UID:followup-{follow_up_id}@permanence" in ours
    with demo.sessions() as session:
        due = session.scalar(select(FollowUp.due_at).where(FollowUp.id == follow_up_id))
    assert due is not None and f"DUE:{due.astimezone(UTC):%Y%m%dT%H%M%S}Z" in ours
    unfolded = re.sub(r"\r?\n[ \t]", "", ours)
    summary = re.search(r"^SUMMARY:(.*)$", unfolded, re.MULTILINE)
    assert summary is not None
    if privacy == "minimal":
        assert summary.group(1).strip() == "Rappel patient"
        # No patient data in any callback of the calendar: no name, motif nor number.
        for text in found.values():
            flat = re.sub(r"\r?\n[ \t]", "", text)
            assert caller.last_name.upper() not in flat.upper()
            assert "prise de sang" not in flat and "DESCRIPTION" not in flat
            for phone in phones:  # neither "+33612345678" nor "06 12 34 56 78"
                digits = phone[-9:]
                spaced = " ".join(digits[i : i + 2] for i in range(1, 9, 2))
                assert digits not in flat and spaced not in flat
    elif privacy == "initials":
        assert summary.group(1).strip() == f"Rappel {caller.first_name[0]}. {caller.last_name[0]}."
        assert "prise de sang" not in unfolded
    else:
        assert caller.last_name.upper() in summary.group(1) and motif in summary.group(1)

    # Unchanged callbacks are not sent again; a done one leaves the calendar.
    again = demo.caldav.push_callbacks(source.id, PASSWORD)
    assert again.ok and again.sent == 0 and again.unchanged >= 1
    demo.followups.done(follow_up_id, "Dr Martin")
    done = demo.caldav.push_callbacks(source.id, PASSWORD)
    assert done.removed == 1 and f"followup-{follow_up_id}.ics" not in todos(radicale)


def test_callbacks_as_events_for_calendars_without_tasks(
    demo: Workspace, radicale: Radicale
) -> None:
    follow_up_id, _caller, _phones = follow_up(demo, "ordonnance")
    source = demo.caldav.add_source(martin(demo), radicale.calendar_url, USER, privacy="minimal")
    demo.caldav.set_callbacks_as(source.id, "event")
    result = demo.caldav.sync(source.id, PASSWORD)
    assert result.ok and result.callbacks is not None and result.callbacks.sent >= 1
    text = radicale.get(f"followup-{follow_up_id}.ics")
    assert "BEGIN:VEVENT" in text and "BEGIN:VTODO" not in text
    assert "TRANSP:TRANSPARENT" in text and "SUMMARY:Rappel patient" in text
    # Our own reminder is never read back as busy time.
    assert demo.caldav.pull(source.id, PASSWORD, now=NOW).busy == 0


def test_callbacks_are_not_busy_time(demo: Workspace, radicale: Radicale) -> None:
    follow_up(demo, "ordonnance")
    source = demo.caldav.add_source(martin(demo), radicale.calendar_url, USER)
    result = demo.caldav.sync(source.id, PASSWORD)
    assert result.ok and result.pull is not None and result.pull.busy == 0


def test_sync_state_offline_then_back(demo: Workspace, radicale: Radicale) -> None:
    service = demo.caldav
    source = service.add_source(martin(demo), radicale.calendar_url, USER)
    assert service.state(source.id).label == "jamais synchronisé"
    appointment = book(demo, 8, 9)
    service.queue_appointment(appointment, source.id, "create")
    radicale.stop()
    result = service.sync(source.id, PASSWORD, now=NOW)
    assert not result.ok and result.offline and result.pending == 1
    state = service.state(source.id)
    assert state.label == "hors ligne" and state.pending == 1 and state.last_sync_at == NOW
    assert "hors ligne" in result.message
    radicale.start()
    result = service.sync(source.id, PASSWORD, now=NOW)
    assert result.ok and result.pending == 0, result.message
    assert service.state(source.id).label == "OK"


def test_a_wrong_password_is_an_error_not_offline(demo: Workspace, radicale: Radicale) -> None:
    source = demo.caldav.add_source(martin(demo), radicale.calendar_url, USER)
    result = demo.caldav.sync(source.id, "mauvais", now=NOW)
    assert not result.ok and not result.offline
    assert demo.caldav.state(source.id).label == "erreur"
    assert "mot de passe refusé" in result.message


def test_booking_moving_and_cancelling_reach_the_calendar_at_the_next_sync(
    demo: Workspace, radicale: Radicale
) -> None:
    source = demo.caldav.add_source(martin(demo), radicale.calendar_url, USER)
    appointment = book(demo, 8, 9)  # no explicit queueing: booking does it
    [waiting] = demo.caldav.outbox(source.id, state="pending")
    assert waiting.appointment_id == appointment and waiting.action == "create"
    assert demo.caldav.sync(source.id, PASSWORD, now=NOW).ok
    name = f"appointment-{appointment}.ics"
    assert "DTSTART:20270108T090000Z" in radicale.get(name)

    demo.bookings.move(appointment, datetime(2027, 1, 8, 14, 0, tzinfo=UTC))
    assert demo.caldav.sync(source.id, PASSWORD, now=NOW).ok
    assert "DTSTART:20270108T140000Z" in radicale.get(name)

    demo.bookings.cancel(appointment, by="Sophie")
    assert demo.caldav.sync(source.id, PASSWORD, now=NOW).ok
    assert radicale.get(name) == ""  # gone from the server
    assert appointment_row(demo, appointment).status == "cancelled"


def test_the_same_change_queued_a_second_later_waits_once(
    demo: Workspace, radicale: Radicale
) -> None:
    # DTSTAMP changes with each second: the outbox compares the change without it.
    import time

    source_id, appointment = setup(demo, radicale)
    first = demo.caldav.queue_appointment(appointment, source_id, "update")
    time.sleep(1.1)
    second = demo.caldav.queue_appointment(appointment, source_id, "update")
    assert second.id == first.id
    assert len(demo.caldav.outbox(source_id, state="pending")) == 1
