"""What one column of the agenda grid shows: one practitioner on one local day (no Qt)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from permanence.core.agenda import Agenda, busy_intervals, free_intervals, open_periods
from permanence.core.agenda.availability import working_periods
from permanence.core.agenda.store import AppointmentInfo

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Hole:
    """Free time inside open hours too short for the shortest motif: lost ("trou")."""

    start: datetime
    end: datetime

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True)
class Column:
    practitioner_id: int
    practitioner: str
    day: date
    zone: ZoneInfo
    working: tuple[Interval, ...]
    absences: tuple[tuple[datetime, datetime, str], ...]
    busy: tuple[Interval, ...]  # imported calendars
    appointments: tuple[AppointmentInfo, ...]
    holes: tuple[Hole, ...]
    note: str = ""  # the day exception's note ("14 h–17 h seulement")

    @property
    def stranded_minutes(self) -> int:
        return sum(hole.minutes for hole in self.holes)


def day_span(day: date, zone: ZoneInfo) -> Interval:
    start = datetime.combine(day, time(0), tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)


def _clip(intervals: Sequence[Interval], span: Interval) -> tuple[Interval, ...]:
    low, high = span
    return tuple((max(s, low), min(e, high)) for s, e in intervals if e > low and s < high)


def build_column(
    practitioner_id: int,
    practitioner: str,
    agenda: Agenda,
    appointments: Sequence[AppointmentInfo],
    day: date,
) -> Column:
    """Working hours, absences, busy time, appointments and lost holes of one day."""
    span = day_span(day, agenda.zone)
    opened = open_periods(agenda, [day])
    taken = busy_intervals(agenda, *span)
    shortest = agenda.min_duration
    holes: tuple[Hole, ...] = ()
    if shortest is not None and opened:
        holes = tuple(
            Hole(s, e) for s, e in free_intervals(opened, taken) if e - s < shortest and e > s
        )
    absences = tuple(
        (max(a.start, span[0]), min(a.end, span[1]), a.reason)
        for a in agenda.absences
        if a.end > span[0] and a.start < span[1]
    )
    exception = agenda.exception_on(day)
    return Column(
        practitioner_id=practitioner_id,
        practitioner=practitioner,
        day=day,
        zone=agenda.zone,
        working=_clip(working_periods(agenda, [day]), span),
        absences=absences,
        busy=_clip(list(agenda.busy), span),
        appointments=tuple(
            a for a in appointments if a.ends_at > span[0] and a.starts_at < span[1]
        ),
        holes=holes,
        note=exception.note if exception is not None else "",
    )
