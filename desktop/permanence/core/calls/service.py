"""The calls service: a draft saved on every change, closed with an outcome and a billing class.

Ownership: a draft belongs to the instance that started (or claimed) it. Every write is one
conditional UPDATE (`WHERE draft_owner = <owner seen>`), so two instances can never both
write the same draft, even when they race to recover it after a crash.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from permanence.core.calls import queries
from permanence.core.calls.billing import BillingRules, classify
from permanence.core.calls.history import caller_history
from permanence.core.calls.instances import InstanceRegistry
from permanence.core.calls.outcomes import MISSING_OUTCOME, OUTCOMES, TRIAGE_LEVELS
from permanence.core.calls.report import build_report
from permanence.core.calls.values import CallInfo, HistoryItem, MonthlyReport
from permanence.core.db.models import Call, Caller, Practice, PracticeNumber, Practitioner
from permanence.core.errors import NotFoundError, ValidationError
from permanence.core.phone import parse_phone

PARIS = ZoneInfo("Europe/Paris")
OTHER_WINDOW = "Cet appel est ouvert dans une autre fenêtre de Permanence."
ALREADY_CLOSED = "Cet appel est déjà clos."

#: What `update()` accepts.
UPDATABLE: tuple[str, ...] = (
    "practice_id",
    "practitioner_id",
    "caller_id",
    "from_number",
    "reason",
    "notes",
    "tension",
    "triage_level",
    "triage_rule",
    "triage_override_level",
    "triage_override_reason",
)
_TEXTS = {"reason": None, "notes": None, "triage_override_reason": None, "triage_rule": 100}


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None, what: str) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        raise ValidationError(f"{what} : l'heure doit préciser son fuseau horaire.")
    return moment


class CallsService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        instance_id: str,
        *,
        instances: InstanceRegistry | None = None,
    ) -> None:
        self._sessions = sessions
        self.instance_id = instance_id
        self._instances = instances or InstanceRegistry(instance_id, None)

    # -- one call ----------------------------------------------------------------------
    def start(
        self,
        *,
        to_number: str = "",
        from_number: str = "",
        practice_id: int | None = None,
        started_at: datetime | None = None,
        caller_id: int | None = None,
    ) -> CallInfo:
        """A new draft owned by this instance; the practice is found by the dialed number
        when not given (it stays empty for an unknown number: she chooses it)."""
        moment = _aware(started_at, "Début de l'appel") or _now()
        with self._sessions.begin() as session:
            if practice_id is None:
                practice_id = _practice_for_number(session, to_number)
            else:
                _require(session, Practice, practice_id, "Cabinet introuvable")
            if caller_id is not None:
                _require(session, Caller, caller_id, "Appelant introuvable")
            row = Call(
                practice_id=practice_id,
                caller_id=caller_id,
                from_number=from_number.strip()[:64],
                from_e164=parse_phone(from_number).key[:32],
                to_number=to_number.strip()[:64],
                started_at=moment,
                status="draft",
                draft_owner=self.instance_id,
            )
            session.add(row)
            session.flush()
            return self._get(session, row.id)

    def get(self, call_id: int) -> CallInfo:
        with self._sessions() as session:
            return self._get(session, call_id)

    def update(self, call_id: int, **changes: object) -> CallInfo:
        """Save what changed (committed at once: a crash loses nothing).

        A closed call may still be corrected; its billing class follows the practice and
        number it ends up with.
        """
        unknown = sorted(set(changes) - set(UPDATABLE))
        if unknown:
            raise TypeError(f"CallsService.update: unknown field(s) {', '.join(unknown)}")
        with self._sessions() as session:
            row = _load(session, call_id)
            owner = self._owner_to_replace(row)
            values = _validated(session, row, changes)
            if (
                row.status == "closed"
                and row.outcome
                and {"practice_id", "from_number"} & set(changes)
            ):
                values |= _billing_values(session, row, row.outcome, values)
            status = row.status
        self._write(call_id, status, owner, values)
        return self.get(call_id)

    def close(
        self, call_id: int, outcome: str | None, *, ended_at: datetime | None = None
    ) -> CallInfo:
        """End the call with its outcome; refused (and the draft kept) without one."""
        if not outcome or outcome not in OUTCOMES:
            raise ValidationError(MISSING_OUTCOME)
        ended_at = _aware(ended_at, "Fin de l'appel")
        with self._sessions() as session:
            row = _load(session, call_id)
            owner = self._owner_to_replace(row)
            if row.triage_override_level and not row.triage_override_reason.strip():
                raise ValidationError(
                    "Indiquez pourquoi vous changez le niveau d'urgence avant de clore l'appel."
                )
            end = ended_at or (row.ended_at if row.status == "closed" else None) or _now()
            if end < row.started_at:
                raise ValidationError("La fin de l'appel ne peut pas précéder son début.")
            values: dict[str, Any] = {
                "status": "closed",
                "outcome": outcome,
                "ended_at": end,
                "draft_owner": "",
            }
            values |= _billing_values(session, row, outcome, {})
            status = row.status
        self._write(call_id, status, owner, values)
        return self.get(call_id)

    def discard(self, call_id: int) -> None:
        """Forget a draft picked up by mistake (never a closed call)."""
        with self._sessions() as session:
            row = _load(session, call_id)
            if row.status != "draft":
                raise ValidationError(
                    "Un appel clos reste au cahier d'appels : il ne s'efface pas."
                )
            owner = self._owner_to_replace(row)
        with self._sessions.begin() as session:
            result = session.execute(
                delete(Call).where(
                    Call.id == call_id, Call.status == "draft", Call.draft_owner == owner
                )
            )
            if _rowcount(result) != 1:
                raise ValidationError(OTHER_WINDOW)

    # -- drafts after a crash ------------------------------------------------------------
    def drafts(self) -> list[CallInfo]:
        """This instance's own drafts (the calls in progress here)."""
        with self._sessions() as session:
            query = queries.select_calls().where(
                Call.status == "draft", Call.draft_owner == self.instance_id
            )
            return queries.infos(session, query.order_by(Call.started_at))

    def drafts_to_recover(self) -> list[CallInfo]:
        """Drafts left by an instance that is no longer running (crash, power cut), oldest
        first; the next start offers to reopen them with `claim()`."""
        with self._sessions() as session:
            query = queries.select_calls().where(
                Call.status == "draft", Call.draft_owner != self.instance_id
            )
            found = queries.infos(session, query.order_by(Call.started_at))
        return [c for c in found if not self._instances.is_live(c.draft_owner, c.updated_at)]

    def claim(self, call_id: int) -> CallInfo:
        """Take over an orphaned draft; refused while another running instance owns it."""
        with self._sessions() as session:
            row = _load(session, call_id)
            if row.status != "draft":
                raise ValidationError(ALREADY_CLOSED)
            if row.draft_owner == self.instance_id:
                return self._get(session, call_id)
            owner = self._owner_to_replace(row)
        self._write(call_id, "draft", owner, {})
        return self.get(call_id)

    # -- the cahier d'appels -------------------------------------------------------------
    def log(
        self,
        *,
        practice_id: int | None = None,
        day: date | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        outcome: str | None = None,
        billable: bool | None = None,
        limit: int | None = None,
        offset: int = 0,
        tz: ZoneInfo = PARIS,
    ) -> list[CallInfo]:
        """Closed calls, newest first. `day` is a local day in `tz`; `since` is included,
        `until` excluded; all filters combine."""
        query = queries.select_calls().where(Call.status == "closed")
        if practice_id is not None:
            query = query.where(Call.practice_id == practice_id)
        if day is not None:
            start = datetime.combine(day, time(0), tz)
            query = query.where(
                Call.started_at >= start,
                Call.started_at < datetime.combine(day + timedelta(days=1), time(0), tz),
            )
        if since is not None:
            query = query.where(Call.started_at >= _aware(since, "Début de période"))
        if until is not None:
            query = query.where(Call.started_at < _aware(until, "Fin de période"))
        if outcome is not None:
            query = query.where(Call.outcome == outcome)
        if billable is not None:  # imported history has no stored class: computed below
            query = query.where((Call.billable == billable) | Call.billable.is_(None))
        query = query.order_by(Call.started_at.desc(), Call.id.desc())
        if billable is None:
            query = query.offset(offset).limit(limit)
        with self._sessions() as session:
            found = queries.infos(session, query)
        if billable is not None:
            found = [c for c in found if c.billable == billable]
            found = found[offset:] if limit is None else found[offset : offset + limit]
        return found

    def history(
        self, caller_id: int, *, practice_ids: Iterable[int] | None = None, limit: int = 50
    ) -> list[HistoryItem]:
        """Past calls, messages and appointments of a caller across the practices she may
        see (all when `practice_ids` is None), newest first (upcoming appointments on top)."""
        with self._sessions() as session:
            allowed = None if practice_ids is None else set(practice_ids)
            return caller_history(session, caller_id, allowed, limit)

    def monthly_report(
        self, year: int, month: int, *, practice_id: int | None = None, tz: ZoneInfo = PARIS
    ) -> MonthlyReport:
        """Per practice: billed and unbilled calls by outcome, durations, unbilled reasons.
        The month runs from the 1st at midnight to the next 1st, local time in `tz`."""
        if not 1 <= month <= 12 or not 1900 <= year <= 9999:
            raise ValidationError(f"Mois impossible : {year}-{month:02d}.")
        with self._sessions() as session:
            return build_report(session, year, month, practice_id=practice_id, tz=tz)

    # -- billing rules -------------------------------------------------------------------
    def billing_rules(self, practice_id: int) -> BillingRules:
        """The practice's rules (defaults when it never changed them)."""
        with self._sessions() as session:
            text = session.scalar(select(Practice.billing_rules).where(Practice.id == practice_id))
        if text is None:
            raise NotFoundError(f"Cabinet introuvable (n° {practice_id}).")
        return BillingRules.from_json(text)

    def set_billing_rules(self, practice_id: int, rules: BillingRules) -> None:
        """Change a practice's rules; calls already closed keep the class they were given."""
        with self._sessions.begin() as session:
            result = session.execute(
                update(Practice)
                .where(Practice.id == practice_id)
                .values(billing_rules=rules.to_json())
            )
            if _rowcount(result) != 1:
                raise NotFoundError(f"Cabinet introuvable (n° {practice_id}).")

    # -- helpers -------------------------------------------------------------------------
    def _get(self, session: Session, call_id: int) -> CallInfo:
        info = queries.one(session, call_id)
        if info is None:
            raise NotFoundError(f"Appel introuvable (n° {call_id}).")
        return info

    def _owner_to_replace(self, row: Call) -> str:
        """The owner the write must still find (taking the draft over when it is orphaned)."""
        if row.status != "draft" or row.draft_owner == self.instance_id:
            return row.draft_owner
        if self._instances.is_live(row.draft_owner, row.updated_at):
            raise ValidationError(OTHER_WINDOW)
        return row.draft_owner

    def _write(self, call_id: int, status: str, owner: str, values: Mapping[str, Any]) -> None:
        """One conditional UPDATE: it only applies if nobody took the call meanwhile."""
        changes = dict(values)
        if status == "draft" and "draft_owner" not in changes:
            changes["draft_owner"] = self.instance_id
        changes["updated_at"] = _now()
        with self._sessions.begin() as session:
            result = session.execute(
                update(Call)
                .where(Call.id == call_id, Call.status == status, Call.draft_owner == owner)
                .values(**changes)
                .execution_options(synchronize_session=False)
            )
            if _rowcount(result) != 1:
                raise ValidationError(OTHER_WINDOW)


