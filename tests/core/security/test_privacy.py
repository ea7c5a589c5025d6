"""RGPD: everything about one person as a readable file, and erasing that person."""

from __future__ import annotations

import builtins
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from permanence import cli
from permanence.core.db.models import (
    Appointment,
    AuditEntry,
    Call,
    Caller,
    CallerPhone,
    FollowUp,
    Message,
    MessageEvent,
    WaitlistEntry,
)
from permanence.core.demo import create_demo_workspace
from permanence.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from permanence.core.messages import MessageDraft
from permanence.core.security import privacy
from permanence.core.security.accounts import AccountInfo
from permanence.core.security.audit import DELETED, EXPORTED, VIEWED
from permanence.core.security.privacy import (
    ERASED_LABEL,
    confirms_erasure,
    erase_person,
    export_person,
    holdings,
    person_report,
)
from permanence.core.workspace import Workspace

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SURNAME = "Quintard-Zébulon"


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = create_demo_workspace(tmp_path / "ws", today=TODAY)
    yield workspace
    workspace.close()


@dataclass
class Person:
    caller: int
    calls: list[int]
    message: int
    followup: int
    waitlist: int
    past: int
    future: int
    other_caller: int


@pytest.fixture
def person(ws: Workspace) -> Person:
    practice = ws.practices.list()[0]
    doctor = practice.practitioners[0]
    caller = ws.callers.create(
        SURNAME,
        "Gwenaëlle",
        phones=["06 31 41 59 26", "01 45 67 89 10"],
        notes="Sourde : préfère les SMS <b>important</b>",
        practice_ids=[practice.id],
    ).id
    other = ws.callers.create("Témoin", "Jean", phones=["06 99 88 77 66"]).id
    calls = []
    for days, notes in ((30, "Douleur au genou"), (3, "Résultats d'analyse")):
        started = NOW - timedelta(days=days)
        call = ws.calls.start(practice_id=practice.id, started_at=started, caller_id=caller)
        ws.calls.update(call.id, notes=notes, reason="Consultation")
        ws.calls.close(call.id, "message", ended_at=started + timedelta(minutes=4))
        calls.append(call.id)
    message = ws.messages.save(
        MessageDraft(
            practice_id=practice.id,
            practitioner_id=doctor.id,
            caller_id=caller,
            caller_civility="Madame",
            caller_last_name=SURNAME,
            caller_first_name="Gwenaëlle",
            callback_number="06 31 41 59 26",
            reason="Résultats de prise de sang",
            body="Souhaite un commentaire sur son bilan thyroïdien.",
            callback_day=TODAY,
            callback_after=time(14, 0),
        ),
        call_id=calls[1],
        confirmed=True,
        readback_text="Je récapitule : Madame Quintard-Zébulon…",
        by="Sophie",
        now=NOW - timedelta(days=3),
    )
    ws.messages.add_note(message.id, "Rappelée, RAS", "Dr Martin", now=NOW - timedelta(days=2))
    followup = ws.followups.create(
        "Rappeler pour le bilan", NOW + timedelta(hours=5), call_id=calls[1], now=NOW
    ).id
    kind = ws.bookings.appointment_types(doctor.id)[0]
    length = timedelta(minutes=kind.duration_min)
    past_start = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)
    future_start = datetime(2027, 2, 1, 7, 0, tzinfo=UTC)
    past = ws.bookings.book(
        doctor.id,
        kind.id,
        past_start,
        past_start + length,
        caller_id=caller,
        notes=f"Patiente {SURNAME}",
    ).id
    future = ws.bookings.book(
        doctor.id, kind.id, future_start, future_start + length, caller_id=caller
    ).id
    waitlist = ws.waitlist.add(doctor.id, caller_id=caller, appointment_id=future, notes="matin").id
    ws.audit.record(VIEWED, "appelant", caller)
    return Person(caller, calls, message.id, followup, waitlist, past, future, other)


