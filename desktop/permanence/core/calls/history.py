"""A caller's history: past calls, messages and appointments, across the allowed practices."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from permanence.core.calls import queries
from permanence.core.calls.values import HistoryItem
from permanence.core.db.models import (
    Appointment,
    AppointmentType,
    Call,
    Message,
    Practice,
    Practitioner,
)

MESSAGE_STATUS_LABELS = {
    "nouveau": "nouveau",
    "transmis": "transmis",
    "lu": "lu",
    "rappele": "rappelé",
    "rappelé": "rappelé",
    "clos": "clos",
}
APPOINTMENT_STATUS_LABELS = {
    "booked": "",
    "cancelled": "annulé",
    "canceled": "annulé",
    "no_show": "non honoré",
    "done": "",
}


def caller_history(
    session: Session, caller_id: int, allowed: set[int] | None, limit: int
) -> list[HistoryItem]:
    if limit <= 0 or (allowed is not None and not allowed):
        return []
    items = [
        *_calls(session, caller_id, allowed, limit),
        *_messages(session, caller_id, allowed, limit),
        *_appointments(session, caller_id, allowed, limit),
    ]
    items.sort(key=lambda item: (item.when, item.kind), reverse=True)
    return items[:limit]


def _calls(
    session: Session, caller_id: int, allowed: set[int] | None, limit: int
) -> list[HistoryItem]:
    query = queries.select_calls().where(Call.caller_id == caller_id, Call.status == "closed")
    if allowed is not None:
        query = query.where(Call.practice_id.in_(sorted(allowed)))
    query = query.order_by(Call.started_at.desc()).limit(limit)
    items = []
    for call in queries.infos(session, query):
        parts = [call.outcome_label or "Appel", call.reason.strip()]
        if call.tension:
            parts.append("appelant mécontent")
        items.append(
            HistoryItem(
                kind="appel",
                when=call.started_at,
                practice_name=call.practice_name,
                practitioner_name=call.practitioner_name,
                summary=" — ".join(p for p in parts if p),
                id=call.id,
                practice_id=call.practice_id,
            )
        )
    return items


def _messages(
    session: Session, caller_id: int, allowed: set[int] | None, limit: int
) -> list[HistoryItem]:
    query = (
        select(
            Message,
            Practice.name,
            Practitioner.title,
            Practitioner.first_name,
            Practitioner.last_name,
        )
        .join(Practice, Practice.id == Message.practice_id)
        .outerjoin(Practitioner, Practitioner.id == Message.practitioner_id)
        .where(Message.caller_id == caller_id)
    )
    if allowed is not None:
        query = query.where(Message.practice_id.in_(sorted(allowed)))
    query = query.order_by(Message.created_at.desc()).limit(limit)
    items: list[HistoryItem] = []
    for message, practice_name, title, first_name, last_name in session.execute(query):
        text = (message.body or message.reason).strip()
        status = MESSAGE_STATUS_LABELS.get(message.status, message.status)
        summary = f"{'Urgent : ' if message.urgent else ''}{text} ({status})"
        items.append(
            HistoryItem(
                kind="message",
                when=message.created_at,
                practice_name=practice_name,
                practitioner_name=queries.practitioner_name(title, first_name, last_name),
                summary=summary,
                id=message.id,
                practice_id=message.practice_id,
            )
        )
    return items


def _appointments(
    session: Session, caller_id: int, allowed: set[int] | None, limit: int
) -> list[HistoryItem]:
    query = (
        select(
            Appointment,
            AppointmentType.name,
            Practice.id,
            Practice.name,
            Practitioner.title,
            Practitioner.first_name,
            Practitioner.last_name,
        )
        .join(Practitioner, Practitioner.id == Appointment.practitioner_id)
        .join(Practice, Practice.id == Practitioner.practice_id)
        .outerjoin(AppointmentType, AppointmentType.id == Appointment.appointment_type_id)
        .where(Appointment.caller_id == caller_id)
    )
    if allowed is not None:
        query = query.where(Practice.id.in_(sorted(allowed)))
    query = query.order_by(Appointment.starts_at.desc()).limit(limit)
    now = datetime.now(UTC)
    items = []
    for row in session.execute(query):
        appointment: Appointment = row[0]
        minutes = int((appointment.ends_at - appointment.starts_at).total_seconds() // 60)
        state = APPOINTMENT_STATUS_LABELS.get(appointment.status, appointment.status)
        if not state and appointment.starts_at > now:
            state = "à venir"
        summary = f"{row[1] or 'Rendez-vous'} ({minutes} min)" + (f" — {state}" if state else "")
        items.append(
            HistoryItem(
                kind="rendez-vous",
                when=appointment.starts_at,
                practice_name=row[3],
                practitioner_name=queries.practitioner_name(row[4], row[5], row[6]),
                summary=summary,
                id=appointment.id,
                practice_id=row[2],
            )
        )
    return items
