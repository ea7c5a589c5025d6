"""What the caller prefers (morning, days, "pas avant 17 h", a date), as allowed intervals.

Preferences filter where a slot may lie; they never change how holes are measured. Parts
of the day and the time limits apply to the start of the appointment, as a caller means
them: "le matin" is a start before noon, "pas après 11 h" admits 11 h itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from permanence.core.agenda.errors import AgendaError
from permanence.core.agenda.french import WEEKDAY_NAMES, format_date, format_time
from permanence.core.agenda.model import ALL_WEEKDAYS, WORKING_WEEKDAYS
from permanence.core.agenda.spans import Interval

_DAY = 86_400
StartRange = tuple[int, int]  # seconds after local midnight, start included, end excluded


class PartOfDay(StrEnum):
    MATIN = "matin"
    APRES_MIDI = "après-midi"
    SOIR = "soir"


PART_STARTS: dict[PartOfDay, StartRange] = {
    PartOfDay.MATIN: (0, 12 * 3600),
    PartOfDay.APRES_MIDI: (12 * 3600, 18 * 3600),
    PartOfDay.SOIR: (17 * 3600, _DAY),
}
_PART_WORDS = {
    PartOfDay.MATIN: "le matin",
    PartOfDay.APRES_MIDI: "l'après-midi",
    PartOfDay.SOIR: "en fin de journée",
}


def _seconds(moment: time) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


@dataclass(frozen=True)
class Preferences:
    """A caller's wishes; empty fields mean "no preference". The UI may fill it directly.

    `strict=False` ("plutôt le matin") means: drop the preferences if nothing matches.
    `unparsed` keeps the words `parse_preferences` did not understand, to show them.
    """

    parts_of_day: frozenset[PartOfDay] = frozenset()
    weekdays: frozenset[int] = frozenset()
    excluded_weekdays: frozenset[int] = frozenset()
    not_before: time | None = None
    not_after: time | None = None
    on_date: date | None = None
    strict: bool = True
    unparsed: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not (self.weekdays | self.excluded_weekdays) <= ALL_WEEKDAYS:
            raise AgendaError("Préférences : jour de la semaine invalide.")
        if (
            self.not_before is not None
            and self.not_after is not None
            and self.not_after < self.not_before
        ):
            raise AgendaError(
                f"Préférences contradictoires : pas avant {format_time(self.not_before)} "
                f"et pas après {format_time(self.not_after)}."
            )
        if self.weekdays and self.weekdays <= self.excluded_weekdays:
            raise AgendaError("Préférences contradictoires : tous les jours choisis sont exclus.")

    @property
    def is_empty(self) -> bool:
        return not (
            self.parts_of_day
            or self.weekdays
            or self.excluded_weekdays
            or self.not_before is not None
            or self.not_after is not None
            or self.on_date is not None
        )

    def accepts_day(self, day: date) -> bool:
        if self.on_date is not None and day != self.on_date:
            return False
        if self.weekdays and day.weekday() not in self.weekdays:
            return False
        return day.weekday() not in self.excluded_weekdays

    def start_ranges(self) -> list[StartRange]:
        """Accepted start times of an accepted day, as merged seconds-of-day ranges."""
        parts = sorted(PART_STARTS[p] for p in self.parts_of_day) or [(0, _DAY)]
        low = _seconds(self.not_before) if self.not_before is not None else 0
        high = _seconds(self.not_after) + 1 if self.not_after is not None else _DAY
        ranges: list[StartRange] = []
        for start, end in parts:
            start, end = max(start, low), min(end, high)
            if start >= end:
                continue
            if ranges and start <= ranges[-1][1]:
                ranges[-1] = (ranges[-1][0], max(end, ranges[-1][1]))
            else:
                ranges.append((start, end))
        return ranges

    def accepts(self, start: datetime, zone: ZoneInfo) -> bool:
        """Does a slot starting at `start` suit the caller?"""
        local = start.astimezone(zone)
        second = _seconds(local.time())
        return self.accepts_day(local.date()) and any(
            low <= second < high for low, high in self.start_ranges()
        )

    def describe(self) -> str:
        """Short French summary for the screen: "le matin, mardi ou jeudi, pas avant 17 h"."""
        words = [_PART_WORDS[p] for p in PartOfDay if p in self.parts_of_day]
        if self.weekdays == WORKING_WEEKDAYS:
            words.append("en semaine")
        elif self.weekdays:
            words.append(" ou ".join(WEEKDAY_NAMES[d] for d in sorted(self.weekdays)))
        words += [f"pas le {WEEKDAY_NAMES[d]}" for d in sorted(self.excluded_weekdays)]
        if self.not_before is not None:
            words.append(f"pas avant {format_time(self.not_before)}")
        if self.not_after is not None:
            words.append(_describe_not_after(self.not_after))
        if self.on_date is not None:
            words.append(f"le {format_date(self.on_date)}")
        text = ", ".join(words) or "aucune préférence"
        return text if self.strict else f"de préférence : {text}"


def _describe_not_after(moment: time) -> str:
    """ "avant 11 h" is stored as a last start at 10 h 59 and said back the same way."""
    if moment.minute == 59 and moment.hour < 23:
        return f"avant {moment.hour + 1} h"
    return f"pas après {format_time(moment)}"


def _at(day: date, second: int, zone: ZoneInfo) -> datetime:
    if second >= _DAY:
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return datetime.combine(
        day, time(second // 3600, second % 3600 // 60, second % 60), tzinfo=zone
    )


def preference_windows(
    preferences: Preferences, days: Iterable[date], zone: ZoneInfo, occupied: timedelta
) -> list[Interval]:
    """Intervals a slot of `occupied` time may lie in so that its start suits the caller."""
    tail = occupied - timedelta(seconds=1)  # the last accepted start is one second earlier
    windows: list[Interval] = []
    ranges = preferences.start_ranges()
    for day in days:
        if not preferences.accepts_day(day):
            continue
        for low, high in ranges:
            end = (_at(day, high, zone).astimezone(UTC) + tail).astimezone(zone)
            windows.append((_at(day, low, zone), end))
    return windows
