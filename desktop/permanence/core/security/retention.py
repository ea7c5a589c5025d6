"""Retention: calls and messages older than the workspace's period are purged.

The period is the workspace setting `retention.months` (default 12 months; an
administrator changes it). `purge` deletes, in one transaction:

- the closed calls that started before the cutoff;
- the messages created before the cutoff, with their events (history, notes);
- the follow-ups (callbacks, promises) attached to a purged call or message, and those
  created before the cutoff that are attached to nothing.

It keeps:

- an open call draft, whatever its age (a call in progress is never lost), and the
  messages taken during it;
- the appointments: they are the practitioner's agenda, kept under its own rules (an
  appointment's link to a purged call is cleared, the appointment stays);
- the callers' files (a person is erased only on request: see `privacy.erase_person`);
- the audit log, which is append-only: the purge adds ONE entry ("purge") with the counts
  and the cutoff, and no personal data.

`purge` is Qt-free and opens its own short session, so it is safe to call from a worker
thread at start-up (`purge_at_startup`); a save racing with it waits for the database lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from permanence.core.db.models import (
    Appointment,
    AuditEntry,
    Call,
    FollowUp,
    Message,
    MessageEvent,
)
from permanence.core.errors import PermissionDeniedError, ValidationError
from permanence.core.security.audit import PURGED

if TYPE_CHECKING:
    from permanence.core.workspace import Workspace

RETENTION_SETTING = "retention.months"
DEFAULT_MONTHS = 12
MIN_MONTHS = 1
MAX_MONTHS = 120
#: The audit log's word for what a purge concerns.
PURGE_KIND = "conservation"


@dataclass(frozen=True, slots=True)
class PurgeReport:
    """What a purge deleted (or, in a dry run, would delete)."""

    months: int
    cutoff: datetime
    calls: int
    messages: int
    events: int
    followups: int
    dry_run: bool = False

    @property
    def total(self) -> int:
        return self.calls + self.messages + self.events + self.followups

    @property
    def summary(self) -> str:
        """French, without personal data (it goes to the audit log as is)."""
        day = self.cutoff.astimezone(UTC).date()
        verb = "à supprimer" if self.dry_run else "supprimés"
        return (
            f"Conservation {self.months} mois, avant le {day.strftime('%d/%m/%Y')} : "
            f"{self.calls} appel(s), {self.messages} message(s), "
            f"{self.events} événement(s) de message, {self.followups} rappel(s) {verb}."
        )


def retention_months(ws: Workspace) -> int:
    """The workspace's period in months (the default when unset or unreadable)."""
    raw = ws.setting(RETENTION_SETTING, "")
    try:
        months = int(raw)
    except ValueError:
        return DEFAULT_MONTHS
    return months if MIN_MONTHS <= months <= MAX_MONTHS else DEFAULT_MONTHS


def set_retention_months(ws: Workspace, months: int) -> None:
    """Change the period (administrator only); the change is audited."""
    if not ws.user.is_admin:
        raise PermissionDeniedError("Seul un administrateur peut changer la durée de conservation.")
    if not MIN_MONTHS <= months <= MAX_MONTHS:
        raise ValidationError(
            f"Durée de conservation impossible : {months} mois "
            f"(entre {MIN_MONTHS} et {MAX_MONTHS} mois)."
        )
    before = retention_months(ws)
    ws.set_setting(RETENTION_SETTING, str(months))
    if before != months:
        from permanence.core.security.audit import CHANGED

        ws.audit.record(
            CHANGED,
            PURGE_KIND,
            RETENTION_SETTING,
            f"Durée de conservation : {before} → {months} mois.",
        )


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (31 March - 1 → 28/29 Feb)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for day in range(moment.day, 0, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def purge(ws: Workspace, now: datetime | None = None, *, dry_run: bool = False) -> PurgeReport:
    """Delete what is older than the period, in one transaction, with one audit entry.

    `dry_run` counts without deleting (and records nothing). Safe from a worker thread.
    """
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValidationError("La date de la purge doit préciser son fuseau horaire.")
    months = retention_months(ws)
    cutoff = months_before(moment.astimezone(UTC), months)
    calls = _purged_calls(cutoff)
    messages = _purged_messages(cutoff)
    followups = _purged_followups(cutoff, calls, messages)
    with ws.sessions.begin() as session:
        counts = {
            "calls": _count(session, calls),
            "messages": _count(session, messages),
            "events": _count(
                session, select(MessageEvent.id).where(MessageEvent.message_id.in_(messages))
            ),
            "followups": _count(session, select(FollowUp.id).where(followups)),
        }
        report = PurgeReport(months, cutoff, dry_run=dry_run, **counts)
        if dry_run or report.total == 0:
            return report
        session.execute(delete(FollowUp).where(followups))
        session.execute(delete(MessageEvent).where(MessageEvent.message_id.in_(messages)))
        # Links to a purged call from what stays: the row stays, the link goes.
        for model in (Appointment, Message):
            session.execute(
                update(model).where(model.call_id.in_(calls)).values(call_id=None),
                execution_options={"synchronize_session": False},
            )
        session.execute(
            delete(Message).where(Message.id.in_(messages)),
            execution_options={"synchronize_session": False},
        )
        session.execute(
            delete(Call).where(Call.id.in_(calls)),
            execution_options={"synchronize_session": False},
        )
        session.add(
            AuditEntry(
                actor=ws.user.username,
                action=PURGED,
                kind=PURGE_KIND,
                object_id="",
                summary=report.summary,
            )
        )
    return report


def purge_at_startup(ws: Workspace, now: datetime | None = None) -> PurgeReport | None:
    """The purge the GUI runs once the workspace is open (call it from a worker thread).

    None for a read-only workspace (another copy of the app holds it; that one purges).
    """
    if ws.read_only:
        return None
    return purge(ws, now)


# -- what goes ---------------------------------------------------------------------------
def _purged_calls(cutoff: datetime) -> Select[int]:
    return select(Call.id).where(Call.started_at < cutoff, Call.status != "draft")


def _drafts() -> Select[int]:
    return select(Call.id).where(Call.status == "draft")


def _purged_messages(cutoff: datetime) -> Select[int]:
    return select(Message.id).where(
        Message.created_at < cutoff,
        or_(Message.call_id.is_(None), Message.call_id.not_in(_drafts())),
    )


def _purged_followups(
    cutoff: datetime, calls: Select[int], messages: Select[int]
) -> ColumnElement[bool]:
    return or_(
        FollowUp.call_id.in_(calls),
        FollowUp.message_id.in_(messages),
        and_(
            FollowUp.created_at < cutoff,
            FollowUp.call_id.is_(None),
            FollowUp.message_id.is_(None),
        ),
    )


def _count(session: Session, query: Select[Any]) -> int:
    return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