def test_holdings_count_what_is_held(ws: Workspace, person: Person) -> None:
    held = holdings(ws, person.caller, NOW)
    assert (held.calls, held.messages, held.followups, held.waitlist) == (2, 1, 1, 1)
    assert (held.future_appointments, held.past_appointments) == (1, 1)
    assert held.audit_entries >= 8  # caller, calls, message, follow-up, appointments, view
    assert held.practices == (ws.practices.list()[0].name,)
    lines = held.lines()
    assert "2 numéro(s) de téléphone" in lines and "1 rendez-vous à venir" in lines
    assert any("Personne effacée" in line for line in lines)
    with pytest.raises(NotFoundError, match="Aucun appelant n° 99999"):
        holdings(ws, 99999)


def test_the_report_holds_everything_about_the_person(ws: Workspace, person: Person) -> None:
    page = person_report(ws, person.caller, NOW)
    assert page.startswith("<!DOCTYPE html>") and "<html lang='fr'>" in page
    assert "Données détenues sur QUINTARD-ZÉBULON Gwenaëlle" in page
    for expected in (
        "06 31 41 59 26",
        "01 45 67 89 10",
        ws.practices.list()[0].name,
        "Douleur au genou",  # call notes
        "Résultats d&#x27;analyse",
        "Souhaite un commentaire sur son bilan thyroïdien.",  # message body
        "Je récapitule : Madame Quintard-Zébulon…",  # readback
        "Rappelée, RAS",  # event
        "Rappeler pour le bilan",  # callback
        "matin",  # waiting list
        f"Patiente {SURNAME}",  # appointment notes
        "lundi 1er février 2027 à 8 h",  # future appointment, French time in Paris
        "consultation",  # the audit entry of the view
        "Journal d&#x27;audit",
    ):
        assert expected in page, expected
    # Typed text is escaped: notes cannot inject markup into the page.
    assert "&lt;b&gt;important&lt;/b&gt;" in page and "<b>important</b>" not in page
    # Another caller's data is not there.
    assert "Témoin" not in page and "06 99 88 77 66" not in page


def test_export_writes_the_file_and_is_audited(
    ws: Workspace, person: Person, tmp_path: Path
) -> None:
    target = export_person(ws, person.caller, tmp_path / "personne.html", NOW)
    assert "bilan thyroïdien" in target.read_text(encoding="utf-8")
    entry = ws.audit.entries(limit=1)[0]
    assert (entry.action, entry.kind, entry.object_id) == (EXPORTED, "appelant", str(person.caller))
    with pytest.raises(ValidationError, match="Impossible d'écrire"):
        export_person(ws, person.caller, tmp_path / "absent" / "x.html")


def _count(ws: Workspace, model: type, *where: object) -> int:
    with ws.sessions() as session:
        query = select(func.count()).select_from(model)
        return int(session.scalar(query.where(*where)) or 0)  # type: ignore[arg-type]


def test_erasing_deletes_the_person_and_keeps_past_slots_anonymous(
    ws: Workspace, person: Person
) -> None:
    audit_before = _count(ws, AuditEntry)
    other_calls = _count(ws, Call) - 2
    report = erase_person(ws, person.caller, NOW)

    assert (report.calls, report.messages, report.events, report.followups) == (2, 1, 2, 1)
    assert (report.future_appointments, report.past_appointments) == (1, 1)
    assert (report.phones, report.waitlist) == (2, 1)
    assert _count(ws, Caller, Caller.id == person.caller) == 0
    assert _count(ws, CallerPhone, CallerPhone.caller_id == person.caller) == 0
    assert _count(ws, Call) == other_calls
    assert _count(ws, Message, Message.id == person.message) == 0
    assert _count(ws, MessageEvent, MessageEvent.message_id == person.message) == 0
    assert _count(ws, FollowUp, FollowUp.id == person.followup) == 0
    assert _count(ws, WaitlistEntry, WaitlistEntry.id == person.waitlist) == 0
    assert _count(ws, Appointment, Appointment.id == person.future) == 0
    with ws.sessions() as session:
        past = session.get(Appointment, person.past)
        assert past is not None
        assert (past.caller_id, past.notes) == (None, ERASED_LABEL)
        assert past.starts_at == datetime(2026, 6, 1, 7, 0, tzinfo=UTC)
    # The other caller is untouched; search no longer finds the person.
    assert ws.callers.get(person.other_caller).last_name == "Témoin"
    assert not [m for m in ws.callers.search("Quintard") if m.caller.id == person.caller]
    # One audit entry, with counts and no personal data.
    assert _count(ws, AuditEntry) == audit_before + 1
    entry = ws.audit.entries(limit=1)[0]
    assert (entry.action, entry.kind, entry.object_id) == (DELETED, "appelant", str(person.caller))
    assert "2 appel(s), 1 message(s)" in entry.summary
    for secret in ("Quintard", "Gwenaëlle", "06 31", "thyroïdien"):
        assert secret not in entry.summary
    # Nothing of the person is left anywhere in the database.
    with ws.engine.connect() as connection:
        dump = "\n".join(connection.connection.dbapi_connection.iterdump())  # type: ignore[union-attr]
    for secret in ("Quintard", "quintard", "Gwenaëlle", "gwenaelle", "thyroïdien", "+33631415926"):
        assert secret not in dump, secret


