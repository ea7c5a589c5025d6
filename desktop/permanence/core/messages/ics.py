"""Open callbacks as an iCalendar file (RFC 5545): one VTODO each (or a VEVENT at the
callback window), with a stable UID so that importing again updates instead of duplicating."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Literal

from icalendar import Calendar, Event, Todo

from permanence.core.messages.values import CallbackInfo
from permanence.core.practices.values import PractitionerInfo

IcsPrivacy = Literal["full", "initials", "minimal"]
PRODID = "-//Permanence//Rappels//FR"
EVENT_LENGTH = timedelta(minutes=15)


def export_callbacks_ics(
    callbacks: list[CallbackInfo],
    *,
    privacy: IcsPrivacy = "initials",
    as_events: bool = False,
    practitioner: PractitionerInfo | None = None,
    now: datetime | None = None,
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = f"Rappels — {practitioner.display_name}" if practitioner else "Rappels"
    calendar.add("x-wr-calname", name)
    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    for callback in callbacks:
        calendar.add_component(_component(callback, privacy, as_events, stamp))
    return bytes(calendar.to_ical())


def summary(callback: CallbackInfo, privacy: IcsPrivacy) -> str:
    """full: name, reason, number; initials: "Rappel M. D. — 06 12 34 56 78";
    minimal: "Rappel patient"."""
    if privacy == "minimal":
        return "Rappel patient"
    if privacy == "initials":
        parts = [f"Rappel {callback.initials}".strip(), callback.number]
        return " — ".join(part for part in parts if part)
    who = callback.who or "patient"
    parts = [
        f"{'URGENT — ' if callback.urgent else ''}Rappel {who}",
        callback.reason,
        callback.number,
    ]
    return " — ".join(part for part in parts if part)


def _component(
    callback: CallbackInfo, privacy: IcsPrivacy, as_events: bool, stamp: datetime
) -> Event | Todo:
    item: Event | Todo = Event() if as_events else Todo()
    item.add("uid", callback.uid)
    item.add("dtstamp", stamp)
    item.add("summary", summary(callback, privacy))
    if privacy == "full" and callback.reason:
        item.add("description", callback.reason)
    if callback.urgent:
        item.add("priority", 1)
    due = callback.due_at.astimezone(UTC)
    if as_events:
        start = callback.window_start or due - EVENT_LENGTH
        item.add("dtstart", start.astimezone(UTC))
        item.add("dtend", due if due > start else start + EVENT_LENGTH)
        item.add("transp", "OPAQUE")
    else:
        if callback.window_start is not None and callback.window_start < due:
            item.add("dtstart", callback.window_start.astimezone(UTC))
        item.add("due", due)
        item.add("status", "NEEDS-ACTION")
    return item
