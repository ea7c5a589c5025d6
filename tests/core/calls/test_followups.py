"""Promises become follow-ups with a due time; late ones show as late until done."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from calls_setup import Setup
from hypothesis import given
from hypothesis import strategies as st

from permanence.core.calls.followups import STATE_DONE, STATE_LATE, STATE_TODO, parse_due
from permanence.core.errors import ValidationError
from permanence.core.workspace import Workspace

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 23, 14, 0, tzinfo=PARIS)  # a Monday, 14 h


def paris(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("said", "due"),
    [
        ("avant 18 h", paris(23, 18)),
        ("On vous rappelle avant 18h30", paris(23, 18, 30)),
        ("vers 16:45", paris(23, 16, 45)),
        ("avant midi", paris(24, 12)),  # noon has passed: tomorrow
        ("avant 9 h", paris(24, 9)),
        ("demain matin", paris(24, 12)),
        ("demain avant 10 h", paris(24, 10)),
        ("demain", paris(24, 19)),
        ("après-demain après-midi", paris(25, 18)),
        ("dans 1 h", paris(23, 15)),
        ("dans une heure", paris(23, 15)),
        ("dans 20 minutes", paris(23, 14, 20)),
        ("dans une demi-heure", paris(23, 14, 30)),
        ("dans un quart d'heure", paris(23, 14, 15)),
        ("dans 1 h et demie", paris(23, 15, 30)),
        ("sous 48 h", paris(25, 14)),
        ("cet après-midi", paris(23, 18)),
        ("Cet aprèm", paris(23, 18)),
        ("ce soir", paris(23, 20)),
        ("en fin de journée", paris(23, 19)),
        ("dans la journée", paris(23, 19)),
        ("jeudi avant 10 h", paris(26, 10)),
        ("lundi matin", paris(30, 12)),  # said on a Monday: next Monday
    ],
)
def test_promises_as_said_on_the_phone(said: str, due: datetime) -> None:
    assert parse_due(said, NOW) == due


@pytest.mark.parametrize("said", ["ce matin", "dès que possible", "", "plus tard", "à 25 h"])
def test_vague_or_past_promises_give_none(said: str) -> None:
    assert parse_due(said, NOW) is None


def test_cet_apres_midi_after_the_afternoon_is_none() -> None:
    assert parse_due("cet après-midi", paris(23, 19)) is None


def test_local_time_across_the_dst_change() -> None:
    saturday = datetime(2027, 3, 27, 16, 0, tzinfo=PARIS)
    due = parse_due("demain matin", saturday)
    assert due == datetime(2027, 3, 28, 12, 0, tzinfo=PARIS)
    assert due is not None and due.utcoffset() == timedelta(hours=2)
    assert parse_due("dans 1 h", datetime(2027, 3, 27, 15, 0, tzinfo=UTC)) == datetime(
        2027, 3, 27, 16, 0, tzinfo=UTC
    )


@given(st.text(max_size=60), st.datetimes(timezones=st.just(UTC)))
def test_parse_due_never_crashes_and_never_answers_the_past(text: str, now: datetime) -> None:
    due = parse_due(text, now)
    assert due is None or (due.tzinfo is not None and due > now)


def test_a_promise_made_during_a_call(setup: Setup) -> None:
    ws = setup.ws
    caller = ws.callers.create("Dupont", "Marie", phones=["06 12 34 56 78"])
    call = ws.calls.start(to_number="0478601234")
    ws.calls.update(call.id, caller_id=caller.id, practitioner_id=setup.dr_martin)
    due = datetime.now(UTC) + timedelta(hours=2)
    made = ws.followups.create(
        "Le Dr Martin rappelle pour les résultats",
        due,
        kind="promesse",
        call_id=call.id,
        created_by="Sophie",
    )
    assert (made.practice_id, made.practitioner_id, made.caller_id) == (
        setup.martin,
        setup.dr_martin,
        caller.id,
    )
    assert made.caller_name == "DUPONT Marie" and made.practice_name == "Cabinet Martin"
    assert made.state() == STATE_TODO and not made.overdue() and made.kind_label == "Promesse"
    assert made.state(due + timedelta(seconds=1)) == STATE_LATE
    assert ws.followups.for_call(call.id) == [made]


@pytest.mark.parametrize(
    ("description", "due", "message"),
    [
        ("  ", datetime.now(UTC) + timedelta(hours=1), "Décrivez ce qui a été promis"),
        ("Rappeler", datetime(2030, 1, 1, 10), "fuseau horaire"),
        ("Rappeler", datetime.now(UTC) - timedelta(minutes=5), "déjà passée"),
        ("Rappeler", None, "Indiquez l'échéance"),
    ],
)
def test_bad_follow_ups_are_refused(
    ws: Workspace, description: str, due: datetime | None, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        ws.followups.create(description, due)


def test_due_a_few_seconds_ago_is_accepted(ws: Workspace) -> None:
    """She types while the clock runs: a minute of tolerance."""
    made = ws.followups.create("Rappeler", datetime.now(UTC) - timedelta(seconds=30))
    assert made.overdue()


def test_open_follow_ups_soonest_first_and_done(setup: Setup) -> None:
    ws = setup.ws
    now = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
    later = ws.followups.create("Rappeler Mme Petit", now + timedelta(hours=4), now=now)
    sooner = ws.followups.create(
        "Confirmer le RDV", now + timedelta(hours=1), practice_id=setup.dentist, now=now
    )
    soonest = ws.followups.create("Envoyer l'ordonnance", now + timedelta(minutes=5), now=now)
    assert [f.id for f in ws.followups.open(now)] == [soonest.id, sooner.id, later.id]
    assert [f.id for f in ws.followups.open(now, practice_id=setup.dentist)] == [sooner.id]
    assert len(ws.followups.open(now, due_within=timedelta(hours=2))) == 2
    at_two = now + timedelta(hours=2)
    assert [f.state(at_two) for f in ws.followups.open(now)] == [
        STATE_LATE,
        STATE_LATE,
        STATE_TODO,
    ]
    done = ws.followups.done(sooner.id, "Sophie", at=at_two)
    assert done.state() == STATE_DONE and done.done_by == "Sophie" and not done.overdue(at_two)
    assert sooner.id not in [f.id for f in ws.followups.open(now)]
    with pytest.raises(ValidationError, match="déjà marqué fait par Sophie"):
        ws.followups.done(sooner.id, "Julie")
