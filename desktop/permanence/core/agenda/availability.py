"""From an agenda description to the intervals `propose_slots` works on.

Each local date is built on its own with `datetime.combine(day, time, tzinfo=zone)`: adding
a timedelta to a wall time would drift by an hour across a DST change.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from permanence.core.agenda.errors import AgendaError
from permanence.core.agenda.model import Agenda, TimeRange, WeeklyPeriod
from permanence.core.agenda.spans import (
    Interval,
    merge,
    require_aware,
    subtract,
    to_interval,
    to_spans,
)


@dataclass(frozen=True)
class Availability:
    """What `propose_slots` needs: open periods (absences removed) and busy time."""

    open_periods: tuple[Interval, ...]
    busy: tuple[Interval, ...]


def local_days(start: datetime, end: datetime, zone: ZoneInfo) -> Iterator[date]:
    """Every local date touched by `[start, end]`."""
    day = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    while day <= last:
        yield day
        day += timedelta(days=1)


def on_day(day: date, ranges: Iterable[TimeRange], zone: ZoneInfo) -> list[Interval]:
    """Wall-clock ranges of one local date as aware intervals."""
    return [
        (datetime.combine(day, start, tzinfo=zone), datetime.combine(day, end, tzinfo=zone))
        for start, end in ranges
    ]


def weekly_intervals(
    periods: Sequence[WeeklyPeriod], days: Iterable[date], zone: ZoneInfo
) -> list[Interval]:
    """Weekly hours (e.g. an appointment type's windows) over some dates."""
    return [
        interval
        for day in days
        for interval in on_day(
            day, ((p.start, p.end) for p in periods if day.weekday() in p.weekdays), zone
        )
    ]


def working_periods(agenda: Agenda, days: Iterable[date]) -> list[Interval]:
    """Template hours, replaced by the dated exceptions, over some local dates."""
    result: list[Interval] = []
    for day in days:
        exception = agenda.exception_on(day)
        if exception is not None:
            ranges: Sequence[TimeRange] = sorted(exception.periods)
        else:
            ranges = agenda.template.periods_on(day.weekday())
        result.extend(on_day(day, ranges, agenda.zone))
    return result


def open_periods(agenda: Agenda, days: Iterable[date]) -> list[Interval]:
    """Working periods minus absences: the time the practitioner is at work."""
    working = merge(to_spans(working_periods(agenda, days), "Horaires", shrink=True))
    away = merge(to_spans(((a.start, a.end) for a in agenda.absences), "Absence", shrink=False))
    return [to_interval(span, agenda.zone) for span in subtract(working, away)]


def busy_intervals(agenda: Agenda, start: datetime, end: datetime) -> list[Interval]:
    """Bookings (with their buffers) and imported busy time overlapping `[start, end]`."""
    taken = [booking.busy for booking in agenda.bookings] + list(agenda.busy)
    return [(s, e) for s, e in taken if e > start and s < end]


def availability(agenda: Agenda, start: datetime, end: datetime) -> Availability:
    """Open periods and busy time of the local days covering `[start, end]`."""
    require_aware(start, "Début de la période")
    require_aware(end, "Fin de la période")
    if end < start:
        raise AgendaError("La fin de la période précède son début.")
    days = list(local_days(start, end, agenda.zone))
    # Busy time of the whole days, so holes next to the window's edges are measured right.
    first, _ = day_bounds(days[0], agenda.zone)
    _, last = day_bounds(days[-1], agenda.zone)
    return Availability(
        tuple(open_periods(agenda, days)), tuple(busy_intervals(agenda, first, last))
    )


def day_bounds(day: date, zone: ZoneInfo) -> Interval:
    """Local midnight to next local midnight (23 or 25 hours on DST change days)."""
    return (
        datetime.combine(day, time(0), tzinfo=zone),
        datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone),
    )