def test_erasing_is_refused_during_a_call_and_for_non_administrators(
    ws: Workspace, person: Person
) -> None:
    draft = ws.calls.start(practice_id=ws.practices.list()[0].id, caller_id=person.caller)
    with pytest.raises(ValidationError, match="appel en cours"):
        erase_person(ws, person.caller, NOW)
    ws.calls.discard(draft.id)
    ws.user = AccountInfo(5, "sophie", "Sophie", "secretaire", None, True)
    with pytest.raises(PermissionDeniedError, match="administrateur"):
        erase_person(ws, person.caller, NOW)
    assert "bilan" in person_report(ws, person.caller, NOW)  # a secretary may export
    ws.user = AccountInfo(6, "martin", "Dr Martin", "praticien", 1, True)
    with pytest.raises(PermissionDeniedError, match="praticien"):
        person_report(ws, person.caller, NOW)
    assert ws.callers.get(person.caller).last_name == SURNAME


def test_erasing_is_one_transaction(
    ws: Workspace, person: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**_kwargs: object) -> AuditEntry:
        raise OSError("disque plein")

    monkeypatch.setattr(privacy, "AuditEntry", broken)
    with pytest.raises(OSError):
        erase_person(ws, person.caller, NOW)
    assert ws.callers.get(person.caller).last_name == SURNAME
    assert _count(ws, Call, Call.caller_id == person.caller) == 2
    assert _count(ws, Appointment, Appointment.id == person.future) == 1


def test_the_last_name_confirms_an_erasure(ws: Workspace, person: Person) -> None:
    caller = ws.callers.get(person.caller)
    assert confirms_erasure(caller, "quintard-zebulon ")
    assert confirms_erasure(caller, SURNAME)
    assert not confirms_erasure(caller, "Quintard")
    assert not confirms_erasure(caller, "")


def _cli(folder: Path, *args: str) -> int:
    return cli.main(["--workspace", str(folder), "person", *args])


def test_command_line_export_and_erase(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "cli"
    with create_demo_workspace(folder, today=TODAY) as ws:
        caller = ws.callers.create(SURNAME, "Gwenaëlle", phones=["06 31 41 59 26"]).id
    target = tmp_path / "export.html"
    assert _cli(folder, "export", str(caller), "--to", str(target)) == 0
    assert "QUINTARD-ZÉBULON Gwenaëlle" in capsys.readouterr().out
    assert "06 31 41 59 26" in target.read_text(encoding="utf-8")
    assert _cli(folder, "export", "99999", "--to", str(target)) == 2
    assert "Aucun appelant n° 99999" in capsys.readouterr().err

    # Not on a terminal: --yes is required.
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    assert _cli(folder, "erase", str(caller)) == 2
    assert "ajoutez --yes" in capsys.readouterr().err
    # On a terminal: the wrong name cancels, the right one erases.
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(builtins, "input", lambda _prompt: "Dupont")
    assert _cli(folder, "erase", str(caller)) == 1
    out, err = capsys.readouterr()
    assert "1 numéro(s) de téléphone" in out and "rien n'a été effacé" in err
    monkeypatch.setattr(builtins, "input", lambda _prompt: "quintard-zébulon")
    assert _cli(folder, "erase", str(caller)) == 0
    assert f"Appelant n° {caller} effacé." in capsys.readouterr().out
    with Workspace.open(folder) as ws:
        with pytest.raises(NotFoundError):
            ws.callers.get(caller)
        with ws.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT count(*) FROM callers WHERE id = :i"), {"i": caller}
            )
            assert rows.scalar() == 0
