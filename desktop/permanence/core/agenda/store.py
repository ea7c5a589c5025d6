"""Reading and writing a practitioner's agenda in the workspace database.

The pure slot algorithms live beside this module; this one only moves rows to values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from permanence.core.db.models import Absence


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
