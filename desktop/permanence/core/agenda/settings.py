"""Editing a practitioner's agenda settings: weekly hours, motifs, absences, day exceptions.

Every change is checked with the pure agenda model first (French `AgendaError`), then
written in one transaction: a refused change leaves the database as it was. Times are
wall-clock times in the practitioner's zone; absences are stored as aware UTC instants.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from permanence.core.agenda.errors import AgendaError
from permanence.core.agenda.french import WEEKDAY_NAMES, format_date, format_time
from permanence.core.agenda.model import (
    ALL_WEEKDAYS,
    Agenda,
    AppointmentType,
    TimeRange,
    WeeklyPeriod,
    WeeklyTemplate,
)
from permanence.core.agenda.model import Absence as DomainAbsence
from permanence.core.agenda.model import DayException as DomainDayException
from permanence.core.db.models import Absence, DayException, Practitioner, WorkingPeriod
from permanence.core.db.models import AppointmentType as AppointmentTypeRow
from permanence.core.errors import NotFoundError

MAX_DURATION_MIN = 8 * 60
MAX_BUFFER_MIN = 120
NAME_MAX = 100
REASON_MAX = 200
RANGES_MAX = 200


@dataclass(frozen=True, slots=True)
class AppointmentTypeValue:
    """A motif as typed: `windows` empty means any working time, `weekdays` empty any day."""

    name: str
    duration_min: int
    buffer_after_min: int = 0
    bookable_by_secretary: bool = True
    urgent_only: bool = False
    windows: tuple[TimeRange, ...] = ()
    weekdays: frozenset[int] = frozenset()
    id: int | None = None
    position: int = 0


@dataclass(frozen=True, slots=True)
class AbsenceValue:
    """An absence; `starts_at` / `ends_at` are aware (UTC when read back)."""

    starts_at: datetime
    ends_at: datetime
    reason: str = ""
    replacement: str = ""
    id: int | None = None


@dataclass(frozen=True, slots=True)
class DayExceptionValue:
    """Other hours on one date; no periods means closed that day."""

    day: date
    periods: tuple[TimeRange, ...] = ()
    note: str = ""
    id: int | None = None

    @property
    def summary(self) -> str:
        """ "mardi 24 novembre : 14 h–17 h seulement" or "… : fermé"."""
        head = format_date(self.day)
        if not self.periods:
            return f"{head} : fermé"
        hours = ", ".join(f"{format_time(s)}–{format_time(e)}" for s, e in self.periods)
        return f"{head} : {hours} seulement"


@dataclass(frozen=True, slots=True)
class AgendaSettings:
    practitioner_id: int
    zone: str
    weekly: tuple[tuple[TimeRange, ...], ...] = field(default=((),) * 7)  # index = weekday
    appointment_types: tuple[AppointmentTypeValue, ...] = ()
    absences: tuple[AbsenceValue, ...] = ()
    exceptions: tuple[DayExceptionValue, ...] = ()

    def periods_on(self, weekday: int) -> tuple[TimeRange, ...]:
        return self.weekly[weekday]

    @property
    def template(self) -> dict[int, list[TimeRange]]:
        return {day: list(ranges) for day, ranges in enumerate(self.weekly) if ranges}


def format_ranges(ranges: Iterable[TimeRange]) -> str:
    """The stored form: "11:45-12:15;17:30-18:00"."""
    return ";".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in ranges)


def _parse_ranges(text: str) -> tuple[TimeRange, ...]:
    result = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        first, _, last = part.partition("-")
        result.append((time.fromisoformat(first.strip()), time.fromisoformat(last.strip())))
    return tuple(result)


def _type_value(row: AppointmentTypeRow) -> AppointmentTypeValue:
    return AppointmentTypeValue(
        name=row.name,
        duration_min=row.duration_min,
        buffer_after_min=row.buffer_after_min,
        bookable_by_secretary=row.bookable_by_secretary,
        urgent_only=row.urgent_only,
        windows=_parse_ranges(row.windows),
        weekdays=frozenset(int(d) for d in row.weekdays.split(",") if d.strip()),
        id=row.id,
        position=row.position,
    )


def _type_model(value: AppointmentTypeValue) -> AppointmentType:
    name = value.name.strip()
    label = f"Motif « {name} »" if name else "Motif de rendez-vous"
    if not name:
        raise AgendaError("Motif de rendez-vous : le nom est obligatoire.")
    if len(name) > NAME_MAX:
        raise AgendaError(f"{label} : le nom dépasse {NAME_MAX} caractères.")
    if value.duration_min <= 0:
        raise AgendaError(f"{label} : la durée doit être strictement positive.")
    if value.duration_min > MAX_DURATION_MIN:
        raise AgendaError(
            f"{label} : une durée de {value.duration_min} min n'est pas plausible "
            f"({MAX_DURATION_MIN} min au plus)."
        )
    if not 0 <= value.buffer_after_min <= MAX_BUFFER_MIN:
        raise AgendaError(
            f"{label} : le temps après doit être compris entre 0 et {MAX_BUFFER_MIN} min."
        )
    if not value.weekdays <= ALL_WEEKDAYS:
        raise AgendaError(f"{label} : jour de la semaine inconnu.")
    if len(format_ranges(value.windows)) > RANGES_MAX:
        raise AgendaError(f"{label} : trop de plages horaires.")
    weekdays = value.weekdays or ALL_WEEKDAYS
    try:
        windows = tuple(WeeklyPeriod(s, e, weekdays) for s, e in value.windows)
        WeeklyTemplate(windows)  # refuses overlapping windows
    except AgendaError as exc:
        raise AgendaError(f"{label}, plages : {exc}") from exc
    return AppointmentType(
        name=name,
        duration=timedelta(minutes=value.duration_min),
        bookable_by_secretary=value.bookable_by_secretary,
        windows=windows,
        buffer_after=timedelta(minutes=value.buffer_after_min),
        urgent_only=value.urgent_only,
    )


def _template(days: Mapping[int, Iterable[TimeRange]]) -> WeeklyTemplate:
    for weekday in days:
        if weekday not in ALL_WEEKDAYS:
            raise AgendaError(f"Horaires : jour de la semaine inconnu ({weekday}).")
    return WeeklyTemplate.from_days({day: list(ranges) for day, ranges in days.items()})


def _text(value: str, label: str, limit: int) -> str:
    value = value.strip()
    if len(value) > limit:
        raise AgendaError(f"{label} : {limit} caractères au plus.")
    return value


def to_instant(moment: date | datetime, zone: ZoneInfo, *, end: bool = False) -> datetime:
    """A local date (start of day, or start of the next day when `end`), a naive local
    datetime or an aware one, as an aware datetime in `zone`."""
    if isinstance(moment, datetime):
        return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)
    day = moment + timedelta(days=1) if end else moment
    return datetime.combine(day, time(0), tzinfo=zone)


class AgendaSettingsService:
    """`ws.agenda_settings`: read and change what decides when a practitioner is bookable."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    # -- reading -------------------------------------------------------------------------
    def load(self, practitioner_id: int) -> AgendaSettings:
        with self._sessions() as session:
            zone = _practitioner(session, practitioner_id)
            weekly: list[list[TimeRange]] = [[] for _ in range(7)]
            for period in session.scalars(
                select(WorkingPeriod).where(WorkingPeriod.practitioner_id == practitioner_id)
            ):
                if period.weekday in ALL_WEEKDAYS:
                    weekly[period.weekday].append((period.start_time, period.end_time))
            types = [
                _type_value(row)
                for row in session.scalars(
                    select(AppointmentTypeRow)
                    .where(
                        AppointmentTypeRow.practitioner_id == practitioner_id,
                        AppointmentTypeRow.active.is_(True),
                    )
                    .order_by(AppointmentTypeRow.position, AppointmentTypeRow.id)
                )
            ]
            absences = [
                AbsenceValue(a.starts_at, a.ends_at, a.reason, a.replacement, a.id)
                for a in session.scalars(
                    select(Absence)
                    .where(Absence.practitioner_id == practitioner_id)
                    .order_by(Absence.starts_at, Absence.id)
                )
            ]
            exceptions = [
                DayExceptionValue(row.day, _parse_ranges(row.periods), row.note, row.id)
                for row in session.scalars(
                    select(DayException)
                    .where(DayException.practitioner_id == practitioner_id)
                    .order_by(DayException.day)
                )
            ]
        return AgendaSettings(
            practitioner_id,
            zone.key,
            tuple(tuple(sorted(ranges)) for ranges in weekly),
            tuple(types),
            tuple(absences),
            tuple(exceptions),
        )

    # -- one change at a time --------------------------------------------------------------
    def save_template(
        self, practitioner_id: int, days: Mapping[int, Iterable[TimeRange]]
    ) -> AgendaSettings:
        """Replace the weekly hours (`{weekday: [(start, end), …]}`; missing days: off)."""
        with self._sessions.begin() as session:
            _practitioner(session, practitioner_id)
            _write_template(session, practitioner_id, days)
        return self.load(practitioner_id)

    def save_appointment_type(
        self, practitioner_id: int, value: AppointmentTypeValue
    ) -> AppointmentTypeValue:
        """Create (no id) or update (id) a motif."""
        with self._sessions.begin() as session:
            _practitioner(session, practitioner_id)
            row = _write_type(session, practitioner_id, value)
            session.flush()
            return _type_value(row)

    def remove_appointment_type(self, type_id: int) -> None:
        """Retire a motif (kept for the appointments already booked with it)."""
        with self._sessions.begin() as session:
            row = session.get(AppointmentTypeRow, type_id)
            if row is None or not row.active:
                raise NotFoundError("Ce motif de rendez-vous n'existe plus.")
            row.active = False

    def add_absence(
        self,
        practitioner_id: int,
        start: date | datetime,
        end: date | datetime,
        reason: str = "",
        replacement: str = "",
    ) -> AbsenceValue:
        """Dates are whole local days (`end` included); naive datetimes are local times."""
        with self._sessions.begin() as session:
            zone = _practitioner(session, practitioner_id)
            value = _absence_value(zone, start, end, reason, replacement)
            row = _write_absence(session, practitioner_id, value)
            session.flush()
            return AbsenceValue(row.starts_at, row.ends_at, row.reason, row.replacement, row.id)

    def remove_absence(self, absence_id: int) -> None:
        with self._sessions.begin() as session:
            row = session.get(Absence, absence_id)
            if row is None:
                raise NotFoundError("Cette absence n'existe plus.")
            session.delete(row)

    def set_day_exception(
        self,
        practitioner_id: int,
        day: date,
        periods: Sequence[TimeRange] = (),
        note: str = "",
    ) -> DayExceptionValue:
        """Hours of one date instead of the template (no periods: closed); replaces any
        exception already on that date."""
        with self._sessions.begin() as session:
            _practitioner(session, practitioner_id)
            row = _write_exception(
                session, practitioner_id, DayExceptionValue(day, tuple(periods), note)
            )
            session.flush()
            return DayExceptionValue(row.day, _parse_ranges(row.periods), row.note, row.id)

    def remove_day_exception(self, exception_id: int) -> None:
        with self._sessions.begin() as session:
            row = session.get(DayException, exception_id)
            if row is None:
                raise NotFoundError("Cette exception n'existe plus.")
            session.delete(row)

    # -- everything at once (the settings dialog) -------------------------------------------
    def save_all(
        self,
        practitioner_id: int,
        *,
        template: Mapping[int, Iterable[TimeRange]],
        appointment_types: Sequence[AppointmentTypeValue],
        absences: Sequence[AbsenceValue],
        exceptions: Sequence[DayExceptionValue],
    ) -> AgendaSettings:
        """Make the stored settings exactly these, in one transaction.

        Motifs with an id are updated, without one created, missing ones retired;
        absences and exceptions missing from the lists are deleted. The first problem
        raises a French `AgendaError` and nothing at all is written.
        """
        with self._sessions.begin() as session:
            zone = _practitioner(session, practitioner_id)
            checked_absences = [
                _absence_value(zone, a.starts_at, a.ends_at, a.reason, a.replacement, a.id)
                for a in absences
            ]
            days = [e.day for e in exceptions]
            duplicated = {d for d in days if days.count(d) > 1}
            if duplicated:
                raise AgendaError(
                    f"Exceptions : le {format_date(min(duplicated))} figure deux fois."
                )
            # The motifs are checked against the new hours once they are written too.
            _write_template(session, practitioner_id, template, check_types=False)
            kept_types = {v.id for v in appointment_types if v.id is not None}
            for row in session.scalars(
                select(AppointmentTypeRow).where(
                    AppointmentTypeRow.practitioner_id == practitioner_id,
                    AppointmentTypeRow.active.is_(True),
                )
            ):
                if row.id not in kept_types:
                    row.active = False
            session.flush()
            for position, value in enumerate(appointment_types):
                _write_type(session, practitioner_id, value, position=position)
                session.flush()  # the next motif's duplicate-name check sees this one
            kept_absences = {a.id for a in checked_absences if a.id is not None}
            session.execute(
                delete(Absence).where(
                    Absence.practitioner_id == practitioner_id,
                    Absence.id.not_in(kept_absences),
                )
            )
            for absence in checked_absences:
                _write_absence(session, practitioner_id, absence)
            session.execute(
                delete(DayException).where(
                    DayException.practitioner_id == practitioner_id,
                    DayException.day.not_in(days),
                )
            )
            session.flush()
            for exception in exceptions:
                _write_exception(session, practitioner_id, exception)
            session.flush()
            _check_agenda(session, practitioner_id, zone)
        return self.load(practitioner_id)


