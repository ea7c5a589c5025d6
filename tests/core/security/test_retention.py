"""Retention: calls and messages older than the period go; drafts, appointments and the
audit log stay; one audit entry says what was purged."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from permanence.core.db.models import (
    Appointment,
    AuditEntry,
    Call,
    Caller,
    FollowUp,
    Message,
    MessageEvent,
)
from permanence.core.demo import create_demo_workspace
from permanence.core.errors import PermissionDeniedError, ValidationError
from permanence.core.messages import MessageDraft
from permanence.core.security import retention
from permanence.core.security.accounts import AccountInfo
from permanence.core.security.audit import PURGED
from permanence.core.security.retention import (
    DEFAULT_MONTHS,
    months_before,
    purge,
    purge_at_startup,
    retention_months,
    set_retention_months,
)
from permanence.core.workspace import Workspace

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=400)  # beyond 12 months
RECENT = NOW - timedelta(days=200)  # within 12 months, beyond 6


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = create_demo_workspace(tmp_path / "ws", today=TODAY)
    yield workspace
    workspace.close()


@dataclass
class Seeded:
    old_call: int
    old_message: int
    old_followup: int
    old_loose_followup: int
    old_draft: int
    draft_message: int
    recent_call: int
    recent_message: int
    appointment: int
    caller: int


def _message(ws: Workspace, when: datetime, call_id: int | None, caller_id: int) -> int:
    doctor = ws.practices.list()[0].practitioners[0]
    info = ws.messages.save(
        MessageDraft(
            practice_id=doctor.practice_id,
            practitioner_id=doctor.id,
            caller_last_name="Ancien",
            callback_number="06 12 34 56 78",
            reason="Résultats",
            caller_id=caller_id,
        ),
        call_id=call_id,
        confirmed=True,
        readback_text="Je relis…",
        by="Sophie",
        now=when,
    )
    ws.messages.add_note(info.id, "Rappelé, laissé un message", "Dr", now=when)
    return info.id


def _call(ws: Workspace, when: datetime, caller_id: int, *, close: bool = True) -> int:
    practice = ws.practices.list()[0]
    call = ws.calls.start(practice_id=practice.id, started_at=when, caller_id=caller_id)
    if close:
        ws.calls.close(call.id, "message", ended_at=when + timedelta(minutes=3))
    return call.id


@pytest.fixture
def seeded(ws: Workspace) -> Seeded:
    caller = ws.callers.create("Ancien", "Paul", phones=["06 12 34 56 78"]).id
    old_call = _call(ws, OLD, caller)
    old_message = _message(ws, OLD + timedelta(minutes=1), old_call, caller)
    old_followup = ws.followups.create(
        "Rappeler", OLD + timedelta(hours=2), call_id=old_call, now=OLD
    ).id
    loose = ws.followups.create(
        "Envoyer l'ordonnance", OLD + timedelta(hours=3), caller_id=caller, now=OLD
    ).id
    with ws.sessions.begin() as session:  # the service stamps "now": backdate it
        session.execute(update(FollowUp).where(FollowUp.id == loose).values(created_at=OLD))
    old_draft = _call(ws, OLD, caller, close=False)
    draft_message = _message(ws, OLD + timedelta(minutes=2), old_draft, caller)
    recent_call = _call(ws, RECENT, caller)
    recent_message = _message(ws, RECENT, recent_call, caller)
    doctor = ws.practices.list()[0].practitioners[0]
    kind = ws.bookings.appointment_types(doctor.id)[0]
    start = OLD + timedelta(days=1)
    appointment = ws.bookings.book(
        doctor.id,
        kind.id,
        start,
        start + timedelta(minutes=kind.duration_min),
        caller_id=caller,
        call_id=old_call,
    ).id
    return Seeded(
        old_call,
        old_message,
        old_followup,
        loose,
        old_draft,
        draft_message,
        recent_call,
        recent_message,
        appointment,
        caller,
    )


def _ids(ws: Workspace, model: type) -> set[int]:
    with ws.sessions() as session:
        return set(session.scalars(select(model.id)))  # type: ignore[attr-defined]


def _audit_count(ws: Workspace) -> int:
    with ws.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_old_calls_and_messages_go_with_their_events_and_followups(
    ws: Workspace, seeded: Seeded
) -> None:
    calls_before, messages_before = _ids(ws, Call), _ids(ws, Message)
    appointments_before = _ids(ws, Appointment)
    audit_before = _audit_count(ws)

    report = purge(ws, NOW)

    assert (report.months, report.calls, report.messages, report.followups) == (12, 1, 1, 2)
    assert report.events == 2  # the readback and the note of the old message
    assert _ids(ws, Call) == calls_before - {seeded.old_call}
    assert _ids(ws, Message) == messages_before - {seeded.old_message}
    assert not {seeded.old_followup, seeded.old_loose_followup} & _ids(ws, FollowUp)
    with ws.sessions() as session:
        events = set(session.scalars(select(MessageEvent.message_id)))
        assert seeded.old_message not in events and seeded.recent_message in events
        # Kept: the open draft (and the message taken in it), appointments, the caller.
        assert session.get(Call, seeded.old_draft) is not None
        assert session.get(Message, seeded.draft_message) is not None
        assert session.get(Caller, seeded.caller) is not None
        appointment = session.get(Appointment, seeded.appointment)
        assert appointment is not None and appointment.call_id is None
    assert _ids(ws, Appointment) == appointments_before
    # The audit log only grows, by exactly one entry that names counts, not people.
    assert _audit_count(ws) == audit_before + 1
    entry = ws.audit.entries(limit=1)[0]
    assert (entry.action, entry.kind) == (PURGED, "conservation")
    assert "1 appel(s), 1 message(s)" in entry.summary and "23/11/2025" in entry.summary
    assert "Ancien" not in entry.summary
    # Nothing left to purge: a second run deletes nothing and records nothing.
    again = purge(ws, NOW)
    assert again.total == 0 and _audit_count(ws) == audit_before + 1


def test_a_dry_run_counts_and_changes_nothing(ws: Workspace, seeded: Seeded) -> None:
    calls, audit = _ids(ws, Call), _audit_count(ws)
    report = purge(ws, NOW, dry_run=True)
    assert (report.calls, report.messages, report.dry_run) == (1, 1, True)
    assert "à supprimer" in report.summary
    assert _ids(ws, Call) == calls and _audit_count(ws) == audit


def test_the_period_is_a_workspace_setting(ws: Workspace, seeded: Seeded) -> None:
    assert retention_months(ws) == DEFAULT_MONTHS == 12
    set_retention_months(ws, 6)
    assert retention_months(ws) == 6
    assert ws.audit.entries(limit=1)[0].summary == "Durée de conservation : 12 → 6 mois."
    report = purge(ws, NOW)
    assert report.cutoff == datetime(2026, 5, 23, 9, 0, tzinfo=UTC)
    assert (report.calls, report.messages) == (2, 2)
    for wrong in (0, 121, -3):
        with pytest.raises(ValidationError, match="entre 1 et 120 mois"):
            set_retention_months(ws, wrong)
    ws.set_setting("retention.months", "douze")
    assert retention_months(ws) == 12  # unreadable: the default, never "purge everything"


def test_only_an_administrator_changes_the_period(ws: Workspace) -> None:
    ws.user = AccountInfo(5, "sophie", "Sophie", "secretaire", None, True)
    with pytest.raises(PermissionDeniedError, match="administrateur"):
        set_retention_months(ws, 3)
    assert retention_months(ws) == 12


def test_the_purge_is_one_transaction(
    ws: Workspace, seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls, messages, audit = _ids(ws, Call), _ids(ws, Message), _audit_count(ws)

    def broken(**_kwargs: object) -> AuditEntry:
        raise OSError("disque plein")

    monkeypatch.setattr(retention, "AuditEntry", broken)
    with pytest.raises(OSError):
        purge(ws, NOW)
    assert _ids(ws, Call) == calls and _ids(ws, Message) == messages
    assert _audit_count(ws) == audit


def test_cutoff_is_calendar_months_earlier() -> None:
    at = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)
    assert months_before(at, 1) == datetime(2026, 2, 28, 12, 0, tzinfo=UTC)
    assert months_before(at, 12) == datetime(2025, 3, 31, 12, 0, tzinfo=UTC)
    assert months_before(datetime(2028, 3, 30, tzinfo=UTC), 1) == datetime(2028, 2, 29, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 13) == datetime(
        2024, 12, 15, tzinfo=UTC
    )


def test_startup_purge_runs_from_a_worker_thread(ws: Workspace, seeded: Seeded) -> None:
    results: list[object] = []
    worker = threading.Thread(target=lambda: results.append(purge_at_startup(ws, NOW)))
    worker.start()
    worker.join(30)
    report = results[0]
    assert isinstance(report, retention.PurgeReport) and report.calls == 1


def test_command_line_purge(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    with create_demo_workspace(folder, today=TODAY) as ws:
        caller = ws.callers.create("Ancien", "Paul").id
        _call(ws, datetime.now(UTC) - timedelta(days=800), caller)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "permanence", "--workspace", str(folder), "purge", *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    dry = run("--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Simulation (rien n'a été supprimé)" in dry.stdout
    assert "1 appel(s)" in dry.stdout and "seraient supprimés" in dry.stdout
    done = run()
    assert done.returncode == 0, done.stderr
    assert "supprimés" in done.stdout and "1 appel(s)" in done.stdout
    assert "aucune donnée à supprimer" in run().stdout
