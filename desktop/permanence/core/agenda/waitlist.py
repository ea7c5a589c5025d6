"""The waiting list (liste d'attente): callers who want an earlier slot, with their constraints.

When an appointment is cancelled, `candidates_for` says who can take the freed time: the
motif fits, the dates suit (`not_before` / `not_after`), the typed preferences accept the
start ("pas le lundi", "le matin"), and anyone already holding an appointment only wants
an earlier one. Oldest entries first: first come, first served.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from permanence.core.agenda.errors import AgendaError
from permanence.core.agenda.parsing import parse_preferences
from permanence.core.agenda.store import caller_labels
from permanence.core.db.models import Appointment, Practitioner, WaitlistEntry
from permanence.core.db.models import AppointmentType as AppointmentTypeRow
from permanence.core.errors import NotFoundError, ValidationError

WAITING, SERVED, WITHDRAWN = "en_attente", "servi", "retire"


@dataclass(frozen=True, slots=True)
class WaitlistInfo:
    id: int
    practitioner_id: int
    caller_id: int | None
    caller_name: str
    caller_phones: tuple[str, ...]
    appointment_type_id: int | None
    type_name: str
    duration_min: int | None  # the motif's length; None: any
    appointment_id: int | None
    current_start: datetime | None  # the appointment they already hold, if any
    preferences: str
    not_before: datetime | None
    not_after: datetime | None
    notes: str
    status: str
    created_by: str
    created_at: datetime

    @property
    def label(self) -> str:
        """ "DUPONT Marie — 06 12 34 56 78" for a list."""
        name = self.caller_name or "Appelant inconnu"
        return " — ".join([name, *self.caller_phones[:2]])


class WaitlistService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def add(
        self,
        practitioner_id: int,
        *,
        caller_id: int | None,
        appointment_type_id: int | None = None,
        appointment_id: int | None = None,
        preferences: str = "",
        not_before: datetime | None = None,
        not_after: datetime | None = None,
        notes: str = "",
        created_by: str = "",
    ) -> WaitlistInfo:
        """Put a caller on the list; the preferences must be readable, nothing saved otherwise."""
        if caller_id is None and not notes.strip():
            raise ValidationError(
                "Liste d'attente : indiquez l'appelant, ou au moins son nom et son numéro "
                "dans les notes."
            )
        if not_before is not None and not_after is not None and not_after <= not_before:
            raise ValidationError("Liste d'attente : la date « pas après » précède « pas avant ».")
        try:
            parse_preferences(preferences, today=datetime.now(UTC).date())
        except AgendaError as exc:
            raise ValidationError(str(exc)) from exc
        with self._sessions.begin() as session:
            if session.get(Practitioner, practitioner_id) is None:
                raise NotFoundError("Ce praticien n'existe plus.")
            row = WaitlistEntry(
                practitioner_id=practitioner_id,
                caller_id=caller_id,
                appointment_type_id=appointment_type_id,
                appointment_id=appointment_id,
                preferences=preferences.strip(),
                not_before=not_before,
                not_after=not_after,
                notes=notes.strip(),
                created_by=created_by,
            )
            session.add(row)
            session.flush()
            return _infos(session, [row])[0]

    def open(self, practitioner_id: int) -> list[WaitlistInfo]:
        """Callers still waiting for this practitioner, oldest first."""
        query = (
            select(WaitlistEntry)
            .where(
                WaitlistEntry.practitioner_id == practitioner_id,
                WaitlistEntry.status == WAITING,
            )
            .order_by(WaitlistEntry.created_at, WaitlistEntry.id)
        )
        with self._sessions() as session:
            return _infos(session, list(session.scalars(query)))

    def candidates_for(
        self,
        practitioner_id: int,
        start: datetime,
        end: datetime,
        appointment_type_id: int | None = None,
    ) -> list[WaitlistInfo]:
        """Waiting callers who can take `[start, end)`; same motif first, then oldest first."""
        with self._sessions() as session:
            doctor = session.get(Practitioner, practitioner_id)
            if doctor is None:
                raise NotFoundError("Ce praticien n'existe plus.")
            zone = ZoneInfo(doctor.timezone)
        found = [e for e in self.open(practitioner_id) if _accepts(e, start, end, zone)]
        return sorted(found, key=lambda e: e.appointment_type_id != appointment_type_id)

    def serve(self, entry_id: int) -> WaitlistInfo:
        """The caller was offered the slot and took it: off the list."""
        return self._set_status(entry_id, SERVED)

    def withdraw(self, entry_id: int) -> WaitlistInfo:
        """The caller no longer waits (found elsewhere, changed their mind)."""
        return self._set_status(entry_id, WITHDRAWN)

    def _set_status(self, entry_id: int, status: str) -> WaitlistInfo:
        with self._sessions.begin() as session:
            row = session.get(WaitlistEntry, entry_id)
            if row is None:
                raise NotFoundError("Cette inscription sur la liste d'attente n'existe plus.")
            if row.status != WAITING:
                raise ValidationError("Cette personne n'est plus sur la liste d'attente.")
            row.status = status
            session.flush()
            return _infos(session, [row])[0]


def _accepts(entry: WaitlistInfo, start: datetime, end: datetime, zone: ZoneInfo) -> bool:
    if entry.duration_min is not None and (end - start).total_seconds() < entry.duration_min * 60:
        return False
    if entry.not_before is not None and start < entry.not_before:
        return False
    if entry.not_after is not None and start > entry.not_after:
        return False
    if entry.current_start is not None and entry.current_start <= start:
        return False  # they already hold something sooner
    if entry.preferences:
        try:
            wishes = parse_preferences(entry.preferences, today=start.astimezone(zone).date())
        except AgendaError:
            return True  # unreadable wishes: let the secretary ask
        return wishes.accepts(start, zone)
    return True


def _infos(session: Session, rows: list[WaitlistEntry]) -> list[WaitlistInfo]:
    callers = caller_labels(session, {r.caller_id for r in rows if r.caller_id is not None})
    type_ids = {r.appointment_type_id for r in rows if r.appointment_type_id is not None}
    types = {
        row.id: row
        for row in session.scalars(
            select(AppointmentTypeRow).where(AppointmentTypeRow.id.in_(type_ids))
        )
    }
    held_ids = {r.appointment_id for r in rows if r.appointment_id is not None}
    held = dict(
        session.execute(
            select(Appointment.id, Appointment.starts_at).where(
                Appointment.id.in_(held_ids), Appointment.status == "booked"
            )
        ).all()
    )
    result = []
    for row in rows:
        name, phones = callers.get(row.caller_id or -1, ("", ()))
        kind = types.get(row.appointment_type_id or -1)
        result.append(
            WaitlistInfo(
                id=row.id,
                practitioner_id=row.practitioner_id,
                caller_id=row.caller_id,
                caller_name=name,
                caller_phones=phones,
                appointment_type_id=row.appointment_type_id,
                type_name=kind.name if kind else "",
                duration_min=kind.duration_min if kind else None,
                appointment_id=row.appointment_id,
                current_start=held.get(row.appointment_id or -1),
                preferences=row.preferences,
                not_before=row.not_before,
                not_after=row.not_after,
                notes=row.notes,
                status=row.status,
                created_by=row.created_by,
                created_at=row.created_at,
            )
        )
    return result
