"""Reading practices and practitioners; each call is one short session."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from permanence.core.db.models import Practice, PracticeNumber, Practitioner
from permanence.core.errors import NotFoundError
from permanence.core.phone import normalise
from permanence.core.practices.values import PracticeInfo, PractitionerInfo


def practitioner_info(row: Practitioner) -> PractitionerInfo:
    return PractitionerInfo(
        id=row.id,
        practice_id=row.practice_id,
        key=row.key,
        title=row.title,
        first_name=row.first_name,
        last_name=row.last_name,
        kind=row.kind,
        timezone=row.timezone,
    )


def practice_info(row: Practice) -> PracticeInfo:
    return PracticeInfo(
        id=row.id,
        key=row.key,
        name=row.name,
        kind=row.kind,
        greeting=row.greeting,
        address=row.address,
        email=row.email,
        numbers=tuple(n.e164 for n in row.numbers),
        practitioners=tuple(practitioner_info(p) for p in row.practitioners if p.active),
    )


def _no_scope() -> int | None:
    return None


class PracticesService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        scope: Callable[[], int | None] = _no_scope,
    ) -> None:
        self._sessions = sessions
        # A practitioner account sees only its own practitioner (and that practice).
        self._scope = scope

    def list(self) -> list[PracticeInfo]:
        """Active practices in the secretary's order, with their practitioners; for a
        practitioner account, only its own practice with only itself in it."""
        practices = self._all()
        only = self._scope()
        if only is None:
            return practices
        scoped: builtins.list[PracticeInfo] = []
        for practice in practices:
            mine = tuple(p for p in practice.practitioners if p.id == only)
            if mine:
                scoped.append(replace(practice, practitioners=mine))
        return scoped

    def _all(self) -> builtins.list[PracticeInfo]:
        query = (
            select(Practice)
            .where(Practice.active.is_(True))
            .order_by(Practice.position, Practice.name)
            .options(selectinload(Practice.numbers), selectinload(Practice.practitioners))
        )
        with self._sessions() as session:
            return [practice_info(row) for row in session.scalars(query)]

    def get(self, practice_id: int) -> PracticeInfo:
        with self._sessions() as session:
            row = session.get(Practice, practice_id)
            if row is None:
                raise NotFoundError(f"Cabinet introuvable (n° {practice_id}).")
            return practice_info(row)

    def by_dialed_number(self, number: str) -> PracticeInfo | None:
        """The practice whose forwarded number the caller dialed, if any."""
        key = normalise(number)
        if not key:
            return None
        query = select(PracticeNumber.practice_id).where(PracticeNumber.e164 == key).limit(1)
        with self._sessions() as session:
            practice_id = session.scalar(query)
        return self.get(practice_id) if practice_id is not None else None

    def practitioner(self, practitioner_id: int) -> PractitionerInfo:
        with self._sessions() as session:
            row = session.get(Practitioner, practitioner_id)
            if row is None:
                raise NotFoundError(f"Praticien introuvable (n° {practitioner_id}).")
            return practitioner_info(row)
