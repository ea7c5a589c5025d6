"""The audit log: append-only through the app, and who created, changed, deleted what."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DatabaseError

from permanence.core.db.models import Account, Appointment, AuditEntry, Caller, Message
from permanence.core.demo import load_demo, read_demo
from permanence.core.messages import MessageDraft
from permanence.core.resources import resource_path
from permanence.core.security.audit import (
    CHANGED,
    CREATED,
    DELETED,
    EXPORTED,
    VIEWED,
    AuditLog,
    AuditRecord,
)
from permanence.core.workspace import Workspace

TODAY = date(2026, 11, 23)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    """An encrypted workspace with the demo practices, logged in as the admin "marie"."""
    workspace = Workspace.create_encrypted(tmp_path / "ws", "marie", "Secret-2026")
    load_demo(workspace, read_demo(resource_path("demo")), today=TODAY)
    yield workspace
    workspace.close()


def _about(ws: Workspace, kind: str, object_id: object) -> list[tuple[str, str]]:
    """(action, actor) of the entries about one object, oldest first."""
    return [(e.action, e.actor) for e in reversed(ws.audit.entries(kind=kind, object_id=object_id))]


def test_the_audit_service_offers_no_way_to_change_or_remove_an_entry() -> None:
    public = {name for name, _ in inspect.getmembers(AuditLog) if not name.startswith("_")}
    assert public == {"record", "entries", "to_csv"}
    assert AuditRecord.__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_an_update_or_delete_through_the_workspace_session_is_refused(ws: Workspace) -> None:
    ws.audit.record(VIEWED, "appelant", 1)
    before = [(e.id, e.action, e.actor, e.summary) for e in ws.audit.entries()]
    target = before[0][0]
    attempts = [
        update(AuditEntry).where(AuditEntry.id == target).values(actor="quelqu'un d'autre"),
        delete(AuditEntry).where(AuditEntry.id == target),
        delete(AuditEntry),
        text("UPDATE audit_log SET summary = 'effacé'"),
    ]
    for statement in attempts:
        with pytest.raises(DatabaseError, match="append-only"), ws.sessions.begin() as session:
            session.execute(statement)
    # Through the ORM too: loading an entry, editing and flushing fails the same way.
    with pytest.raises(DatabaseError, match="append-only"), ws.sessions.begin() as session:
        row = session.get(AuditEntry, target)
        assert row is not None
        row.action = CREATED
    with pytest.raises(DatabaseError, match="append-only"), ws.sessions.begin() as session:
        row = session.get(AuditEntry, target)
        session.delete(row)
    after = [(e.id, e.action, e.actor, e.summary) for e in ws.audit.entries()]
    assert after == before


def test_messages_callers_appointments_consignes_and_accounts_are_logged_with_the_actor(
    ws: Workspace,
) -> None:
    practice = ws.practices.list()[0]
    doctor = practice.practitioners[0]
    # A caller: created, changed, deleted.
    caller = ws.callers.create("Quintard", "Lise", phones=["06 11 22 33 44"])
    ws.callers.update(caller.id, notes="Préfère être rappelée le matin")
    # A message: created, then its status changed.
    message = ws.messages.save(
        MessageDraft(
            practice_id=practice.id,
            practitioner_id=doctor.id,
            caller_last_name="Quintard",
            callback_number="06 11 22 33 44",
            reason="Renouvellement",
        ),
        confirmed=True,
        readback_text="Je relis…",
        by="Marie",
    )
    ws.messages.set_status(message.id, "lu", by="Marie")
    # An appointment: booked, cancelled.
    kind = ws.bookings.appointment_types(doctor.id)[0]
    start = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
    booked = ws.bookings.book(
        doctor.id, kind.id, start, start + timedelta(minutes=kind.duration_min), caller_id=caller.id
    )
    ws.bookings.cancel(booked.id, by="Marie")
    # A new version of the consignes.
    consignes_before = len(ws.audit.entries(kind="consignes"))
    ws.consignes.update(practice.id, doctor.id, "accueil", "Nouvelle consigne d'accueil.")
    # An account.
    account = ws.accounts.create("sophie", "Autre-secret-1", role="secretaire")
    # Deleting rows through a session is captured too.
    with ws.sessions.begin() as session:
        session.delete(session.get(Appointment, booked.id))
        session.delete(session.get(Message, message.id))
    with ws.sessions.begin() as session:
        session.delete(session.get(Caller, caller.id))

    assert _about(ws, "appelant", caller.id) == [
        (CREATED, "marie"),
        (CHANGED, "marie"),
        (DELETED, "marie"),
    ]
    assert _about(ws, "message", message.id) == [
        (CREATED, "marie"),
        (CHANGED, "marie"),
        (DELETED, "marie"),
    ]
    assert _about(ws, "rendez-vous", booked.id) == [
        (CREATED, "marie"),
        (CHANGED, "marie"),
        (DELETED, "marie"),
    ]
    assert _about(ws, "compte", account.id)[0] == (CREATED, "marie")
    consignes = ws.audit.entries(kind="consignes")
    assert len(consignes) == consignes_before + 1
    assert (consignes[0].action, consignes[0].actor) == (CREATED, "marie")
    # A change made by another user carries that user's name.
    folder = ws.location.directory
    assert folder is not None
    ws.close()
    with Workspace.unlock(folder, "sophie", "Autre-secret-1") as other:
        other.callers.create("Berthier", "Anne")
        latest = other.audit.entries(kind="appelant", limit=1)[0]
        assert (latest.action, latest.actor) == (CREATED, "sophie")
        with other.sessions() as session:
            assert session.scalar(select(Account.role).where(Account.username == "sophie"))


def test_views_and_exports_are_recorded_explicitly(ws: Workspace) -> None:
    ws.audit.record(VIEWED, "message", 12)
    ws.audit.record(EXPORTED, "appelant", 7, "Export RGPD")
    viewed, exported = ws.audit.entries(limit=2)[::-1]
    assert (viewed.action, viewed.kind, viewed.object_id, viewed.actor) == (
        VIEWED,
        "message",
        "12",
        "marie",
    )
    assert (exported.action, exported.summary) == (EXPORTED, "Export RGPD")
    with pytest.raises(ValueError):
        ws.audit.record("effacement discret", "appelant", 7)
