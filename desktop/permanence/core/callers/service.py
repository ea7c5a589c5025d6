"""Finding and recording callers. Numbers are always normalised before they are compared."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from permanence.core.callers.values import CALLER_KINDS, CallerInfo
from permanence.core.db.models import Caller, CallerPhone, Practice, caller_practices
from permanence.core.errors import NotFoundError, ValidationError
from permanence.core.phone import parse_phone
from permanence.core.text import fold


def search_key(last_name: str, first_name: str) -> str:
    return fold(f"{last_name} {first_name}")


def caller_info(row: Caller, practice_ids: Iterable[int] = ()) -> CallerInfo:
    return CallerInfo(
        id=row.id,
        last_name=row.last_name,
        first_name=row.first_name,
        kind=row.kind,
        notes=row.notes,
        phones=tuple(p.e164 for p in row.phones),
        practice_ids=tuple(sorted(practice_ids)),
    )


class CallersService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def create(
        self,
        last_name: str,
        first_name: str = "",
        *,
        kind: str = "patient",
        phones: Iterable[str] = (),
        notes: str = "",
        practice_ids: Iterable[int] = (),
    ) -> CallerInfo:
        if not last_name.strip():
            raise ValidationError("Le nom de l'appelant est obligatoire.")
        if kind not in CALLER_KINDS:
            raise ValidationError(f"Type d'appelant inconnu : « {kind} ».")
        with self._sessions.begin() as session:
            row = Caller(
                last_name=last_name.strip(),
                first_name=first_name.strip(),
                kind=kind,
                notes=notes.strip(),
                search_key=search_key(last_name, first_name),
            )
            for raw in phones:
                number = parse_phone(raw)
                if number.key:
                    row.phones.append(CallerPhone(e164=number.key, raw=raw.strip()))
            session.add(row)
            session.flush()
            ids = list(practice_ids)
            if ids:
                session.execute(
                    caller_practices.insert(),
                    [{"caller_id": row.id, "practice_id": i} for i in ids],
                )
            return caller_info(row, ids)

    def get(self, caller_id: int) -> CallerInfo:
        with self._sessions() as session:
            row = session.get(Caller, caller_id, options=[selectinload(Caller.phones)])
            if row is None:
                raise NotFoundError(f"Appelant introuvable (n° {caller_id}).")
            return caller_info(row, _practice_ids(session, [row.id]).get(row.id, ()))

    def find_by_number(self, raw: str) -> list[CallerInfo]:
        """Callers having this number, however it was written ("06 12…", "+33 6…", "0033…")."""
        key = parse_phone(raw).key
        if not key:
            return []
        query = (
            select(Caller)
            .join(CallerPhone)
            .where(CallerPhone.e164 == key)
            .options(selectinload(Caller.phones))
            .order_by(Caller.last_name, Caller.first_name)
        )
        with self._sessions() as session:
            rows = list(session.scalars(query).unique())
            practices = _practice_ids(session, [r.id for r in rows])
            return [caller_info(r, practices.get(r.id, ())) for r in rows]

    def count(self) -> int:
        with self._sessions() as session:
            return session.scalar(select(func.count()).select_from(Caller)) or 0


def _practice_ids(session: Session, caller_ids: list[int]) -> dict[int, list[int]]:
    if not caller_ids:
        return {}
    rows = session.execute(
        select(caller_practices.c.caller_id, caller_practices.c.practice_id)
        .join(Practice, Practice.id == caller_practices.c.practice_id)
        .where(caller_practices.c.caller_id.in_(caller_ids))
    )
    result: dict[int, list[int]] = {}
    for caller_id, practice_id in rows:
        result.setdefault(caller_id, []).append(practice_id)
    return result
