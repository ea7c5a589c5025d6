"""A bound on the work a recurrence rule asks for, checked before expanding it.

dateutil walks a rule from its DTSTART to the end of the window and lists everything
in between, so "FREQ=SECONDLY" from 2020 would keep the import busy for minutes. The
estimate counts periods from DTSTART (or a smaller COUNT) times the times of day that
BYHOUR / BYMINUTE / BYSECOND add to each period.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import icalendar

#: dateutil does about half a million steps a second: this is about a second of work.
MAX_RULE_STEPS = 200_000
_PERIOD_SECONDS = {
    "SECONDLY": 1,
    "MINUTELY": 60,
    "HOURLY": 3_600,
    "DAILY": 86_400,
    "WEEKLY": 604_800,
    "MONTHLY": 28 * 86_400,
    "YEARLY": 365 * 86_400,
}
_TIME_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")
_FILTERS = ("BYMONTH", "BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY", "BYSETPOS")


def rule_steps(event: icalendar.Event, end: datetime) -> float:
    """Estimated dateutil steps to expand the event's RRULEs up to `end`."""
    rules = event.get("RRULE")
    first = getattr(event.get("DTSTART"), "dt", None)
    if rules is None or not isinstance(first, date):
        return 0.0
    start = _aware(first)
    return sum(_steps(rule, start, end) for rule in (rules if isinstance(rules, list) else [rules]))


def _steps(rule: Any, start: datetime, end: datetime) -> float:
    frequency = str(_first(rule, "FREQ", "DAILY")).upper()
    interval = max(int(_first(rule, "INTERVAL", 1)), 1)
    until = _first(rule, "UNTIL", None)
    stop = min(end, _aware(until)) if isinstance(until, date) else end
    seconds = max((stop - start).total_seconds(), 0.0)
    periods = seconds / (_PERIOD_SECONDS.get(frequency, 86_400) * interval) + 1
    count = _first(rule, "COUNT", None)
    if isinstance(count, int) and not any(part in rule for part in _FILTERS):
        periods = min(periods, count)
    per_period = 1
    for part in _TIME_PARTS:
        per_period *= max(len(rule.get(part, [])), 1)
    return periods * per_period


def _first(rule: Any, key: str, default: Any) -> Any:
    values = rule.get(key)
    return values[0] if values else default


def _aware(value: date) -> datetime:
    if not isinstance(value, datetime):
        return datetime.combine(value, time(), tzinfo=UTC)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
