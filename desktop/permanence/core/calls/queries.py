"""Rows to values, and the lookups shared by the calls service, its history and its report."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session

from permanence.core.calls.billing import BillingRules, classify
from permanence.core.calls.values import CallInfo
from permanence.core.db.models import Call, Caller, Practice, Practitioner
from permanence.core.errors import ValidationError


def practitioner_name(title: str | None, first_name: str | None, last_name: str | None) -> str:
    """ "Dr Claire Martin", like PractitionerInfo.display_name."""
    return " ".join(part for part in (title, first_name, last_name) if part)


def caller_name(last_name: str | None, first_name: str | None) -> str:
    """ "DUPONT Marie", like CallerInfo.display_name."""
    return " ".join(part for part in ((last_name or "").upper(), first_name) if part)


#: `select_calls()` rows: the call, then practice, practitioner and caller names (None when
#: the outer join finds nothing, whatever the static types say).
CallQuery = Select[Call, str, str, str, str, str, str]
CallRow = Row[Call, str, str, str, str, str, str]


def select_calls() -> CallQuery:
    """Calls with the names the UI shows beside them (one query, outer joins)."""
    return (
        select(
            Call,
            Practice.name,
            Practitioner.title,
            Practitioner.first_name,
            Practitioner.last_name,
            Caller.last_name,
            Caller.first_name,
        )
        .outerjoin(Practice, Practice.id == Call.practice_id)
        .outerjoin(Practitioner, Practitioner.id == Call.practitioner_id)
        .outerjoin(Caller, Caller.id == Call.caller_id)
    )


def to_info(row: CallRow, billing: tuple[bool, str] | None = None) -> CallInfo:
    call: Call = row[0]
    billable, reason = billing if billing is not None else (call.billable, call.billing_reason)
    return CallInfo(
        id=call.id,
        practice_id=call.practice_id,
        practitioner_id=call.practitioner_id,
        caller_id=call.caller_id,
        from_number=call.from_number,
        from_e164=call.from_e164,
        to_number=call.to_number,
        started_at=call.started_at,
        ended_at=call.ended_at,
        status=call.status,
        outcome=call.outcome,
        reason=call.reason,
        notes=call.notes,
        billable=billable,
        billing_reason=reason,
        tension=call.tension,
        triage_level=call.triage_level,
        triage_rule=call.triage_rule,
        triage_override_level=call.triage_override_level,
        triage_override_reason=call.triage_override_reason,
        draft_owner=call.draft_owner,
        created_at=call.created_at,
        updated_at=call.updated_at,
        practice_name=row[1] or "",
        practitioner_name=practitioner_name(row[2], row[3], row[4]),
        caller_name=caller_name(row[5], row[6]),
    )


def infos(session: Session, query: CallQuery) -> list[CallInfo]:
    """Run a `select_calls()` query; closed calls saved before billing existed (imported
    history) get their class computed on the fly, never left blank."""
    rows = list(session.execute(query))
    rules = RulesCache(session)
    result = []
    for row in rows:
        call: Call = row[0]
        billing = None
        if call.status == "closed" and call.billable is None and call.outcome:
            billing = billing_of(session, call, call.outcome, rules.get(call.practice_id))
        result.append(to_info(row, billing))
    return result


def one(session: Session, call_id: int) -> CallInfo | None:
    found = infos(session, select_calls().where(Call.id == call_id))
    return found[0] if found else None


class RulesCache:
    """Billing rules per practice, read once per unit of work."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._rules: dict[int | None, BillingRules] = {}

    def get(self, practice_id: int | None) -> BillingRules:
        if practice_id not in self._rules:
            self._rules[practice_id] = rules_of(self._session, practice_id)
        return self._rules[practice_id]


def rules_of(session: Session, practice_id: int | None) -> BillingRules:
    """The practice's rules; damaged stored rules fall back to the defaults so that a call
    can always be closed (the settings page shows the error when they are edited)."""
    if practice_id is None:
        return BillingRules()
    text = session.scalar(select(Practice.billing_rules).where(Practice.id == practice_id))
    try:
        return BillingRules.from_json(text or "")
    except ValidationError:
        return BillingRules()


def find_repeat(
    session: Session,
    *,
    call_id: int,
    practice_id: int | None,
    from_e164: str,
    started_at: datetime,
    rules: BillingRules,
) -> int | None:
    """The earlier call from the same number to the same practice that ended at most
    `rules.repeat_window_minutes` before this one started, if any.

    Only an earlier call with a billed outcome counts: after a hang-up or a wrong number,
    the next call is the real one and is billed; after a cut line the practice pays once
    however many times the caller had to dial again.
    """
    window = rules.repeat_window_minutes
    if not from_e164 or practice_id is None or window <= 0:
        return None
    query = (
        select(Call.id)
        .where(
            Call.id != call_id,
            Call.practice_id == practice_id,
            Call.from_e164 == from_e164,
            Call.status == "closed",
            Call.outcome.is_not(None),
            Call.started_at < started_at,
            Call.ended_at >= started_at - timedelta(minutes=window),
        )
        .order_by(Call.ended_at.desc())
        .limit(1)
    )
    unbilled = rules.unbilled_outcomes()
    if unbilled:
        query = query.where(Call.outcome.not_in(sorted(unbilled)))
    return session.scalar(query)


def billing_of(session: Session, call: Call, outcome: str, rules: BillingRules) -> tuple[bool, str]:
    repeat_of = find_repeat(
        session,
        call_id=call.id,
        practice_id=call.practice_id,
        from_e164=call.from_e164,
        started_at=call.started_at,
        rules=rules,
    )
    return classify(outcome, rules=rules, repeat_of=repeat_of)
