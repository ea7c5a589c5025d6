"""The practitioner's evening digest: a value the PDF, the e-mail and the CLI all render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from permanence.core.agenda.french import format_date, format_time
from permanence.core.messages.french import number_phrase, when_phrase
from permanence.core.messages.values import MessageInfo

if TYPE_CHECKING:
    from permanence.core.workspace import Workspace

DigestPrivacy = Literal["full", "summary"]
PRIVATE_TEXT = "Message privé : texte réservé au praticien destinataire."


@dataclass(frozen=True, slots=True)
class DigestEntry:
    message_id: int
    time_label: str  # "14 h 05" (or "lundi 23 novembre, 14 h 05" for a period)
    urgent: bool
    confirmed: bool
    status_label: str
    caller: str  # "Madame Marie DUPONT"
    patient: str  # the patient when a third party called, else ""
    number: str  # "06 12 34 56 78"
    callback: str  # "aujourd'hui entre 12 h et 14 h"
    text: str  # the readback confirmed by the caller (or the fields when there is none)
    note: str  # the practitioner's note
    is_copy: bool  # the practitioner is in copy


@dataclass(frozen=True, slots=True)
class Digest:
    title: str  # "Messages du lundi 23 novembre 2026"
    practitioner_id: int
    practitioner_name: str  # "Dr Claire Martin"
    practice_name: str
    period: str  # "lundi 23 novembre 2026" or "depuis le lundi 23 novembre 2026 à 18 h"
    privacy: DigestPrivacy
    total: int
    urgent_count: int
    entries: tuple[DigestEntry, ...]  # empty with privacy "summary"; urgent first
    generated_at: datetime  # aware, UTC

    @property
    def counts(self) -> str:
        """ "3 messages, dont 1 urgent"."""
        return counts_label(self.total, self.urgent_count)


def counts_label(total: int, urgent: int) -> str:
    if total == 0:
        return "Aucun message"
    text = f"{total} message{'s' if total > 1 else ''}"
    if urgent:
        text += f", dont {urgent} urgent{'s' if urgent > 1 else ''}"
    return text


def build_digest(
    ws: Workspace,
    practitioner_id: int,
    *,
    day: date | None = None,
    since: datetime | None = None,
    privacy: DigestPrivacy = "full",
    now: datetime | None = None,
) -> Digest:
    """A day's messages (default: today, local), or those since a moment. NotFoundError
    when the practitioner no longer exists."""
    moment = now or datetime.now(UTC)
    practitioner = ws.practices.practitioner(practitioner_id)
    zone = ZoneInfo(practitioner.timezone or "Europe/Paris")
    if since is None and day is None:
        day = moment.astimezone(zone).date()
    messages = ws.messages.for_practitioner(practitioner_id, day=day, since=since)
    if since is not None:
        local = since.astimezone(zone)
        period = f"depuis le {format_date(local.date(), year=True)} à {format_time(local.time())}"
    else:
        assert day is not None
        period = format_date(day, year=True)
    entries = tuple(_entry(m, practitioner_id, zone, day) for m in messages)
    return Digest(
        title=f"Messages {'du ' + period if since is None else period}",
        practitioner_id=practitioner_id,
        practitioner_name=practitioner.display_name,
        practice_name=ws.practices.get(practitioner.practice_id).name,
        period=period,
        privacy=privacy,
        total=len(messages),
        urgent_count=sum(1 for m in messages if m.urgent),
        entries=entries if privacy == "full" else (),
        generated_at=moment,
    )


def _entry(
    message: MessageInfo, practitioner_id: int, zone: ZoneInfo, day: date | None
) -> DigestEntry:
    d = message.draft
    local = message.created_at.astimezone(zone)
    when = format_time(local.time().replace(second=0, microsecond=0))
    if day is None or local.date() != day:
        when = f"{format_date(local.date())}, {when}"
    is_copy = d.practitioner_id != practitioner_id
    return DigestEntry(
        message_id=message.id,
        time_label=when,
        urgent=d.urgent,
        confirmed=message.confirmed,
        status_label=message.status_label,
        caller=message.caller_name,
        patient=message.patient_name if d.is_third_party else "",
        number=number_phrase(d.callback_number) if d.callback_number else "",
        callback=when_phrase(d.callback_day, d.callback_after, d.callback_before, local.date()),
        text=PRIVATE_TEXT if (is_copy and d.private) else _text(message),
        note=message.practitioner_note,
        is_copy=is_copy,
    )


def _text(message: MessageInfo) -> str:
    d = message.draft
    if message.readback_text:
        text = message.readback_text
    else:
        text = " — ".join(part for part in (d.reason.strip(), d.body.strip()) if part)
    if not message.confirmed:
        why = f" : {message.unconfirmed_reason}" if message.unconfirmed_reason else ""
        text += f"\n(Non confirmé par l'appelant{why}.)"
    return text