def _rowcount(result: Any) -> int:
    return int(result.rowcount)


def _load(session: Session, call_id: int) -> Call:
    row = session.get(Call, call_id)
    if row is None:
        raise NotFoundError(f"Appel introuvable (n° {call_id}).")
    return row


def _require(session: Session, model: type[Any], key: object, message: str) -> Any:
    if isinstance(key, bool) or not isinstance(key, int):
        raise TypeError(f"{model.__name__} id must be an int, not {key!r}")
    row = session.get(model, key)
    if row is None:
        raise ValidationError(f"{message} (n° {key}).")
    return row


def _practice_for_number(session: Session, dialed: str) -> int | None:
    key = parse_phone(dialed).key
    if not key:
        return None
    return session.scalar(
        select(PracticeNumber.practice_id)
        .join(Practice)
        .where(PracticeNumber.e164 == key, Practice.active.is_(True))
        .order_by(Practice.position)
        .limit(1)
    )


def _validated(session: Session, row: Call, changes: Mapping[str, object]) -> dict[str, Any]:
    """Column values for the accepted changes; ValidationError (French) when one is wrong."""
    values: dict[str, Any] = {}
    for name, limit in _TEXTS.items():
        if name in changes:
            text = changes[name]
            if not isinstance(text, str):
                raise TypeError(f"{name} must be a str")
            values[name] = text.strip()[:limit] if limit else text
    if "from_number" in changes:
        raw = changes["from_number"]
        if not isinstance(raw, str):
            raise TypeError("from_number must be a str")
        values["from_number"] = raw.strip()[:64]
        values["from_e164"] = parse_phone(raw).key[:32]
    if "tension" in changes:
        if not isinstance(changes["tension"], bool):
            raise TypeError("tension must be a bool")
        values["tension"] = changes["tension"]
    for name in ("triage_level", "triage_override_level"):
        if name in changes:
            level = changes[name] or None
            if level is not None and level not in TRIAGE_LEVELS:
                raise ValidationError(f"Niveau d'urgence inconnu : « {level} ».")
            values[name] = level
    if "caller_id" in changes and changes["caller_id"] is not None:
        _require(session, Caller, changes["caller_id"], "Appelant introuvable")
    if "caller_id" in changes:
        values["caller_id"] = changes["caller_id"]
    values |= _who(session, row, changes)
    return values


