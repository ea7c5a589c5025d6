"""Reading and writing a practitioner's agenda in the workspace database.

The pure slot algorithms live beside this module; this one only moves rows to values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session, sessionmaker

from permanence.core.agenda.model import (
    ALL_WEEKDAYS,
    Agenda,
    AppointmentType,
    Booking,
    WeeklyPeriod,
    WeeklyTemplate,
)
from permanence.core.agenda.model import Absence as DomainAbsence
from permanence.core.agenda.model import DayException as DomainDayException
from permanence.core.db.models import (
    Absence,
    Appointment,
    BusyTime,
    CalendarSource,
    Caller,
    CallerPhone,
    DayException,
    Practitioner,
    WorkingPeriod,
)
from permanence.core.db.models import AppointmentType as AppointmentTypeRow
from permanence.core.errors import NotFoundError, ValidationError
from permanence.core.phone import format_for_display


@dataclass(frozen=True, slots=True)
class AbsenceInfo:
    id: int
    practitioner_id: int
    starts_at: datetime
    ends_at: datetime
    reason: str
    replacement: str


class AgendaStore:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def absence_at(self, practitioner_id: int, moment: datetime) -> AbsenceInfo | None:
        """The absence covering `moment`, if the practitioner is away then."""
        query = (
            select(Absence)
            .where(
                Absence.practitioner_id == practitioner_id,
                Absence.starts_at <= moment,
                Absence.ends_at > moment,
            )
            .order_by(Absence.starts_at)
            .limit(1)
        )
        with self._sessions() as session:
            row = session.scalars(query).first()
            return _absence(row) if row else None

    def absences(self, practitioner_id: int, since: datetime) -> list[AbsenceInfo]:
        """Absences not yet over at `since`, soonest first."""
        query = (
            select(Absence)
            .where(Absence.practitioner_id == practitioner_id, Absence.ends_at > since)
            .order_by(Absence.starts_at)
        )
        with self._sessions() as session:
            return [_absence(row) for row in session.scalars(query)]


def _absence(row: Absence) -> AbsenceInfo:
    return AbsenceInfo(
        row.id, row.practitioner_id, row.starts_at, row.ends_at, row.reason, row.replacement
    )


@dataclass(frozen=True, slots=True)
class AppointmentTypeInfo:
    id: int
    practitioner_id: int
    name: str
    duration_min: int
    bookable_by_secretary: bool
    urgent_only: bool
    model: AppointmentType  # the pure-agenda form used by the slot proposals


@dataclass(frozen=True, slots=True)
class AppointmentInfo:
    id: int
    practitioner_id: int
    caller_id: int | None
    appointment_type_id: int | None
    call_id: int | None
    starts_at: datetime
    ends_at: datetime
    status: str
    notes: str
    booked_by: str
    # Filled by `AgendaBookings.appointments` (for the agenda view); empty elsewhere.
    caller_name: str = ""
    caller_phones: tuple[str, ...] = ()
    type_name: str = ""


def _type_model(row: AppointmentTypeRow) -> AppointmentType:
    weekdays = frozenset(int(d) for d in row.weekdays.split(",") if d.strip()) or ALL_WEEKDAYS
    windows = []
    for text in filter(None, (w.strip() for w in row.windows.split(";"))):
        first, _, last = text.partition("-")
        windows.append(WeeklyPeriod(time.fromisoformat(first), time.fromisoformat(last), weekdays))
    return AppointmentType(
        name=row.name,
        duration=timedelta(minutes=row.duration_min),
        bookable_by_secretary=row.bookable_by_secretary,
        windows=tuple(windows),
        buffer_after=timedelta(minutes=row.buffer_after_min),
        urgent_only=row.urgent_only,
    )


def _type_info(row: AppointmentTypeRow) -> AppointmentTypeInfo:
    return AppointmentTypeInfo(
        row.id,
        row.practitioner_id,
        row.name,
        row.duration_min,
        row.bookable_by_secretary,
        row.urgent_only,
        _type_model(row),
    )


def _appointment(row: Appointment) -> AppointmentInfo:
    return AppointmentInfo(
        row.id,
        row.practitioner_id,
        row.caller_id,
        row.appointment_type_id,
        row.call_id,
        row.starts_at,
        row.ends_at,
        row.status,
        row.notes,
        row.booked_by,
    )


class AgendaBookings:
    """The agenda of a practitioner as the slot proposals need it, and booking into it."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        on_change: Callable[[int, int, str], None] | None = None,
    ) -> None:
        self._sessions = sessions
        # Told (appointment id, practitioner id, "create" | "update" | "delete") after each
        # committed change, so the practitioner's CalDAV calendar gets it.
        self._on_change = on_change

    def _changed(self, info: AppointmentInfo, action: str) -> AppointmentInfo:
        if self._on_change is not None:
            self._on_change(info.id, info.practitioner_id, action)
        return info

    def appointment_types(self, practitioner_id: int) -> list[AppointmentTypeInfo]:
        query = (
            select(AppointmentTypeRow)
            .where(
                AppointmentTypeRow.practitioner_id == practitioner_id,
                AppointmentTypeRow.active.is_(True),
            )
            .order_by(AppointmentTypeRow.position, AppointmentTypeRow.id)
        )
        with self._sessions() as session:
            return [_type_info(row) for row in session.scalars(query)]

    def agenda(self, practitioner_id: int, *, since: datetime, until: datetime) -> Agenda:
        """Weekly template, absences, appointment types, bookings and imported busy time."""
        with self._sessions() as session:
            doctor = session.get(Practitioner, practitioner_id)
            if doctor is None:
                raise NotFoundError("Ce praticien n'existe plus.")
            days: dict[int, list[tuple[time, time]]] = {}
            for period in session.scalars(
                select(WorkingPeriod).where(WorkingPeriod.practitioner_id == practitioner_id)
            ):
                days.setdefault(period.weekday, []).append((period.start_time, period.end_time))
            types = {
                row.id: row
                for row in session.scalars(
                    select(AppointmentTypeRow).where(
                        AppointmentTypeRow.practitioner_id == practitioner_id
                    )
                )
            }
            absences = [
                DomainAbsence(a.starts_at, a.ends_at, a.reason, a.replacement)
                for a in session.scalars(
                    select(Absence).where(
                        Absence.practitioner_id == practitioner_id,
                        Absence.ends_at > since,
                        Absence.starts_at < until,
                    )
                )
            ]
            bookings = []
            for row in session.scalars(_overlapping(practitioner_id, since, until)):
                kind = types.get(row.appointment_type_id or -1)
                buffer = timedelta(minutes=kind.buffer_after_min) if kind else timedelta(0)
                bookings.append(Booking(row.starts_at, row.ends_at, buffer))
            busy = session.execute(
                select(BusyTime.starts_at, BusyTime.ends_at)
                .join(CalendarSource, CalendarSource.id == BusyTime.source_id)
                .where(
                    BusyTime.practitioner_id == practitioner_id,
                    CalendarSource.enabled.is_(True),
                    BusyTime.starts_at < until,
                    BusyTime.ends_at > since,
                )
                .order_by(BusyTime.starts_at)
            ).all()
            zone = ZoneInfo(doctor.timezone)
            exceptions = [
                _exception(row)
                for row in session.scalars(
                    select(DayException).where(
                        DayException.practitioner_id == practitioner_id,
                        DayException.day >= since.astimezone(zone).date(),
                        DayException.day <= until.astimezone(zone).date(),
                    )
                )
            ]
        return Agenda(
            template=WeeklyTemplate.from_days(days),
            zone=zone,
            exceptions=tuple(exceptions),
            absences=tuple(absences),
            appointment_types=tuple(_type_model(t) for t in types.values() if t.active),
            bookings=tuple(bookings),
            busy=tuple((start, end) for start, end in busy),  # imported calendars
        )

    def book(
        self,
        practitioner_id: int,
        appointment_type_id: int,
        starts_at: datetime,
        ends_at: datetime,
        *,
        caller_id: int | None = None,
        call_id: int | None = None,
        notes: str = "",
        booked_by: str = "",
    ) -> AppointmentInfo:
        """Book in one transaction that refuses a double booking, even from two windows."""
        if ends_at <= starts_at:
            raise ValidationError("La fin du rendez-vous doit suivre son début.")
        with self._sessions.begin() as session:
            # Take the write lock first (SQLite: the database; PostgreSQL: this row), so two
            # windows booking at once are serialised and the second sees the first booking.
            locked = session.execute(
                update(Practitioner)
                .where(Practitioner.id == practitioner_id)
                .values(position=Practitioner.position)
            )
            if locked.rowcount == 0:  # type: ignore[attr-defined]
                raise NotFoundError("Ce praticien n'existe plus : rendez-vous non pris.")
            clash = session.scalars(_overlapping(practitioner_id, starts_at, ends_at)).first()
            if clash is not None:
                raise ValidationError(
                    "Ce créneau vient d'être pris : proposez-en un autre à l'appelant."
                )
            row = Appointment(
                practitioner_id=practitioner_id,
                appointment_type_id=appointment_type_id,
                caller_id=caller_id,
                call_id=call_id,
                starts_at=starts_at,
                ends_at=ends_at,
                notes=notes,
                booked_by=booked_by,
            )
            session.add(row)
            session.flush()
            booked = _appointment(row)
        return self._changed(booked, "create")

    def appointments(
        self, practitioner_id: int, since: datetime, until: datetime
    ) -> list[AppointmentInfo]:
        """Booked appointments overlapping `[since, until)`, with caller and motif names."""
        with self._sessions() as session:
            rows = list(session.scalars(_overlapping(practitioner_id, since, until)))
            return _described(session, rows)

    def appointment(self, appointment_id: int) -> AppointmentInfo:
        with self._sessions() as session:
            row = session.get(Appointment, appointment_id)
            if row is None:
                raise NotFoundError("Ce rendez-vous n'existe plus.")
            return _described(session, [row])[0]

    def cancel(self, appointment_id: int, *, by: str = "") -> AppointmentInfo:
        """Cancel a booked appointment: its time is free again. Says who and when in the notes."""
        with self._sessions.begin() as session:
            row = session.get(Appointment, appointment_id)
            if row is None:
                raise NotFoundError("Ce rendez-vous n'existe plus.")
            if row.status != "booked":
                raise ValidationError("Ce rendez-vous est déjà annulé.")
            row.status = "cancelled"
            row.notes = _trace(row.notes, "Annulé", by)
            session.flush()
            cancelled = _described(session, [row])[0]
        return self._changed(cancelled, "delete")

    def move(self, appointment_id: int, new_start: datetime, *, by: str = "") -> AppointmentInfo:
        """Move an appointment (same length) in one transaction that refuses any overlap."""
        if new_start.tzinfo is None:
            raise ValidationError("L'heure du déplacement doit porter son fuseau.")
        with self._sessions.begin() as session:
            row = session.get(Appointment, appointment_id)
            if row is None:
                raise NotFoundError("Ce rendez-vous n'existe plus.")
            if row.status != "booked":
                raise ValidationError("Un rendez-vous annulé ne peut pas être déplacé.")
            # Same write lock as `book`: two windows moving or booking are serialised.
            session.execute(
                update(Practitioner)
                .where(Practitioner.id == row.practitioner_id)
                .values(position=Practitioner.position)
            )
            zone_name = session.scalar(
                select(Practitioner.timezone).where(Practitioner.id == row.practitioner_id)
            )
            new_end = new_start + (row.ends_at - row.starts_at)
            clash = session.scalars(
                _overlapping(row.practitioner_id, new_start, new_end).where(
                    Appointment.id != row.id
                )
            ).first()
            if clash is not None:
                zone = ZoneInfo(zone_name or "Europe/Paris")
                raise ValidationError(
                    "Déplacement impossible : ce créneau chevauche le rendez-vous de "
                    f"{_hour(clash.starts_at, zone)} à {_hour(clash.ends_at, zone)}. "
                    "Rien n'a été modifié."
                )
            row.starts_at, row.ends_at = new_start.astimezone(UTC), new_end.astimezone(UTC)
            row.notes = _trace(row.notes, "Déplacé", by)
            session.flush()
            moved = _described(session, [row])[0]
        return self._changed(moved, "update")


