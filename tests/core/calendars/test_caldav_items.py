"""What goes to a CalDAV calendar and what is read back, without a server: callback VTODOs
per privacy level, the facts of an event (moves, cancellations), French wording, the
refresh of every source and its refusals."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from permanence.core.calendars.caldav_items import (
    callback_summary,
    callback_todo_ics,
    event_facts,
    french_moment,
    is_callback_uid,
    without_stamp,
)
from permanence.core.calendars.caldav_sync import CalDavState, secret_name
from permanence.core.calendars.refresh import refresh_all, stored_password
from permanence.core.demo import create_demo_workspace
from permanence.core.errors import ValidationError
from permanence.core.messages.lookup import find_practitioner
from permanence.core.messages.values import CallbackInfo
from permanence.core.workspace import Workspace

PARIS = ZoneInfo("Europe/Paris")
DUE = datetime(2027, 1, 12, 16, 30, tzinfo=UTC)
FIXTURE = Path(__file__).parents[2] / "fixtures" / "ics" / "practitioner_busy.ics"


def callback(**changes: object) -> CallbackInfo:
    values: dict[str, object] = {
        "source": "suivi",
        "source_id": 7,
        "practice_id": 1,
        "practitioner_id": 1,
        "who": "Madame Marie DUPONT",
        "initials": "M. D.",
        "number": "06 12 34 56 78",
        "reason": "résultats de prise de sang",
        "urgent": False,
        "window_start": None,
        "due_at": DUE,
        "state": "à faire",
        "message_id": None,
        "created_at": DUE - timedelta(hours=3),
    }
    values.update(changes)
    return CallbackInfo(**values)  # type: ignore[arg-type]


def test_summary_per_privacy_level() -> None:
    item = callback()
    assert callback_summary(item, "full") == (
        "Rappel Madame Marie DUPONT — résultats de prise de sang"
    )
    assert callback_summary(item, "initials") == "Rappel M. D."
    assert callback_summary(item, "minimal") == "Rappel patient"
    assert callback_summary(item, "anything else") == "Rappel patient"
    assert callback_summary(callback(urgent=True), "full").startswith("URGENT — Rappel")


@pytest.mark.parametrize("privacy", ["minimal", "initials"])
def test_discreet_todos_carry_no_motif_nor_name(privacy: str) -> None:
    text = callback_todo_ics(callback(urgent=True), privacy, stamp=DUE)
    assert "BEGIN:VTODO" in text and "UID:followup-7@permanence" in text
    assert "DUE:20270112T163000Z" in text and "STATUS:NEEDS-ACTION" in text
    for secret in ("DUPONT", "Marie", "prise de sang"):
        assert secret not in text
    assert ("PRIORITY" in text) is (privacy != "minimal")
    # "initials and phone": the number to call back; "minimal": nothing at all.
    assert ("DESCRIPTION:06 12 34 56 78" in text) is (privacy == "initials")
    if privacy == "minimal":
        assert "06 12" not in text and "0612" not in text and "DESCRIPTION" not in text


def test_a_callback_as_an_event_is_a_transparent_reminder_at_the_due_time() -> None:
    text = callback_todo_ics(callback(), "minimal", stamp=DUE, as_event=True)
    assert "BEGIN:VEVENT" in text and "BEGIN:VTODO" not in text
    assert "DTSTART:20270112T163000Z" in text and "DTEND:20270112T164500Z" in text
    assert "TRANSP:TRANSPARENT" in text and "SUMMARY:Rappel patient" in text


def test_full_todo_has_the_number_in_its_note() -> None:
    text = callback_todo_ics(callback(), "full", stamp=DUE)
    unfolded = text.replace("\r\n ", "")
    assert "DESCRIPTION:résultats de prise de sang\\n06 12 34 56 78" in unfolded


def test_stamp_does_not_make_a_todo_look_changed() -> None:
    first = callback_todo_ics(callback(), "minimal", stamp=DUE)
    later = callback_todo_ics(callback(), "minimal", stamp=DUE + timedelta(hours=2))
    assert first != later and without_stamp(first) == without_stamp(later)
    assert is_callback_uid("followup-7@permanence") and is_callback_uid("message-3@permanence")
    assert not is_callback_uid("appointment-3@permanence") and not is_callback_uid(None)


def ics(*lines: str) -> str:
    body = "\r\n".join(lines)
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n"
    return f"{head}{body}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"


def test_event_facts_reads_moves_cancellations_and_floating_times() -> None:
    facts = event_facts(
        ics(
            "UID:a",
            "DTSTART:20270104T100000Z",
            "DTEND:20270104T103000Z",
            "SUMMARY:Rendez-vous",
            "LOCATION:12 rue des Tilleuls",
        ),
        PARIS,
    )
    assert facts is not None and not facts.cancelled
    assert facts.start == datetime(2027, 1, 4, 10, tzinfo=UTC)
    assert (facts.summary, facts.location) == ("Rendez-vous", "12 rue des Tilleuls")
    floating = event_facts(
        ics("UID:b", "DTSTART:20270104T100000", "DURATION:PT45M", "STATUS:CANCELLED"), PARIS
    )
    assert floating is not None and floating.cancelled
    assert floating.start == datetime(2027, 1, 4, 10, tzinfo=PARIS)
    assert floating.end - floating.start == timedelta(minutes=45)
    assert event_facts("", PARIS) is None
    assert event_facts("pas un agenda", PARIS) is None
    assert event_facts(ics("UID:c", "SUMMARY:sans début"), PARIS) is None


def test_french_moment() -> None:
    assert french_moment(datetime(2027, 1, 4, 10, tzinfo=UTC), PARIS) == "lundi 4 janvier à 11 h"
    assert (
        french_moment(datetime(2027, 6, 1, 8, 30, tzinfo=UTC), PARIS) == "mardi 1er juin à 10 h 30"
    )


def test_state_labels() -> None:
    assert CalDavState(1, None, "", "", 0, 0).label == "jamais synchronisé"
    assert CalDavState(1, DUE, "ok", "", 0, 2).label == "OK"
    assert CalDavState(1, DUE, "hors ligne", "", 0, 2).label == "hors ligne"
    assert CalDavState(1, DUE, "ok", "", 3, 0).label == "conflit (3)"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Workspace]:
    ws = create_demo_workspace(tmp_path / "demo", today=date(2026, 11, 23))
    yield ws
    ws.close()


class Secrets:
    def __init__(self, values: dict[str, str]) -> None:
        self.values = values
        self.asked: list[str] = []

    def get(self, name: str) -> str | None:
        self.asked.append(name)
        return self.values.get(name)


def test_refresh_all_syncs_files_and_refuses_caldav_without_password(
    demo: Workspace, tmp_path: Path
) -> None:
    doctor = find_practitioner(demo.practices.list(), "martin").id
    path = tmp_path / "agenda.ics"
    path.write_bytes(FIXTURE.read_bytes())
    file_source = demo.calendars.add_file_source(doctor, path)
    # An address nobody answers: without a password, nothing may be tried.
    caldav = demo.caldav.add_source(doctor, "https://agenda.invalid/dav/cal/", "martin")
    secrets = Secrets({})
    results = {
        r.source_id: r for r in refresh_all(demo.calendars, demo.caldav, stored_password(secrets))
    }
    assert results[file_source.id].ok and results[file_source.id].kind == "ics_file"
    refused = results[caldav.id]
    assert not refused.ok and "Mot de passe de l'agenda" in refused.message
    assert "Rien n'a été échangé" in refused.message
    assert secrets.asked == [secret_name(caldav.id)] == ["caldav:" + str(caldav.id)]
    assert demo.caldav.state(caldav.id).last_sync_at is None  # never contacted


def test_privacy_level_is_checked_and_kept(demo: Workspace) -> None:
    doctor = find_practitioner(demo.practices.list(), "martin").id
    with pytest.raises(ValidationError, match="confidentialité"):
        demo.caldav.add_source(doctor, "https://a.example/cal/", "u", privacy="tout")
    source = demo.caldav.add_source(doctor, "https://a.example/cal/", "u", privacy="minimal")
    assert demo.calendars.get(source.id).privacy == "minimal"
    assert demo.caldav.set_privacy(source.id, "full").privacy == "full"
    with pytest.raises(ValidationError):
        demo.caldav.set_privacy(source.id, "")
