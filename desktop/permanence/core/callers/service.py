"""Finding and recording callers. Numbers are always normalised before they are compared."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import and_, func, inspect, or_, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from permanence.core.callers.search import CallerIndex, PhoneDirectory
from permanence.core.callers.values import CALLER_KINDS, CallerInfo, CallerMatch
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


#: Digits typed before the number field looks up numbers starting with them.
PREFIX_MIN_DIGITS = 4


class CallersService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self.index = CallerIndex(self._index_rows)
        self.phones = PhoneDirectory(self._phone_rows)
        self._phones_indexed: bool | None = None  # known at the first read

    def warm_up(self) -> None:
        """Build the in-memory search structures now (about 2 s for 100 000 callers on a
        modest laptop; instant for a few thousand), so that neither the first name search
        waits for the index nor number lookups scan the numbers table. Meant for a worker
        thread right after the workspace opens."""
        self.index.build()
        with self._sessions() as session:
            if not self._by_index(session):
                self.phones.load()

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
        _check_name(last_name)
        _check_kind(kind)
        with self._sessions.begin() as session:
            row = Caller(
                last_name=last_name.strip(),
                first_name=first_name.strip(),
                kind=kind,
                notes=notes.strip(),
                search_key=search_key(last_name, first_name),
            )
            _add_phones(row, phones)
            session.add(row)
            session.flush()
            ids = list(dict.fromkeys(practice_ids))
            if ids:
                session.execute(
                    caller_practices.insert(),
                    [{"caller_id": row.id, "practice_id": i} for i in ids],
                )
            info = caller_info(row, ids)
        self.index.put(info.id, row.search_key)
        return info

    def update(
        self,
        caller_id: int,
        *,
        last_name: str | None = None,
        first_name: str | None = None,
        kind: str | None = None,
        notes: str | None = None,
        add_phones: Iterable[str] = (),
        add_practice_ids: Iterable[int] = (),
    ) -> CallerInfo:
        """Correct names, kind or notes; add numbers (an existing one is not doubled) and
        practices. The search index follows at once."""
        if last_name is not None:
            _check_name(last_name)
        if kind is not None:
            _check_kind(kind)
        with self._sessions.begin() as session:
            row = session.get(Caller, caller_id, options=[selectinload(Caller.phones)])
            if row is None:
                raise NotFoundError(f"Appelant introuvable (n° {caller_id}).")
            if last_name is not None:
                row.last_name = last_name.strip()
            if first_name is not None:
                row.first_name = first_name.strip()
            if kind is not None:
                row.kind = kind
            if notes is not None:
                row.notes = notes.strip()
            row.search_key = search_key(row.last_name, row.first_name)
            _add_phones(row, add_phones)
            known = set(_practice_ids(session, [row.id]).get(row.id, ()))
            new = [i for i in dict.fromkeys(add_practice_ids) if i not in known]
            if new:
                session.execute(
                    caller_practices.insert(),
                    [{"caller_id": row.id, "practice_id": i} for i in new],
                )
            session.flush()
            info = caller_info(row, [*known, *new])
            key = row.search_key
        self.index.put(caller_id, key)
        return info

    def get(self, caller_id: int) -> CallerInfo:
        with self._sessions() as session:
            found = self._infos(session, [caller_id])
        if not found:
            raise NotFoundError(f"Appelant introuvable (n° {caller_id}).")
        return found[0]

    def find_by_number(self, raw: str) -> list[CallerInfo]:
        """Callers having this number, however it was written ("06 12…", "+33 6…", "0033…")."""
        key = parse_phone(raw).key
        if not key:
            return []
        query = (
            select(Caller.id)
            .join(CallerPhone)
            .where(CallerPhone.e164 == key)
            .order_by(Caller.last_name, Caller.first_name, Caller.id)
        )
        with self._sessions() as session:
            return self._infos(session, list(dict.fromkeys(session.scalars(query))))

    def count(self) -> int:
        with self._sessions() as session:
            return session.scalar(select(func.count()).select_from(Caller)) or 0

    def many(self, caller_ids: Iterable[int]) -> list[CallerInfo]:
        """Callers in the order asked; ids that no longer exist are left out."""
        with self._sessions() as session:
            return self._infos(session, list(caller_ids))

    # -- lookup as she types ---------------------------------------------------------------
    def lookup_number(self, partial: str, limit: int = 10) -> list[CallerInfo]:
        """Callers whose number is the one typed (first), then whose number starts with the
        digits typed so far, once there are at least 4 ("06 12", "+33 6 12", "0033 6 12").

        Uses the index on the stored key: one equality or one range scan per form.
        """
        if limit <= 0:
            return []
        number = parse_phone(partial)
        digits = sum(ch.isdigit() for ch in partial)
        with self._sessions() as session:
            ids: list[int] = []
            if number.e164:
                ids += session.scalars(
                    select(CallerPhone.caller_id)
                    .where(CallerPhone.e164 == number.e164)
                    .order_by(CallerPhone.caller_id)
                    .limit(limit)
                )
            if digits >= PREFIX_MIN_DIGITS and not number.valid:  # a valid number is whole
                ranges = [
                    and_(
                        CallerPhone.e164 >= prefix,
                        CallerPhone.e164 < _after_prefix(prefix),
                        CallerPhone.e164.startswith(prefix, autoescape=True),
                    )
                    for prefix in number_prefixes(partial)
                ]
                ids += session.scalars(
                    select(CallerPhone.caller_id)
                    .where(or_(*ranges))
                    .order_by(CallerPhone.e164, CallerPhone.caller_id)
                    .limit(limit + len(ids))
                )
            return self._infos(session, list(dict.fromkeys(ids))[:limit])

    def search(self, text: str, limit: int = 10) -> list[CallerMatch]:
        """Callers by name, best first: accents and case ignored, typos forgiven, words in
        any order. The first search builds the in-memory index (about a second for
        100 000 callers); later ones take milliseconds."""
        if not text.strip() or limit <= 0:
            return []
        if self.index.built:
            with self._sessions() as session:
                self.index.refresh(session.scalar(select(func.max(Caller.id))) or 0)
        found = self.index.search(text, limit)
        with self._sessions() as session:
            callers = {c.id: c for c in self._infos(session, [cid for cid, _ in found])}
        return [CallerMatch(callers[cid], score) for cid, score in found if cid in callers]

    # -- reading callers quickly ----------------------------------------------------------
    def _infos(self, session: Session, caller_ids: list[int]) -> list[CallerInfo]:
        """Callers in the order given, in three light queries and no ORM objects (this is
        the path of every keystroke)."""
        if not caller_ids:
            return []
        rows = session.execute(
            select(Caller.id, Caller.last_name, Caller.first_name, Caller.kind, Caller.notes).where(
                Caller.id.in_(caller_ids)
            )
        )
        found = {row[0]: row for row in rows}
        phones = self._numbers(session, list(found))
        practices = _practice_ids(session, list(found))
        return [
            CallerInfo(
                id=cid,
                last_name=found[cid][1],
                first_name=found[cid][2],
                kind=found[cid][3],
                notes=found[cid][4],
                phones=tuple(phones.get(cid, ())),
                practice_ids=tuple(sorted(practices.get(cid, ()))),
            )
            for cid in caller_ids
            if cid in found
        ]

    def _numbers(self, session: Session, caller_ids: list[int]) -> dict[int, list[str]]:
        if not caller_ids:
            return {}
        if not self._by_index(session) and self.phones.loaded:
            return self.phones.numbers(caller_ids)
        numbers: dict[int, list[str]] = {}
        rows = session.execute(
            select(CallerPhone.caller_id, CallerPhone.e164)
            .where(CallerPhone.caller_id.in_(caller_ids))
            .order_by(CallerPhone.id)
        )
        for caller_id, e164 in rows:
            numbers.setdefault(caller_id, []).append(e164)
        return numbers

    def _by_index(self, session: Session) -> bool:
        """Whether caller_phones can be read by caller (an index on caller_id exists)."""
        if self._phones_indexed is None:
            indexes = inspect(session.connection()).get_indexes(CallerPhone.__tablename__)
            self._phones_indexed = any(
                index["column_names"][:1] == ["caller_id"] for index in indexes
            )
        return self._phones_indexed

    def _phone_rows(self, after_id: int) -> Iterator[tuple[int, int, str]]:
        with self._sessions() as session:
            rows = session.execute(
                select(CallerPhone.id, CallerPhone.caller_id, CallerPhone.e164)
                .where(CallerPhone.id > after_id)
                .order_by(CallerPhone.id)
            )
            yield from rows

    def _index_rows(self, after_id: int) -> Iterator[tuple[int, str]]:
        with self._sessions() as session:
            rows = session.execute(
                select(Caller.id, Caller.search_key, Caller.last_name, Caller.first_name)
                .where(Caller.id > after_id)
                .order_by(Caller.id)
                .execution_options(yield_per=5000)
            )
            for caller_id, key, last_name, first_name in rows:
                yield caller_id, key or search_key(last_name, first_name)


def number_prefixes(partial: str) -> list[str]:
    """Stored-key prefixes the digits typed so far may start: "06 12" → "+33612" (and
    "0612" for numbers kept as typed), "+33 6 12" or "0033 6 12" → "+33612"."""
    digits = "".join(ch for ch in partial if ch.isdigit())
    if not digits:
        return []
    if partial.strip().startswith("+"):
        return ["+" + digits]
    if digits.startswith("00"):
        return ["+" + digits[2:]] if len(digits) > 2 else []
    if digits.startswith("0"):
        return ["+33" + digits[1:], digits]
    return [digits, "+" + digits]


def _after_prefix(prefix: str) -> str:
    """The smallest string greater than every string starting with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _check_name(last_name: str) -> None:
    if not last_name.strip():
        raise ValidationError("Le nom de l'appelant est obligatoire.")


def _check_kind(kind: str) -> None:
    if kind not in CALLER_KINDS:
        raise ValidationError(f"Type d'appelant inconnu : « {kind} ».")


def _add_phones(row: Caller, phones: Iterable[str]) -> None:
    """Numbers as typed, stored by their lookup key; never refused, never doubled."""
    known = {p.e164 for p in row.phones}
    for raw in phones:
        number = parse_phone(raw)
        if number.key and number.key not in known:
            row.phones.append(CallerPhone(e164=number.key[:32], raw=raw.strip()[:64]))
            known.add(number.key)


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
