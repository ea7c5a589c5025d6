"""The agenda of a practitioner: weekly working hours, appointment types, absences, bookings."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column

from permanence.core.db.models.base import Base, utcnow


class WorkingPeriod(Base):
    """One period of the weekly template (weekday 0 = lundi); breaks are the gaps."""

    __tablename__ = "working_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(
        ForeignKey("practitioners.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int] = mapped_column(Integer)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)


class AppointmentType(Base):
    __tablename__ = "appointment_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(
        ForeignKey("practitioners.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    duration_min: Mapped[int] = mapped_column(Integer)
    bookable_by_secretary: Mapped[bool] = mapped_column(Boolean, default=True)
    buffer_after_min: Mapped[int] = mapped_column(Integer, default=0)
    urgent_only: Mapped[bool] = mapped_column(Boolean, default=False)
    # Daily windows ("11:45-12:15;17:30-18:00") and weekdays ("0,1,3"); empty means any.
    windows: Mapped[str] = mapped_column(String(200), default="")
    weekdays: Mapped[str] = mapped_column(String(20), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Absence(Base):
    __tablename__ = "absences"

    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(
        ForeignKey("practitioners.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(200), default="")
    replacement: Mapped[str] = mapped_column(Text, default="")


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (Index("ix_appointments_agenda", "practitioner_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id", ondelete="CASCADE"))
    caller_id: Mapped[int | None] = mapped_column(
        ForeignKey("callers.id", ondelete="SET NULL"), index=True
    )
    appointment_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointment_types.id", ondelete="SET NULL")
    )
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="SET NULL"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20), default="booked")
    notes: Mapped[str] = mapped_column(Text, default="")
    booked_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DayException(Base):
    """A dated change to the weekly template: other hours that day, or closed.

    `periods` is "14:00-17:00;18:00-19:00"; empty means the practitioner does not work.
    """

    __tablename__ = "day_exceptions"
    __table_args__ = (Index("ix_day_exceptions_day", "practitioner_id", "day", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    periods: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class WaitlistEntry(Base):
    """A caller waiting for an earlier slot (liste d'attente), with their constraints."""

    __tablename__ = "waitlist"
    __table_args__ = (Index("ix_waitlist_open", "practitioner_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id", ondelete="CASCADE"))
    caller_id: Mapped[int | None] = mapped_column(ForeignKey("callers.id", ondelete="SET NULL"))
    appointment_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointment_types.id", ondelete="SET NULL")
    )
    # The appointment they already hold, if any (they want an earlier one).
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointments.id", ondelete="SET NULL")
    )
    preferences: Mapped[str] = mapped_column(Text, default="")  # as typed: "pas le lundi"
    not_before: Mapped[datetime | None]
    not_after: Mapped[datetime | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="en_attente")  # servi, retire
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
