"""Plain values describing a practitioner's agenda; each checks itself when built.

Invalid values cannot exist: the UI builds them from what was typed, shows the French
`AgendaError` if any, and saves nothing half-way. Wall-clock times (`time`) are read in
the agenda's zone date by date, so 9 h stays 9 h across the DST changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from permanence.core.agenda.errors import AgendaError
from permanence.core.agenda.french import WEEKDAY_NAMES, format_time
from permanence.core.agenda.spans import Interval, require_aware

ALL_WEEKDAYS: frozenset[int] = frozenset(range(7))
WORKING_WEEKDAYS: frozenset[int] = frozenset(range(5))
DEFAULT_ZONE = "Europe/Paris"
TimeRange = tuple[time, time]


def _check_range(start: time, end: time, label: str) -> None:
    if not isinstance(start, time) or not isinstance(end, time):
        raise AgendaError(f"{label} : des heures de début et de fin sont attendues.")
    if start.tzinfo is not None or end.tzinfo is not None:
        raise AgendaError(f"{label} : les heures s'entendent sans fuseau (heure locale).")
    if end <= start:
        raise AgendaError(
            f"{label} : la fin ({format_time(end)}) doit être après le début "
            f"({format_time(start)})."
        )


def _check_no_overlap(ranges: Iterable[TimeRange], label: str) -> None:
    ordered = sorted(ranges)
    for (start, end), (next_start, next_end) in pairwise(ordered):
        if next_start < end:
            raise AgendaError(
                f"{label} : les plages {format_time(start)}–{format_time(end)} et "
                f"{format_time(next_start)}–{format_time(next_end)} se chevauchent."
            )


def _minutes(value: timedelta) -> int:
    return int(value.total_seconds() // 60)


@dataclass(frozen=True)
class WeeklyPeriod:
    """Hours repeated every week on some weekdays (0 = lundi … 6 = dimanche)."""

    start: time
    end: time
    weekdays: frozenset[int] = ALL_WEEKDAYS

    def __post_init__(self) -> None:
        _check_range(self.start, self.end, "Plage horaire")
        if not self.weekdays or not self.weekdays <= ALL_WEEKDAYS:
            raise AgendaError("Plage horaire : choisissez au moins un jour de la semaine valide.")

    @property
    def length(self) -> timedelta:
        return datetime.combine(date.min, self.end) - datetime.combine(date.min, self.start)


@dataclass(frozen=True)
class WeeklyTemplate:
    """Working hours of an ordinary week; the gaps between periods are the breaks."""

    periods: tuple[WeeklyPeriod, ...] = ()

    def __post_init__(self) -> None:
        for weekday in range(7):
            _check_no_overlap(self.periods_on(weekday), f"Horaires du {WEEKDAY_NAMES[weekday]}")

    @classmethod
    def from_days(cls, days: Mapping[int, Iterable[TimeRange]]) -> WeeklyTemplate:
        """Build from `{weekday: [(start, end), …]}`, the shape of an hours table."""
        return cls(
            tuple(
                WeeklyPeriod(start, end, frozenset({weekday}))
                for weekday, ranges in sorted(days.items())
                for start, end in ranges
            )
        )

    def periods_on(self, weekday: int) -> list[TimeRange]:
        return sorted((p.start, p.end) for p in self.periods if weekday in p.weekdays)


@dataclass(frozen=True)
class DayException:
    """A date whose hours replace the template's ("mardi 24 : 14 h–17 h seulement").

    No periods means the practice is closed that day.
    """

    day: date
    periods: tuple[TimeRange, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        label = f"Exception du {self.day:%d/%m/%Y}"
        for start, end in self.periods:
            _check_range(start, end, label)
        _check_no_overlap(self.periods, label)


@dataclass(frozen=True)
class Absence:
    """The practitioner is away (holidays, training); `replacement` says who stands in."""

    start: datetime
    end: datetime
    reason: str = ""
    replacement: str = ""

    def __post_init__(self) -> None:
        _check_instants(self.start, self.end, "Absence")

    @classmethod
    def whole_days(
        cls,
        first: date,
        last: date,
        zone: ZoneInfo,
        reason: str = "",
        replacement: str = "",
    ) -> Absence:
        """Absence from the start of `first` to the end of `last`, local days."""
        start = datetime.combine(first, time(0), tzinfo=zone)
        end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone)
        return cls(start, end, reason, replacement)


def _check_instants(start: datetime, end: datetime, label: str) -> None:
    require_aware(start, label)
    require_aware(end, label)
    if end <= start:
        raise AgendaError(
            f"{label} : la fin ({end:%d/%m/%Y %H:%M}) doit être après le début "
            f"({start:%d/%m/%Y %H:%M})."
        )


@dataclass(frozen=True)
class AppointmentType:
    """A bookable kind of appointment ("motif de RDV").

    `windows` restrict when it may take place (empty: any working time), e.g. urgences
    11 h 45–12 h 15 only; `buffer_after` is time kept free after each one; an
    `urgent_only` type is kept for cases triaged urgent.
    """

    name: str
    duration: timedelta
    bookable_by_secretary: bool = True
    windows: tuple[WeeklyPeriod, ...] = ()
    buffer_after: timedelta = timedelta(0)
    urgent_only: bool = False

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise AgendaError("Motif de rendez-vous : le nom est obligatoire.")
        if not isinstance(self.duration, timedelta) or self.duration <= timedelta(0):
            raise AgendaError(f"Motif « {self.name} » : la durée doit être strictement positive.")
        if self.buffer_after < timedelta(0):
            raise AgendaError(f"Motif « {self.name} » : le temps après ne peut être négatif.")
        for window in self.windows:
            if window.length < self.duration:
                raise AgendaError(
                    f"Motif « {self.name} » : la plage {format_time(window.start)}–"
                    f"{format_time(window.end)} est plus courte que sa durée "
                    f"({_minutes(self.duration)} min)."
                )

    @property
    def occupied(self) -> timedelta:
        """Time the agenda loses per appointment: the appointment and its buffer."""
        return self.duration + self.buffer_after


@dataclass(frozen=True)
class Booking:
    """An appointment already in the agenda, with its type's buffer (the busy view of it)."""

    start: datetime
    end: datetime
    buffer_after: timedelta = timedelta(0)

    def __post_init__(self) -> None:
        _check_instants(self.start, self.end, "Rendez-vous")
        if self.buffer_after < timedelta(0):
            raise AgendaError("Rendez-vous : le temps après ne peut être négatif.")

    @property
    def busy(self) -> Interval:
        return self.start, self.end + self.buffer_after


