"""The monthly report: what the telesecretary invoices each practice."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from permanence.core.calls import queries
from permanence.core.calls.outcomes import OUTCOMES, outcome_label
from permanence.core.calls.values import CallInfo, MonthlyReport, OutcomeCount, PracticeReport
from permanence.core.db.models import Call, Practice
from permanence.core.errors import NotFoundError

NO_PRACTICE = "Cabinet non précisé"


def month_bounds(year: int, month: int, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Local midnight on the 1st, and on the 1st of the next month (DST-proof)."""
    start = datetime(year, month, 1, tzinfo=tz)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    return start, end


def build_report(
    session: Session, year: int, month: int, *, practice_id: int | None, tz: ZoneInfo
) -> MonthlyReport:
    start, end = month_bounds(year, month, tz)
    query = queries.select_calls().where(
        Call.status == "closed", Call.started_at >= start, Call.started_at < end
    )
    practices = select(Practice.id, Practice.name).order_by(Practice.position, Practice.name)
    if practice_id is not None:
        query = query.where(Call.practice_id == practice_id)
        practices = practices.where(Practice.id == practice_id)
    else:
        practices = practices.where(Practice.active.is_(True))
    names: dict[int | None, str] = dict(session.execute(practices).all())
    if practice_id is not None and practice_id not in names:
        raise NotFoundError(f"Cabinet introuvable (n° {practice_id}).")
    by_practice: dict[int | None, list[CallInfo]] = {key: [] for key in names}
    for call in queries.infos(session, query):
        if call.practice_id not in by_practice:  # an inactive practice, or none chosen
            names[call.practice_id] = call.practice_name or NO_PRACTICE
            by_practice[call.practice_id] = []
        by_practice[call.practice_id].append(call)
    rules = queries.RulesCache(session)
    reports = tuple(
        _practice_report(key, names[key], calls, rules.get(key).price_eur)
        for key, calls in by_practice.items()
    )
    return MonthlyReport(year, month, tz.key, start, end, reports)


def _practice_report(
    practice_id: int | None, name: str, calls: list[CallInfo], price: Decimal | None
) -> PracticeReport:
    outcomes = [*OUTCOMES, *sorted({c.outcome or "" for c in calls} - set(OUTCOMES) - {""})]
    lines = tuple(_outcome_count(o, [c for c in calls if c.outcome == o]) for o in outcomes)
    billed = sum(line.billed for line in lines)
    reasons = Counter(c.billing_reason for c in calls if c.billable is False)
    return PracticeReport(
        practice_id=practice_id,
        practice_name=name,
        outcomes=lines,
        billed_calls=billed,
        unbilled_calls=sum(line.unbilled for line in lines),
        billed_duration=sum((line.billed_duration for line in lines), timedelta()),
        unbilled_duration=sum((line.unbilled_duration for line in lines), timedelta()),
        unbilled_reasons=tuple(sorted(reasons.items(), key=lambda item: (-item[1], item[0]))),
        price_eur=price,
        amount_eur=price * billed if price is not None else None,
    )


def _outcome_count(outcome: str, calls: Iterable[CallInfo]) -> OutcomeCount:
    billed = [c for c in calls if c.billable]
    unbilled = [c for c in calls if not c.billable]
    return OutcomeCount(
        outcome=outcome,
        label=outcome_label(outcome),
        billed=len(billed),
        unbilled=len(unbilled),
        billed_duration=_total(billed),
        unbilled_duration=_total(unbilled),
    )


def _total(calls: Iterable[CallInfo]) -> timedelta:
    return sum((c.duration or timedelta() for c in calls), timedelta())