def _overlapping(practitioner_id: int, start: datetime, end: datetime) -> Select[Appointment]:
    return (
        select(Appointment)
        .where(
            Appointment.practitioner_id == practitioner_id,
            Appointment.status == "booked",
            Appointment.starts_at < end,
            Appointment.ends_at > start,
        )
        .order_by(Appointment.starts_at)
    )


def _hour(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local.hour} h" if local.minute == 0 else f"{local.hour} h {local.minute:02d}"


def _trace(notes: str, what: str, by: str) -> str:
    stamp = datetime.now(UTC).strftime("%d/%m/%Y %H:%M UTC")
    line = f"{what} le {stamp}" + (f" par {by}" if by else "")
    return f"{notes}\n{line}" if notes.strip() else line


def _exception(row: DayException) -> DomainDayException:
    periods = []
    for text in filter(None, (p.strip() for p in row.periods.split(";"))):
        first, _, last = text.partition("-")
        periods.append((time.fromisoformat(first.strip()), time.fromisoformat(last.strip())))
    return DomainDayException(row.day, tuple(periods), row.note)


def caller_labels(session: Session, caller_ids: set[int]) -> dict[int, tuple[str, tuple[str, ...]]]:
    """Display name ("DUPONT Marie") and numbers ("06 12 34 56 78") of some callers."""
    if not caller_ids:
        return {}
    names = {
        row.id: " ".join(p for p in (row.last_name.upper(), row.first_name) if p)
        for row in session.scalars(select(Caller).where(Caller.id.in_(caller_ids)))
    }
    phones: dict[int, list[str]] = {}
    for phone in session.scalars(
        select(CallerPhone).where(CallerPhone.caller_id.in_(caller_ids)).order_by(CallerPhone.id)
    ):
        shown = format_for_display(phone.e164) if phone.e164.startswith("+") else phone.raw
        phones.setdefault(phone.caller_id, []).append(shown)
    return {cid: (name, tuple(phones.get(cid, []))) for cid, name in names.items()}


def _described(session: Session, rows: list[Appointment]) -> list[AppointmentInfo]:
    callers = caller_labels(session, {r.caller_id for r in rows if r.caller_id is not None})
    type_ids = {r.appointment_type_id for r in rows if r.appointment_type_id is not None}
    types = (
        dict(
            session.execute(
                select(AppointmentTypeRow.id, AppointmentTypeRow.name).where(
                    AppointmentTypeRow.id.in_(type_ids)
                )
            ).all()
        )
        if type_ids
        else {}
    )
    result = []
    for row in rows:
        name, phones = callers.get(row.caller_id or -1, ("", ()))
        result.append(
            replace(
                _appointment(row),
                caller_name=name,
                caller_phones=phones,
                type_name=types.get(row.appointment_type_id or -1, ""),
            )
        )
    return result
