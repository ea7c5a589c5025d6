"""How long a caller may wait, from the triage level (see DESIGN.md, "Triage")."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from permanence.core.agenda.errors import VITAL_REFUSAL, AgendaError, BookingRefused
from permanence.core.agenda.spans import require_aware

Level = Literal["vital", "urgent", "soon", "routine"]
LEVELS: tuple[Level, ...] = ("vital", "urgent", "soon", "routine")
SOON_DELAY = timedelta(hours=48)
DEFAULT_HORIZON = timedelta(weeks=4)


def end_of_local_day(moment: datetime, zone: ZoneInfo) -> datetime:
    """The next local midnight after `moment` (built by date, so right on DST days)."""
    day = moment.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=zone)


def later(moment: datetime, delay: timedelta, zone: ZoneInfo) -> datetime:
    """`moment + delay` in elapsed time (48 h are 48 h even across a DST change)."""
    return (moment.astimezone(UTC) + delay).astimezone(zone)


def latest_for_level(
    level: str | None,
    now: datetime,
    zone: ZoneInfo,
    *,
    horizon: timedelta = DEFAULT_HORIZON,
) -> datetime:
    """The latest end of an appointment for a caller triaged `level` (None: not triaged).

    `urgent` → the end of today, `soon` → within 48 hours, `routine` → the end of the day
    `horizon` from now; `vital` is never booked and raises `BookingRefused`.
    """
    require_aware(now, "Heure de l'appel")
    if level == "vital":
        raise BookingRefused(VITAL_REFUSAL)
    if level == "urgent":
        return end_of_local_day(now, zone)
    if level == "soon":
        return later(now, SOON_DELAY, zone)
    if level is None or level == "routine":
        return end_of_local_day(later(now, horizon, zone), zone)
    raise AgendaError(f"Niveau de tri inconnu : « {level} » (attendu : " + ", ".join(LEVELS) + ").")
