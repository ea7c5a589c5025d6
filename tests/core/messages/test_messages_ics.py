from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from permanence.core.messages import CallbackInfo, export_callbacks_ics
from permanence.core.practices.values import PractitionerInfo

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
MARTIN = PractitionerInfo(1, 1, "martin", "Dr", "Claire", "Martin", "generaliste", "Europe/Paris")
WINDOW = CallbackInfo(
    source="message",
    source_id=7,
    practice_id=1,
    practitioner_id=1,
    who="Madame Marie DUPONT",
    initials="M. D.",
    number="06 12 34 56 78",
    reason="Résultats de prise de sang",
    urgent=True,
    window_start=datetime(2026, 11, 23, 11, 0, tzinfo=UTC),
    due_at=datetime(2026, 11, 23, 13, 0, tzinfo=UTC),
    state="à faire",
    message_id=7,
    created_at=NOW,
)
FOLLOW_UP = CallbackInfo(
    source="suivi",
    source_id=3,
    practice_id=1,
    practitioner_id=1,
    who="LEFÈVRE Julien",
    initials="J. L.",
    number="",
    reason="Rappeler pour l'ordonnance",
    urgent=False,
    window_start=None,
    due_at=NOW + timedelta(hours=2),
    state="à faire",
    message_id=None,
    created_at=NOW,
)


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def test_todos_round_trip() -> None:
    calendar = parse(
        export_callbacks_ics([WINDOW, FOLLOW_UP], privacy="full", practitioner=MARTIN, now=NOW)
    )
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//Permanence//Rappels//FR"
    assert str(calendar["X-WR-CALNAME"]) == "Rappels — Dr Claire Martin"
    todos = list(calendar.walk("VTODO"))
    assert [str(t["UID"]) for t in todos] == ["message-7@permanence", "followup-3@permanence"]
    first = todos[0]
    assert first.decoded("DUE") == WINDOW.due_at
    assert first.decoded("DTSTAMP") == NOW
    assert first.decoded("DTSTART") == WINDOW.window_start
    assert str(first["SUMMARY"]) == (
        "URGENT — Rappel Madame Marie DUPONT — Résultats de prise de sang — 06 12 34 56 78"
    )
    assert first.decoded("PRIORITY") == 1 and str(first["STATUS"]) == "NEEDS-ACTION"
    assert "DTSTART" not in todos[1]
    assert not list(calendar.walk("VEVENT"))


@pytest.mark.parametrize(
    ("privacy", "summary"),
    [("initials", "Rappel M. D. — 06 12 34 56 78"), ("minimal", "Rappel patient")],
)
def test_privacy_levels_hide_the_medical_content(privacy: str, summary: str) -> None:
    data = export_callbacks_ics([WINDOW], privacy=privacy, now=NOW)  # type: ignore[arg-type]
    [todo] = parse(data).walk("VTODO")
    assert str(todo["SUMMARY"]) == summary
    assert b"sang" not in data and b"DUPONT" not in data and "DESCRIPTION" not in todo


def test_events_at_the_callback_window_and_stable_uids() -> None:
    first = export_callbacks_ics([WINDOW, FOLLOW_UP], as_events=True, now=NOW)
    events = list(parse(first).walk("VEVENT"))
    assert events[0].decoded("DTSTART") == WINDOW.window_start
    assert events[0].decoded("DTEND") == WINDOW.due_at
    assert events[1].decoded("DTEND") - events[1].decoded("DTSTART") == timedelta(minutes=15)
    again = export_callbacks_ics([WINDOW, FOLLOW_UP], as_events=True, now=NOW + timedelta(days=1))
    assert [str(e["UID"]) for e in parse(again).walk("VEVENT")] == [str(e["UID"]) for e in events]
    assert first.endswith(b"END:VCALENDAR\r\n") and b"\r\n" in first
