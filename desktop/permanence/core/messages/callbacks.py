"""When a promised callback is due: pure functions of the message's wish and of `now`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from permanence.core.messages.values import MessageDraft

STATE_TODO = "à faire"
STATE_LATE = "en retard"


@dataclass(frozen=True, slots=True)
class CallbackPolicy:
    """Due time without a "before" hour: `default_delay` after the message (or after the "not
    before" hour), or `end_of_day` when only a day was asked."""

    default_delay: timedelta = timedelta(hours=2)
    end_of_day: time = time(19, 0)


def callback_window(
    draft: MessageDraft, created_at: datetime, zone: ZoneInfo, policy: CallbackPolicy
) -> tuple[datetime | None, datetime]:
    """(not before, due) in UTC; the day defaults to the day the message was taken."""
    day = draft.callback_day or created_at.astimezone(zone).date()
    start = _at(day, draft.callback_after, zone)
    if draft.callback_before is not None:
        due = datetime.combine(day, draft.callback_before, tzinfo=zone)
    elif start is not None:
        due = start + policy.default_delay
    elif draft.callback_day is not None:
        due = datetime.combine(day, policy.end_of_day, tzinfo=zone)
    else:
        due = created_at + policy.default_delay
    return start, due.astimezone(UTC)


def state(due_at: datetime, now: datetime) -> str:
    """ "à faire" or "en retard"."""
    return STATE_LATE if due_at < now else STATE_TODO


def _at(day: date, moment: time | None, zone: ZoneInfo) -> datetime | None:
    if moment is None:
        return None
    return datetime.combine(day, moment, tzinfo=zone).astimezone(UTC)