# -- writing inside a transaction (each checks before it writes) ---------------------------


def _practitioner(session: Session, practitioner_id: int) -> ZoneInfo:
    doctor = session.get(Practitioner, practitioner_id)
    if doctor is None:
        raise NotFoundError("Ce praticien n'existe plus.")
    return ZoneInfo(doctor.timezone or "Europe/Paris")


def _stored_template(session: Session, practitioner_id: int) -> WeeklyTemplate:
    days: dict[int, list[TimeRange]] = {}
    for period in session.scalars(
        select(WorkingPeriod).where(WorkingPeriod.practitioner_id == practitioner_id)
    ):
        days.setdefault(period.weekday, []).append((period.start_time, period.end_time))
    return WeeklyTemplate.from_days(days)


def _stored_exceptions(session: Session, practitioner_id: int) -> tuple[DomainDayException, ...]:
    return tuple(
        DomainDayException(row.day, _parse_ranges(row.periods), row.note)
        for row in session.scalars(
            select(DayException).where(DayException.practitioner_id == practitioner_id)
        )
    )


def _active_types(
    session: Session, practitioner_id: int, *, besides: int | None = None
) -> list[AppointmentTypeRow]:
    query = select(AppointmentTypeRow).where(
        AppointmentTypeRow.practitioner_id == practitioner_id,
        AppointmentTypeRow.active.is_(True),
    )
    if besides is not None:
        query = query.where(AppointmentTypeRow.id != besides)
    return list(session.scalars(query))


