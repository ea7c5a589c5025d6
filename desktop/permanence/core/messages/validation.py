"""What keeps a message from being saved, in French, for the form to show."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from permanence.core.agenda.french import format_time
from permanence.core.messages.values import MessageDraft
from permanence.core.phone import parse_phone

DEFAULT_TZ = "Europe/Paris"


def validate(
    draft: MessageDraft,
    now: datetime,
    *,
    tz: str = DEFAULT_TZ,
    practitioner_exists: bool = True,
) -> list[str]:
    """The problems, in form order; an empty list means the message can be saved.

    `practitioner_exists` is False when the chosen practitioner was deleted meanwhile."""
    today = now.astimezone(ZoneInfo(tz)).date()
    problems: list[str] = []
    if not draft.reason.strip() and not draft.body.strip():
        problems.append("Le message est vide : indiquez le motif ou le texte du message.")
    problems += _numbers(draft)
    if not practitioner_exists:
        problems.append(
            "Le praticien choisi n'existe plus : choisissez un autre praticien ou le cabinet."
        )
    problems += _window(draft, now, today, ZoneInfo(tz))
    return problems


def _numbers(draft: MessageDraft) -> list[str]:
    problems = []
    if not draft.callback_number.strip():
        problems.append("Indiquez le numéro de rappel.")
    for label, raw in (
        ("de rappel", draft.callback_number),
        ("secondaire", draft.callback_number2),
    ):
        if raw.strip() and not parse_phone(raw).valid:
            problems.append(
                f"Le numéro {label} « {raw.strip()} » n'est pas valide : "
                "vérifiez-le avec l'appelant."
            )
    return problems


def _window(draft: MessageDraft, now: datetime, today: date, zone: ZoneInfo) -> list[str]:
    after, before = draft.callback_after, draft.callback_before
    if after is not None and before is not None and after >= before:
        return [
            f"Créneau de rappel inversé : « entre {format_time(after)} et "
            f"{format_time(before)} ». L'heure de début doit précéder l'heure de fin."
        ]
    day = draft.callback_day
    if day is not None and day < today:
        return ["Le jour de rappel est déjà passé : choisissez aujourd'hui ou un jour à venir."]
    if before is not None and (day is None or day == today):
        end = datetime.combine(today, before, tzinfo=zone)
        if end <= now:
            return [
                f"Le créneau de rappel (avant {format_time(before)}) est déjà passé : "
                "choisissez un autre créneau ou un autre jour."
            ]
    return []
