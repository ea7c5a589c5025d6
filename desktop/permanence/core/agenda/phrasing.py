"""What the secretary says on the phone: "Je peux vous proposer mardi 14 à 10 h 30, …".

Relative words first ("aujourd'hui", "demain"), the month only when it is not the current
one, the year only when it is far away; never the system locale (see `french`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, tzinfo
from typing import Protocol

from permanence.core.agenda.french import format_date, format_time
from permanence.core.agenda.spans import require_aware

NO_SLOT = "Je n'ai malheureusement aucun créneau disponible dans ce délai."
_FAR_AWAY_DAYS = 180  # beyond this, "lundi 5 janvier" needs its year


class HasStart(Protocol):
    """A slot or a proposal: anything with an aware `start`."""

    @property
    def start(self) -> datetime: ...


def phrase_day(day: date, today: date) -> str:
    """ "aujourd'hui", "demain", "mardi 14", "lundi 5 janvier", "lundi 5 juin 2028"."""
    if day == today:
        return "aujourd'hui"
    if (day - today).days == 1:
        return "demain"
    same_month = (day.year, day.month) == (today.year, today.month)
    far = abs((day - today).days) > _FAR_AWAY_DAYS
    return format_date(day, month=not same_month, year=far)


def _local(moment: datetime, zone: tzinfo, label: str) -> datetime:
    require_aware(moment, label)
    return moment.astimezone(zone)


def phrase_slot(slot: HasStart, tz: tzinfo, now: datetime) -> str:
    """ "mardi 14 à 10 h 30", "aujourd'hui à 16 h", "demain à 9 h 15"."""
    start = _local(slot.start, tz, "Créneau")
    today = _local(now, tz, "Heure de l'appel").date()
    return f"{phrase_day(start.date(), today)} à {format_time(start.time())}"


def _join(choices: Sequence[str], *, comma_before_or: bool) -> str:
    """ "A", "A ou B", "A, B ou C" (or "A, ou B" between days, as said on the phone)."""
    if len(choices) == 1:
        return choices[0]
    last = ", ou " if comma_before_or else " ou "
    return ", ".join(choices[:-1]) + last + choices[-1]


def phrase_choices(slots: Sequence[HasStart], tz: tzinfo, now: datetime) -> str:
    """The choices alone, in time order, each day said once: "demain à 9 h ou à 11 h"."""
    today = _local(now, tz, "Heure de l'appel").date()
    days: dict[date, list[str]] = {}
    for start in sorted(_local(slot.start, tz, "Créneau") for slot in slots):
        days.setdefault(start.date(), []).append(f"à {format_time(start.time())}")
    return _join(
        [
            f"{phrase_day(day, today)} " + _join(times, comma_before_or=False)
            for day, times in days.items()
        ],
        comma_before_or=True,
    )


def phrase_proposals(slots: Sequence[HasStart], tz: tzinfo, now: datetime) -> str:
    """The sentence to say: "Je peux vous proposer mardi 14 à 10 h 30, ou jeudi 16 à 17 h 15."

    Choices are said in time order, whatever their rank, as a caller follows a calendar.
    """
    if not slots:
        return NO_SLOT
    return f"Je peux vous proposer {phrase_choices(slots, tz, now)}."