def _check_agenda(
    session: Session,
    practitioner_id: int,
    zone: ZoneInfo,
    *,
    template: WeeklyTemplate | None = None,
    extra_type: AppointmentType | None = None,
    besides: int | None = None,
) -> None:
    """Build the whole agenda: refuses a motif that fits no working period, twin names."""
    types = tuple(
        _type_model(_type_value(row))
        for row in _active_types(session, practitioner_id, besides=besides)
    )
    if extra_type is not None:
        types += (extra_type,)
    Agenda(
        template=template or _stored_template(session, practitioner_id),
        zone=zone,
        exceptions=_stored_exceptions(session, practitioner_id),
        appointment_types=types,
    )


def _write_template(
    session: Session,
    practitioner_id: int,
    days: Mapping[int, Iterable[TimeRange]],
    *,
    check_types: bool = True,
) -> None:
    template = _template(days)
    if check_types:
        zone = _practitioner(session, practitioner_id)
        _check_agenda(session, practitioner_id, zone, template=template)
    session.execute(delete(WorkingPeriod).where(WorkingPeriod.practitioner_id == practitioner_id))
    for weekday in range(7):
        for start, end in template.periods_on(weekday):
            session.add(
                WorkingPeriod(
                    practitioner_id=practitioner_id,
                    weekday=weekday,
                    start_time=start,
                    end_time=end,
                )
            )
    session.flush()


