"""Plain values the calendar import hands out: busy time, what was skipped, zones seen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from permanence.core.errors import PermanenceError

#: (start, end) of the time span occurrences are looked for in, both timezone-aware.
Window = tuple[datetime, datetime]

DAYS_BACK = 30
DAYS_AHEAD = 365


class CalendarImportError(PermanenceError):
    """The calendar holds nothing usable as busy time; the message (French) says why."""


@dataclass(frozen=True, slots=True)
class BusyInterval:
    """One busy occurrence, in UTC. `recurrence_id` identifies an instance of a series."""

    uid: str | None
    start: datetime
    end: datetime
    summary: str
    recurrence_id: datetime | None


@dataclass(frozen=True, slots=True)
class Skipped:
    """A component left out of the import (`component`: VEVENT, VALARM or VTIMEZONE).

    `uid` is the event's UID (the TZID for a VTIMEZONE), None when the file gives none.
    """

    uid: str | None
    reason: str
    component: str = "VEVENT"


@dataclass(frozen=True, slots=True)
class ZoneMapping:
    """A time zone met in the file and the zone used for it.

    `how`: "iana", "windows" (CLDR name), "prefix" (vendor prefix removed), "case"
    (IANA name in the wrong case), "offset" (display name "(UTC+hh:mm) …"), "vtimezone"
    (defined by the file), "unknown" (practitioner's zone used), "x-wr-timezone",
    "floating" (times without a zone, read in the practitioner's zone).
    """

    tzid: str
    zone: str
    how: str


@dataclass(frozen=True, slots=True)
class ImportStats:
    """How much work an import did: `parsed_components` counts icalendar parses."""

    groups: int
    parsed_groups: int
    reused_groups: int
    parsed_components: int


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What a calendar gives: accepted events, busy time in the window, and the problems."""

    events: int
    busy: tuple[BusyInterval, ...]
    skipped: tuple[Skipped, ...]
    zones: tuple[ZoneMapping, ...]
    warnings: tuple[str, ...]
    window: Window
    occurrences_total: int
    stats: ImportStats

    @property
    def occurrences(self) -> int:
        """Busy occurrences in the window."""
        return len(self.busy)


def default_window(now: datetime | None = None) -> Window:
    """30 days back and 12 months (365 days) ahead of `now`, from midnight UTC."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    today = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=DAYS_BACK), today + timedelta(days=DAYS_AHEAD)


def check_window(window: Window) -> Window:
    """The window in UTC; ValueError for a naive or empty window (a programming error)."""
    start, end = window
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("window datetimes must be timezone-aware")
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if start >= end:
        raise ValueError("window start must come before its end")
    return start, end
