"""Between the `Message` row and the immutable values (no session kept)."""

from __future__ import annotations

from permanence.core.db.models import Message, MessageEvent
from permanence.core.messages.values import EventInfo, MessageDraft, MessageInfo, civility
from permanence.core.phone import parse_phone

_DRAFT_FIELDS = (
    "practice_id",
    "practitioner_id",
    "caller_id",
    "caller_civility",
    "caller_last_name",
    "caller_first_name",
    "patient_last_name",
    "patient_first_name",
    "relation",
    "callback_number",
    "callback_number2",
    "reason",
    "body",
    "callback_day",
    "callback_after",
    "callback_before",
    "urgent",
    "private",
    "copy_to_practitioner_id",
    "triage_level",
)


def draft_of(row: Message) -> MessageDraft:
    return MessageDraft(**{field: getattr(row, field) for field in _DRAFT_FIELDS})


def write_draft(row: Message, draft: MessageDraft) -> None:
    """Tidied: single spaces, civility normalised, numbers in E.164 when they parse."""
    for field in _DRAFT_FIELDS:
        value = getattr(draft, field)
        if isinstance(value, str):
            value = _tidy(field, value)
        setattr(row, field, value)


def _tidy(field: str, value: str) -> str:
    if field.startswith("callback_number"):
        number = parse_phone(value)
        return number.e164 if number.e164 else value.strip()
    if field == "caller_civility":
        return civility(value)
    if field == "body":
        return value.strip()
    return " ".join(value.split())


def info_of(row: Message, practice_name: str, names: dict[int, str]) -> MessageInfo:
    return MessageInfo(
        id=row.id,
        draft=draft_of(row),
        call_id=row.call_id,
        practice_name=practice_name,
        practitioner_name=names.get(row.practitioner_id, "") if row.practitioner_id else "",
        copy_to_name=(
            names.get(row.copy_to_practitioner_id, "") if row.copy_to_practitioner_id else ""
        ),
        status=row.status,
        readback_text=row.readback_text,
        confirmed=row.confirmed,
        confirmed_at=row.confirmed_at,
        unconfirmed_reason=row.unconfirmed_reason,
        practitioner_note=row.practitioner_note,
        taken_by=row.taken_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def event_of(row: MessageEvent) -> EventInfo:
    return EventInfo(
        id=row.id,
        message_id=row.message_id,
        at=row.at,
        by=row.by,
        kind=row.kind,
        from_status=row.from_status,
        to_status=row.to_status,
        detail=row.detail,
    )
