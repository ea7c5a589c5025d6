"""Occurrences of one UID group over a window, with recurring-ical-events.

X-WR-TIMEZONE is applied first (x-wr-timezone), so a Google series written in UTC keeps
its local hour across a DST change. The window is given to recurring-ical-events in
the practitioner's zone, which is how it reads floating times; they are then placed in
that zone. All-day, TRANSP:TRANSPARENT, STATUS:CANCELLED and Outlook "free"
occurrences are kept but not busy.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
import x_wr_timezone

from permanence.core.calendars.cache import CachedOccurrence, overlaps
from permanence.core.calendars.guard import MAX_RULE_STEPS, rule_steps
from permanence.core.calendars.model import Window

#: A series giving more occurrences than this in the window is refused (FREQ=SECONDLY…).
MAX_OCCURRENCES = 20_000
_RULES = ("RRULE", "RDATE")
_INSTANCE_PROPERTIES = ("RRULE", "RDATE", "RECURRENCE-ID")


class ExpansionError(Exception):
    """The occurrences of a group cannot be computed; the message is French."""


def expand(
    events: Sequence[icalendar.Event],
    *,
    practitioner: ZoneInfo,
    x_wr_zone: tzinfo | None,
    window: Window,
) -> tuple[tuple[CachedOccurrence, ...], bool]:
    """The group's occurrences overlapping `window`, and whether floating times were met."""
    if len(events) == 1 and _plain(events[0], x_wr_zone):
        return _plain_occurrence(events[0], practitioner, window)
    if sum(rule_steps(event, window[1]) for event in events) > MAX_RULE_STEPS:
        raise ExpansionError(
            "Récurrence trop fine pour être calculée (des centaines de milliers de "
            "répétitions) : série ignorée."
        )
    calendar = icalendar.Calendar()
    for event in events:
        calendar.add_component(event)
    recurring = any(name in event for event in events for name in _RULES)
    if x_wr_zone is not None and (recurring or _has_floating(events)):
        calendar = x_wr_timezone.to_standard(calendar, timezone=x_wr_zone)
    # A lone event without rules is its own occurrence: no copy of it is needed.
    single = events[0] if len(events) == 1 and not recurring else None
    instances = any(name in event for event in events for name in _INSTANCE_PROPERTIES)
    start, end = (moment.astimezone(practitioner) for moment in window)
    found: list[CachedOccurrence] = []
    floating = False
    for series in recurring_ical_events.of(calendar).series:
        for occurrence in series.between(start, end):
            if len(found) >= MAX_OCCURRENCES:
                count = f"{MAX_OCCURRENCES:,}".replace(",", "\u202f")
                raise ExpansionError(
                    f"Plus de {count} occurrences dans la fenêtre : série ignorée."
                )
            component = single if single is not None else occurrence.as_component(False)
            item, was_floating = _occurrence(
                component, occurrence.start, occurrence.end, practitioner, instances
            )
            found.append(item)
            floating = floating or was_floating
    found.sort(key=lambda item: (item.start, item.end, item.summary))
    return tuple(found), floating


def _plain(event: icalendar.Event, x_wr_zone: tzinfo | None) -> bool:
    """An event that is its own and only occurrence, with nothing for X-WR-TIMEZONE to do."""
    if any(name in event for name in (*_INSTANCE_PROPERTIES, "EXDATE")):
        return False
    return x_wr_zone is None or not _has_floating([event])


def _plain_occurrence(
    event: icalendar.Event, practitioner: ZoneInfo, window: Window
) -> tuple[tuple[CachedOccurrence, ...], bool]:
    """The occurrence of a plain event, its span computed by recurring-ical-events' adapter."""
    start, end = recurring_ical_events.EventAdapter(event).span
    item, floating = _occurrence(event, start, end, practitioner, instances=False)
    return ((item,), floating) if overlaps(item, window) else ((), False)


def _has_floating(events: Sequence[icalendar.Event]) -> bool:
    """Whether a start, end or recurrence id has no zone (X-WR-TIMEZONE then gives one)."""
    for event in events:
        for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            value = getattr(event.get(name), "dt", None)
            if isinstance(value, datetime) and value.tzinfo is None:
                return True
    return False


def _occurrence(
    component: Any, start_value: object, end_value: object, zone: ZoneInfo, instances: bool
) -> tuple[CachedOccurrence, bool]:
    start, floating = to_utc(start_value, zone)
    end, _ = to_utc(end_value, zone)
    recurrence_id = None
    if instances and "RECURRENCE-ID" in component:
        recurrence_id, _ = to_utc(component["RECURRENCE-ID"].dt, zone)
    busy = (
        isinstance(start_value, datetime)
        and end > start
        and str(component.get("TRANSP", "")).upper() != "TRANSPARENT"
        and str(component.get("STATUS", "")).upper() != "CANCELLED"
        and str(component.get("X-MICROSOFT-CDO-BUSYSTATUS", "")).upper() != "FREE"
    )
    summary = str(component.get("SUMMARY", ""))
    return CachedOccurrence(start, end, summary, recurrence_id, busy), floating


def to_utc(value: object, zone: ZoneInfo) -> tuple[datetime, bool]:
    """A DTSTART-like value in UTC (dates at midnight in `zone`), and whether it was floating."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=zone).astimezone(UTC), True
        return value.astimezone(UTC), False
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=zone).astimezone(UTC), False
    raise ExpansionError(f"Valeur de date inattendue ({type(value).__name__}) : série ignorée.")
