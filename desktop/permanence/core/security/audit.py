"""The audit log: who viewed, created, changed, exported or deleted what, and when.

Changes are captured in the storage layer, not in each screen: a listener on the
workspace's sessions writes one entry per audited row inserted, updated or deleted, in the
same transaction (so an entry exists exactly when the change does). Views and exports,
which change nothing, are recorded explicitly with `AuditLog.record`. The table only
accepts inserts (SQLite triggers refuse UPDATE and DELETE), and this service offers no way
to change an entry.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session, sessionmaker

from permanence.core.db.models import (
    Account,
    Appointment,
    AuditEntry,
    Call,
    Caller,
    FollowUp,
    InstructionVersion,
    Message,
    Practitioner,
    StoredSecret,
)

# Actions, as shown to the administrator.
VIEWED = "consultation"
CREATED = "création"
CHANGED = "modification"
DELETED = "suppression"
EXPORTED = "export"
LOGIN = "connexion"
LOGIN_FAILED = "échec de connexion"
LOCKED = "verrouillage"
PURGED = "purge"

ACTIONS = (VIEWED, CREATED, CHANGED, DELETED, EXPORTED, LOGIN, LOGIN_FAILED, LOCKED, PURGED)

#: Audited tables and the word the log uses for them. A call is audited when created or
#: deleted only: its draft is saved at every keystroke.
_KINDS: dict[type[Any], str] = {
    Message: "message",
    Caller: "appelant",
    Appointment: "rendez-vous",
    InstructionVersion: "consignes",
    Account: "compte",
    FollowUp: "rappel",
    Practitioner: "praticien",
    StoredSecret: "secret",
    Call: "appel",
}
_CHANGES_NOT_AUDITED: frozenset[type[Any]] = frozenset({Call})


@dataclass(slots=True)
class AuditContext:
    """Who is acting in this open workspace (changes after login)."""

    actor: str = ""
    #: A read-only copy of the app cannot write: its views go unrecorded (said in the UI).
    read_only: bool = False


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str
    action: str
    kind: str
    object_id: str
    summary: str


def install_capture(sessions: sessionmaker[Session], context: AuditContext) -> None:
    """Write an audit entry for each audited row a flush inserts, updates or deletes."""

    def after_flush(session: Session, _flush_context: Any) -> None:
        rows: list[dict[str, Any]] = []
        now = datetime.now(UTC)
        for objects, action in (
            (session.new, CREATED),
            (session.dirty, CHANGED),
            (session.deleted, DELETED),
        ):
            for obj in objects:
                kind = _KINDS.get(type(obj))
                if kind is None:
                    continue
                if action == CHANGED and (
                    type(obj) in _CHANGES_NOT_AUDITED or not session.is_modified(obj)
                ):
                    continue
                rows.append(
                    {
                        "at": now,
                        "actor": context.actor,
                        "action": action,
                        "kind": kind,
                        "object_id": _object_id(obj),
                        "summary": "",
                    }
                )
        if rows:
            session.connection().execute(insert(AuditEntry), rows)

    event.listen(sessions, "after_flush", after_flush)


def _object_id(obj: Any) -> str:
    for attribute in ("id", "name"):
        value = getattr(obj, attribute, None)
        if value is not None:
            return str(value)
    return ""


class AuditLog:
    """Read the log and add the entries that no row change produces (views, exports)."""

    def __init__(self, sessions: sessionmaker[Session], context: AuditContext) -> None:
        self._sessions = sessions
        self._context = context

    def record(self, action: str, kind: str, object_id: object = "", summary: str = "") -> None:
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        if self._context.read_only:
            return
        with self._sessions.begin() as session:
            session.add(
                AuditEntry(
                    actor=self._context.actor,
                    action=action,
                    kind=kind,
                    object_id="" if object_id is None else str(object_id),
                    summary=summary,
                )
            )

    def entries(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        actor: str | None = None,
        kind: str | None = None,
        object_id: object | None = None,
        limit: int | None = None,
    ) -> list[AuditRecord]:
        """Newest first."""
        query = select(AuditEntry).order_by(AuditEntry.id.desc())
        if since is not None:
            query = query.where(AuditEntry.at >= since)
        if until is not None:
            query = query.where(AuditEntry.at < until)
        if actor is not None:
            query = query.where(AuditEntry.actor == actor)
        if kind is not None:
            query = query.where(AuditEntry.kind == kind)
        if object_id is not None:
            query = query.where(AuditEntry.object_id == str(object_id))
        if limit is not None:
            query = query.limit(limit)
        with self._sessions() as session:
            return [_record(row) for row in session.scalars(query)]

    def to_csv(self, records: Iterable[AuditRecord]) -> str:
        """A CSV for the administrator (semicolons and a BOM, as French spreadsheets expect)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(
            ["n°", "date (UTC)", "utilisateur", "action", "objet", "identifiant", "détail"]
        )
        for record in records:
            writer.writerow(
                [
                    record.id,
                    record.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
                    record.actor,
                    record.action,
                    record.kind,
                    record.object_id,
                    record.summary,
                ]
            )
        return "\ufeff" + buffer.getvalue()


def _record(row: AuditEntry) -> AuditRecord:
    return AuditRecord(row.id, row.at, row.actor, row.action, row.kind, row.object_id, row.summary)
