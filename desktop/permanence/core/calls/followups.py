"""Follow-ups: every promise made to a caller ("on vous rappelle avant 18 h") is tracked
until someone marks it done, and shows as late once its due time has passed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session, sessionmaker

from permanence.core.calls.due import parse_due
from permanence.core.calls.queries import caller_name
from permanence.core.db.models import Call, Caller, FollowUp, Practice, Practitioner
from permanence.core.errors import NotFoundError, ValidationError

__all__ = ["FOLLOW_UP_KINDS", "FollowUpInfo", "FollowUpsService", "parse_due"]

FOLLOW_UP_KINDS: dict[str, str] = {
    "rappel": "Rappel",
    "promesse": "Promesse",
    "tache": "Tâche",
}
STATE_TODO = "à faire"
STATE_LATE = "en retard"
STATE_DONE = "fait"
_PAST_TOLERANCE = timedelta(minutes=1)


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class FollowUpInfo:
    id: int
    kind: str
    description: str
    due_at: datetime  # aware, UTC
    done_at: datetime | None
    done_by: str
    created_by: str
    created_at: datetime
    call_id: int | None
    message_id: int | None
    practice_id: int | None
    practitioner_id: int | None
    caller_id: int | None
    practice_name: str
    caller_name: str  # "DUPONT Marie"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def kind_label(self) -> str:
        return FOLLOW_UP_KINDS.get(self.kind, self.kind)

    def overdue(self, now: datetime | None = None) -> bool:
        return self.done_at is None and self.due_at < (now or _now())

    def state(self, now: datetime | None = None) -> str:
        """ "à faire", "en retard" or "fait"."""
        if self.done_at is not None:
            return STATE_DONE
        return STATE_LATE if self.overdue(now) else STATE_TODO


class FollowUpsService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def create(
        self,
        description: str,
        due_at: datetime | None,
        *,
        kind: str = "rappel",
        call_id: int | None = None,
        practice_id: int | None = None,
        practitioner_id: int | None = None,
        caller_id: int | None = None,
        created_by: str = "",
        now: datetime | None = None,
    ) -> FollowUpInfo:
        """Record a promise. Practice, practitioner and caller default to the call's."""
        if not description.strip():
            raise ValidationError("Décrivez ce qui a été promis (par exemple « rappeler »).")
        if due_at is None:
            raise ValidationError("Indiquez l'échéance : quand doit-ce être fait ?")
        if due_at.tzinfo is None:
            raise ValidationError("L'échéance doit préciser son fuseau horaire.")
        if due_at < (now or _now()) - _PAST_TOLERANCE:
            raise ValidationError("Cette échéance est déjà passée : choisissez une heure à venir.")
        if kind not in FOLLOW_UP_KINDS:
            raise ValidationError(f"Type de suivi inconnu : « {kind} ».")
        with self._sessions.begin() as session:
            if call_id is not None:
                call = session.get(Call, call_id)
                if call is None:
                    raise ValidationError(f"Appel introuvable (n° {call_id}).")
                practice_id = practice_id if practice_id is not None else call.practice_id
                practitioner_id = practitioner_id or call.practitioner_id
                caller_id = caller_id if caller_id is not None else call.caller_id
            _check(session, Practice, practice_id, "Cabinet introuvable")
            _check(session, Practitioner, practitioner_id, "Praticien introuvable")
            _check(session, Caller, caller_id, "Appelant introuvable")
            row = FollowUp(
                kind=kind,
                description=description.strip(),
                due_at=due_at,
                call_id=call_id,
                practice_id=practice_id,
                practitioner_id=practitioner_id,
                caller_id=caller_id,
                created_by=created_by.strip()[:100],
            )
            session.add(row)
            session.flush()
            return self._get(session, row.id)

    def get(self, follow_up_id: int) -> FollowUpInfo:
        with self._sessions() as session:
            return self._get(session, follow_up_id)

    def open(
        self,
        now: datetime | None = None,
        *,
        practice_id: int | None = None,
        due_within: timedelta | None = None,
    ) -> list[FollowUpInfo]:
        """What is still to do, soonest due first (late ones therefore on top). With
        `due_within`, only what falls due before `now + due_within`."""
        query = _select().where(FollowUp.done_at.is_(None))
        if practice_id is not None:
            query = query.where(FollowUp.practice_id == practice_id)
        if due_within is not None:
            query = query.where(FollowUp.due_at < (now or _now()) + due_within)
        query = query.order_by(FollowUp.due_at, FollowUp.id)
        with self._sessions() as session:
            return [_info(*row) for row in session.execute(query)]

    def for_call(self, call_id: int) -> list[FollowUpInfo]:
        """The promises made during one call, done or not, in due order."""
        query = _select().where(FollowUp.call_id == call_id).order_by(FollowUp.due_at)
        with self._sessions() as session:
            return [_info(*row) for row in session.execute(query)]

    def done(self, follow_up_id: int, by: str, *, at: datetime | None = None) -> FollowUpInfo:
        """Mark done ("Fait par Sophie le …"); refused if someone already did."""
        moment = at or _now()
        if moment.tzinfo is None:
            raise ValidationError("L'heure doit préciser son fuseau horaire.")
        with self._sessions.begin() as session:
            result = session.execute(
                update(FollowUp)
                .where(FollowUp.id == follow_up_id, FollowUp.done_at.is_(None))
                .values(done_at=moment, done_by=by.strip()[:100])
                .execution_options(synchronize_session=False)
            )
            if int(getattr(result, "rowcount", 0)) != 1:
                current = self._get(session, follow_up_id)
                who = f" par {current.done_by}" if current.done_by else ""
                raise ValidationError(f"Ce suivi est déjà marqué fait{who}.")
            return self._get(session, follow_up_id)

    def _get(self, session: Session, follow_up_id: int) -> FollowUpInfo:
        row = session.execute(_select().where(FollowUp.id == follow_up_id)).first()
        if row is None:
            raise NotFoundError(f"Suivi introuvable (n° {follow_up_id}).")
        return _info(*row)


def _select() -> Select[FollowUp, str, str, str]:
    return (
        select(FollowUp, Practice.name, Caller.last_name, Caller.first_name)
        .outerjoin(Practice, Practice.id == FollowUp.practice_id)
        .outerjoin(Caller, Caller.id == FollowUp.caller_id)
    )


def _info(
    row: FollowUp, practice: str | None, last_name: str | None, first_name: str | None
) -> FollowUpInfo:
    return FollowUpInfo(
        id=row.id,
        kind=row.kind,
        description=row.description,
        due_at=row.due_at,
        done_at=row.done_at,
        done_by=row.done_by,
        created_by=row.created_by,
        created_at=row.created_at,
        call_id=row.call_id,
        message_id=row.message_id,
        practice_id=row.practice_id,
        practitioner_id=row.practitioner_id,
        caller_id=row.caller_id,
        practice_name=practice or "",
        caller_name=caller_name(last_name, first_name),
    )


def _check(session: Session, model: type[object], key: int | None, message: str) -> None:
    if key is not None and session.get(model, key) is None:
        raise ValidationError(f"{message} (n° {key}).")