def _who(session: Session, row: Call, changes: Mapping[str, object]) -> dict[str, Any]:
    """Practice and practitioner, kept consistent with each other."""
    values: dict[str, Any] = {}
    practice_id = row.practice_id
    if "practice_id" in changes:
        practice_id = changes["practice_id"]  # type: ignore[assignment]
        if practice_id is not None:
            _require(session, Practice, practice_id, "Cabinet introuvable")
        values["practice_id"] = practice_id
    practitioner_id = row.practitioner_id
    if "practitioner_id" in changes:
        practitioner_id = changes["practitioner_id"]  # type: ignore[assignment]
        values["practitioner_id"] = practitioner_id
    if practitioner_id is None:
        return values
    doctor: Practitioner = _require(session, Practitioner, practitioner_id, "Praticien introuvable")
    if practice_id is None:
        values["practice_id"] = doctor.practice_id
    elif doctor.practice_id != practice_id:
        if "practitioner_id" in changes:
            raise ValidationError("Ce praticien n'exerce pas dans le cabinet choisi.")
        values["practitioner_id"] = None  # the practice changed: "le cabinet" again
    return values


def _billing_values(
    session: Session, row: Call, outcome: str, pending: Mapping[str, Any]
) -> dict[str, Any]:
    """billable and billing_reason for `row` once `pending` changes are applied."""
    practice_id = pending.get("practice_id", row.practice_id)
    rules = queries.rules_of(session, practice_id)
    repeat_of = queries.find_repeat(
        session,
        call_id=row.id,
        practice_id=practice_id,
        from_e164=pending.get("from_e164", row.from_e164),
        started_at=row.started_at,
        rules=rules,
    )
    billable, reason = classify(outcome, rules=rules, repeat_of=repeat_of)
    return {"billable": billable, "billing_reason": reason}