@dataclass(frozen=True)
class Agenda:
    """Everything that decides when a practitioner can be booked."""

    template: WeeklyTemplate
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_ZONE))
    exceptions: tuple[DayException, ...] = ()
    absences: tuple[Absence, ...] = ()
    appointment_types: tuple[AppointmentType, ...] = ()
    bookings: tuple[Booking, ...] = ()
    busy: tuple[Interval, ...] = ()  # imported calendars and other busy time

    def __post_init__(self) -> None:
        days = [exception.day for exception in self.exceptions]
        if len(days) != len(set(days)):
            raise AgendaError("Deux exceptions portent sur la même date.")
        names = [kind.name.strip().casefold() for kind in self.appointment_types]
        if len(names) != len(set(names)):
            raise AgendaError("Deux motifs de rendez-vous portent le même nom.")
        for start, end in self.busy:
            _check_instants(start, end, "Période occupée")
        self._check_types_fit()

    def _check_types_fit(self) -> None:
        for kind in self.appointment_types:
            self.check_fits(kind)

    def check_fits(self, kind: AppointmentType) -> None:
        """Refuse a type (with its buffer) longer than every working period."""
        lengths = [p.length for p in self.template.periods] + [
            datetime.combine(date.min, end) - datetime.combine(date.min, start)
            for exception in self.exceptions
            for start, end in exception.periods
        ]
        if not lengths:
            return  # hours not entered yet: nothing can be booked, nothing to contradict
        longest = max(lengths)
        if kind.occupied > longest:
            raise AgendaError(
                f"Motif « {kind.name} » : {_minutes(kind.occupied)} min ne tiennent dans "
                f"aucune plage de travail (la plus longue fait {_minutes(longest)} min)."
            )

    def exception_on(self, day: date) -> DayException | None:
        for exception in self.exceptions:
            if exception.day == day:
                return exception
        return None

    @property
    def bookable_lengths(self) -> tuple[timedelta, ...]:
        """Time each ordinary motif takes (buffer included): what holes can be filled with.

        Urgent-only motifs are left out (they only fit their reserved hours) unless there
        is nothing else; motifs the secretary may not book are left out.
        """
        bookable = [k for k in self.appointment_types if k.bookable_by_secretary]
        ordinary = [k for k in bookable if not k.urgent_only] or bookable
        return tuple(k.occupied for k in ordinary)

    @property
    def min_duration(self) -> timedelta | None:
        """Shortest ordinary booking: free holes shorter than it are lost ("stranded")."""
        return min(self.bookable_lengths, default=None)