def _write_type(
    session: Session,
    practitioner_id: int,
    value: AppointmentTypeValue,
    *,
    position: int | None = None,
) -> AppointmentTypeRow:
    model = _type_model(value)
    zone = _practitioner(session, practitioner_id)
    row: AppointmentTypeRow | None = None
    if value.id is not None:
        row = session.get(AppointmentTypeRow, value.id)
        if row is None or row.practitioner_id != practitioner_id:
            raise NotFoundError(f"Le motif « {value.name.strip()} » n'existe plus.")
    _check_agenda(session, practitioner_id, zone, extra_type=model, besides=value.id)
    if row is None:
        row = AppointmentTypeRow(practitioner_id=practitioner_id)
        if position is None:
            last = session.scalar(
                select(func.max(AppointmentTypeRow.position)).where(
                    AppointmentTypeRow.practitioner_id == practitioner_id
                )
            )
            position = (last or 0) + 1
        session.add(row)
    row.name = model.name
    row.duration_min = value.duration_min
    row.buffer_after_min = value.buffer_after_min
    row.bookable_by_secretary = value.bookable_by_secretary
    row.urgent_only = value.urgent_only
    row.windows = format_ranges(sorted(value.windows))
    row.weekdays = ",".join(str(d) for d in sorted(value.weekdays))
    row.active = True
    if position is not None:
        row.position = position
    return row


