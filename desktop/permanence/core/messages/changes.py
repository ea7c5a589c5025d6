"""Corrections against what was read back, field by field, in French."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, time

from permanence.core.agenda.french import format_date, format_time
from permanence.core.messages.values import FieldChange, MessageDraft, civility
from permanence.core.phone import parse_phone

FIELD_LABELS: dict[str, str] = {
    "caller_civility": "Civilité",
    "caller_last_name": "Nom",
    "caller_first_name": "Prénom",
    "patient_last_name": "Nom du patient",
    "patient_first_name": "Prénom du patient",
    "relation": "Lien avec le patient",
    "practitioner_id": "Pour",
    "reason": "Motif",
    "body": "Message",
    "callback_number": "Numéro de rappel",
    "callback_number2": "Second numéro",
    "callback_day": "Jour du rappel",
    "callback_after": "Pas avant",
    "callback_before": "Avant",
    "urgent": "Urgent",
    "private": "Privé",
    "copy_to_practitioner_id": "Copie à",
    "triage_level": "Niveau de tri",
}


def changes(
    old: MessageDraft, new: MessageDraft, *, names: Mapping[int, str] | None = None
) -> list[FieldChange]:
    """What differs, in form order; `names` gives practitioners' names for display."""
    known = names or {}
    result = []
    for field, label in FIELD_LABELS.items():
        before, after = (
            _show(field, getattr(old, field), known),
            _show(field, getattr(new, field), known),
        )
        if _key(field, getattr(old, field)) != _key(field, getattr(new, field)):
            result.append(FieldChange(field, label, before, after))
    return result


def _key(field: str, value: object) -> object:
    """Equal keys mean no correction ("06 12…" and "+336 12…" are the same number)."""
    if field.startswith("callback_number") and isinstance(value, str):
        return parse_phone(value).key
    if field == "caller_civility" and isinstance(value, str):
        return civility(value)
    if isinstance(value, str):
        return " ".join(value.split())
    return value


def _show(field: str, value: object, names: Mapping[int, str]) -> str:
    shown: Callable[[object], str] | None = _SHOW.get(type(value))
    if field in ("practitioner_id", "copy_to_practitioner_id"):
        if value is None:
            return "le cabinet" if field == "practitioner_id" else ""
        return names.get(value, f"n° {value}") if isinstance(value, int) else str(value)
    if field.startswith("callback_number") and isinstance(value, str):
        return parse_phone(value).display
    if value is None:
        return ""
    return shown(value) if shown else " ".join(str(value).split())


_SHOW: dict[type, Callable[[object], str]] = {
    bool: lambda v: "oui" if v else "non",
    date: lambda v: format_date(v, year=True) if isinstance(v, date) else str(v),
    time: lambda v: format_time(v) if isinstance(v, time) else str(v),
}
