"""What Permanence writes to, and reads back from, a practitioner's CalDAV calendar.

- `event_facts`: the start, end, title, place and status of one event's text (our pushed
  appointment, or the server's version of it), to notice a move or a deletion made on the
  server and to show both versions of a conflict.
- `callback_todo_ics`: a callback (rappel) as a VTODO with DUE, its summary set by the
  source's privacy level: "full" (name and motif), "initials" ("Rappel M. D.") or
  "minimal" ("Rappel patient": no name, no motif, no phone number).
- `french_moment`: "mardi 14 janvier à 10 h 30", for the notices of a sync.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from permanence.core.french import MONTH_NAMES, WEEKDAY_NAMES
from permanence.core.messages.values import CallbackInfo

#: Privacy levels of a source, with their French names (UI and notices).
PRIVACY_LABELS: dict[str, str] = {
    "full": "complet",
    "initials": "initiales",
    "minimal": "minimal",
}
PRIVACY_HELP: dict[str, str] = {
    "full": "nom de l'appelant et motif (et numéro dans la note)",
    "initials": "initiales et numéro : « Rappel M. D. », le numéro dans la note",
    "minimal": "« Rappel patient » seulement : ni nom, ni motif, ni numéro",
}
TODO_PRODID = "-//Permanence//Rappels//FR"
_CALLBACK_UID = re.compile(r"^(?:message|followup)-\d+@permanence$")


@dataclass(frozen=True, slots=True)
class EventFacts:
    """One event as the user needs to see it. `cancelled`: STATUS:CANCELLED."""

    start: datetime  # aware
    end: datetime  # aware
    summary: str
    location: str
    cancelled: bool


def event_facts(text: str, zone: ZoneInfo) -> EventFacts | None:
    """The main VEVENT of `text` (not an override); None when there is none or it is unusable.

    Floating times are read in `zone`; an all-day event runs from midnight to midnight.
    """
    if not text.strip():
        return None
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(text)
    except ValueError:
        return None
    for component in calendar.walk("VEVENT"):
        if component.get("RECURRENCE-ID") is not None:
            continue
        try:
            start_prop = component.get("DTSTART")
            if start_prop is None:
                return None
            start = _aware(start_prop.dt, zone)
            end_prop = component.get("DTEND")
            if end_prop is not None:
                end = _aware(end_prop.dt, zone)
            elif component.get("DURATION") is not None:
                end = start + component.get("DURATION").dt
            else:
                end = start
        except (AttributeError, TypeError, ValueError):
            return None
        return EventFacts(
            start=start,
            end=end,
            summary=str(component.get("SUMMARY", "")),
            location=str(component.get("LOCATION", "")),
            cancelled=str(component.get("STATUS", "")).upper() == "CANCELLED",
        )
    return None


def _aware(value: object, zone: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=zone)
    raise TypeError("not a date")


def is_callback_uid(uid: str | None) -> bool:
    """True for the UID of a callback pushed by Permanence (a VTODO, never busy time)."""
    return bool(uid) and _CALLBACK_UID.match(uid or "") is not None


def callback_summary(callback: CallbackInfo, privacy: str) -> str:
    """full: "Rappel Madame Marie DUPONT — résultats d'analyse"; initials: "Rappel M. D.";
    minimal (and any unknown level): "Rappel patient"."""
    if privacy == "full":
        who = callback.who.strip() or "patient"
        urgent = "URGENT — " if callback.urgent else ""
        return " — ".join(p for p in (f"{urgent}Rappel {who}", callback.reason.strip()) if p)
    if privacy == "initials" and callback.initials.strip():
        return f"Rappel {callback.initials.strip()}"
    if privacy == "initials":
        return "Rappel"
    return "Rappel patient"


#: How callbacks are written: a task (VTODO with DUE), or an event at the due time for the
#: calendars that do not show tasks (Google Calendar, many phones).
CALLBACKS_AS = ("todo", "event")
CALLBACK_EVENT_MINUTES = 15


def callback_todo_ics(
    callback: CallbackInfo, privacy: str, *, stamp: datetime, as_event: bool = False
) -> str:
    """The callback as a VCALENDAR holding one VTODO, or one VEVENT when `as_event`
    (UID stable: a new push updates it). The phone number goes in the note at "full" and
    "initials"; "minimal" carries no name, motif or number."""
    from datetime import timedelta

    from icalendar import Calendar, Event, Todo

    calendar = Calendar()
    calendar.add("prodid", TODO_PRODID)
    calendar.add("version", "2.0")
    item = Event() if as_event else Todo()
    item.add("uid", callback.uid)
    item.add("dtstamp", stamp.astimezone(UTC).replace(microsecond=0))
    item.add("summary", callback_summary(callback, privacy))
    lines: list[str] = []
    if privacy == "full":
        lines = [callback.reason.strip(), callback.number.strip()]
    elif privacy == "initials":
        lines = [callback.number.strip()]
    note = "\n".join(line for line in lines if line)
    if note:
        item.add("description", note)
    if callback.urgent and privacy != "minimal":
        item.add("priority", 1)
    due = callback.due_at.astimezone(UTC).replace(microsecond=0)
    if as_event:
        item.add("dtstart", due)
        item.add("dtend", due + timedelta(minutes=CALLBACK_EVENT_MINUTES))
        item.add("transp", "TRANSPARENT")  # a reminder, not busy time
    else:
        item.add("due", due)
        item.add("status", "NEEDS-ACTION")
    calendar.add_component(item)
    return bytes(calendar.to_ical()).decode("utf-8")


def without_stamp(text: str) -> str:
    """The text without its DTSTAMP lines: two pushes of the same callback compare equal."""
    return "\n".join(line for line in text.splitlines() if not line.upper().startswith("DTSTAMP"))


def french_moment(moment: datetime, zone: ZoneInfo) -> str:
    """ "mardi 14 janvier à 10 h 30" (never the system locale)."""
    local = moment.astimezone(zone)
    number = "1er" if local.day == 1 else str(local.day)
    day = f"{WEEKDAY_NAMES[local.weekday()]} {number} {MONTH_NAMES[local.month - 1]}"
    hour = f"{local.hour} h" if local.minute == 0 else f"{local.hour} h {local.minute:02d}"
    return f"{day} à {hour}"


__all__ = [
    "CALLBACKS_AS",
    "PRIVACY_HELP",
    "PRIVACY_LABELS",
    "EventFacts",
    "callback_summary",
    "callback_todo_ics",
    "event_facts",
    "french_moment",
    "is_callback_uid",
    "without_stamp",
]