def _absence_value(
    zone: ZoneInfo,
    start: date | datetime,
    end: date | datetime,
    reason: str,
    replacement: str,
    absence_id: int | None = None,
) -> AbsenceValue:
    local_start = to_instant(start, zone)
    local_end = to_instant(end, zone, end=True)
    DomainAbsence(local_start, local_end)  # refuses an end before the start
    return AbsenceValue(
        local_start.astimezone(UTC),
        local_end.astimezone(UTC),
        _text(reason, "Absence, motif", REASON_MAX),
        replacement.strip(),
        absence_id,
    )


def _write_absence(session: Session, practitioner_id: int, value: AbsenceValue) -> Absence:
    row: Absence | None = None
    if value.id is not None:
        row = session.get(Absence, value.id)
        if row is None or row.practitioner_id != practitioner_id:
            raise NotFoundError("Cette absence n'existe plus.")
    if row is None:
        row = Absence(practitioner_id=practitioner_id)
        session.add(row)
    row.starts_at, row.ends_at = value.starts_at, value.ends_at
    row.reason, row.replacement = value.reason, value.replacement
    return row


def _write_exception(
    session: Session, practitioner_id: int, value: DayExceptionValue
) -> DayException:
    checked = DomainDayException(value.day, tuple(value.periods), value.note)
    note = value.note.strip()
    if len(format_ranges(checked.periods)) > RANGES_MAX:
        raise AgendaError(f"Exception du {value.day:%d/%m/%Y} : trop de plages horaires.")
    row = session.scalar(
        select(DayException).where(
            DayException.practitioner_id == practitioner_id, DayException.day == value.day
        )
    )
    if row is None:
        row = DayException(practitioner_id=practitioner_id, day=value.day)
        session.add(row)
    row.periods = format_ranges(sorted(checked.periods))
    row.note = note
    return row


__all__ = [
    "WEEKDAY_NAMES",
    "AbsenceValue",
    "AgendaSettings",
    "AgendaSettingsService",
    "AppointmentTypeValue",
    "DayExceptionValue",
    "format_ranges",
    "to_instant",
]
