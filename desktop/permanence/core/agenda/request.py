"""Slot proposals for a caller: the agenda, the motif, the triage level and the wishes.

The high-level door the booking service calls: it builds the availability over the delay
the level allows, restricts it to the motif's hours and the caller's preferences, and asks
`propose_slots`. For an urgent case the urgent-only motifs (reserved hours) come first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from permanence.core.agenda.availability import availability, local_days, weekly_intervals
from permanence.core.agenda.errors import AgendaError
from permanence.core.agenda.grid import Grid
from permanence.core.agenda.model import Agenda, AppointmentType
from permanence.core.agenda.preferences import Preferences, preference_windows
from permanence.core.agenda.slots import DEFAULT_STEP, Policy, Slot, propose_slots
from permanence.core.agenda.spans import (
    Interval,
    ceil_seconds,
    intersect,
    merge,
    positive_seconds,
    to_interval,
    to_spans,
)
from permanence.core.agenda.urgency import (
    DEFAULT_HORIZON,
    end_of_local_day,
    later,
    latest_for_level,
)


@dataclass(frozen=True)
class Proposal:
    """A slot offered to the caller for one motif; `end` excludes the motif's buffer."""

    start: datetime
    end: datetime
    appointment_type: AppointmentType


@dataclass(frozen=True)
class _Search:
    """What stays the same for every motif tried for one request."""

    agenda: Agenda
    days: tuple[date, ...]
    open_periods: tuple[Interval, ...]
    busy: tuple[Interval, ...]
    earliest: datetime
    latest: datetime
    count: int
    policy: Policy
    step: timedelta


def _motifs(agenda: Agenda, kind: AppointmentType, level: str | None) -> list[AppointmentType]:
    """Motifs to try in order: reserved urgent hours first when the case is urgent."""
    if not kind.bookable_by_secretary:
        raise AgendaError(f"Le motif « {kind.name} » ne peut pas être pris par le secrétariat.")
    if kind.urgent_only and level == "routine":
        raise AgendaError(f"Le motif « {kind.name} » est réservé aux urgences.")
    agenda.check_fits(kind)
    if level != "urgent":
        return [kind]
    urgent = [k for k in agenda.appointment_types if k.urgent_only and k.bookable_by_secretary]
    return [*urgent, *(k for k in [kind] if k not in urgent)]


def _combine(
    windows: Sequence[Interval] | None, others: Sequence[Interval] | None, search: _Search
) -> list[Interval] | None:
    """Intersection of two optional restrictions (None: no restriction)."""
    if windows is None:
        return None if others is None else list(others)
    if others is None:
        return list(windows)
    spans = intersect(
        merge(to_spans(windows, "Plage du motif", shrink=True)),
        merge(to_spans(others, "Préférences", shrink=True)),
    )
    return [to_interval(span, search.agenda.zone) for span in spans]


def _type_windows(kind: AppointmentType, search: _Search) -> list[Interval] | None:
    """The motif's hours, stretched by its buffer (the buffer may run past them)."""
    if not kind.windows:
        return None
    zone = search.agenda.zone
    return [
        (start, later(end, kind.buffer_after, zone))
        for start, end in weekly_intervals(kind.windows, search.days, zone)
    ]


def _from_now(
    open_periods: Sequence[Interval], now: datetime, step: int, agenda: Agenda
) -> tuple[Interval, ...]:
    """Open time from now on, cut at the next grid start: the past is not a hole to avoid."""
    start = Grid(agenda.zone, step).ceil(ceil_seconds(now))
    spans = merge(to_spans(open_periods, "Horaires", shrink=True))
    return tuple(to_interval((max(s, start), e), agenda.zone) for s, e in spans if e > start)


def _slots_for(
    kind: AppointmentType, preferences: Preferences | None, search: _Search
) -> list[Slot]:
    wishes = None
    if preferences is not None and not preferences.is_empty:
        wishes = preference_windows(preferences, search.days, search.agenda.zone, kind.occupied)
    return propose_slots(
        search.open_periods,
        search.busy,
        kind.occupied,
        earliest=search.earliest,
        latest=search.latest,
        min_duration=search.agenda.min_duration or kind.occupied,
        count=search.count,
        policy=search.policy,
        step=search.step,
        allowed=_combine(_type_windows(kind, search), wishes, search),
        durations=search.agenda.bookable_lengths,
    )


def _collect(
    motifs: Sequence[AppointmentType], preferences: Preferences | None, search: _Search
) -> list[Proposal]:
    """Proposals motif after motif, skipping any that overlaps one already chosen."""
    chosen: list[Proposal] = []
    for kind in motifs:
        for slot in _slots_for(kind, preferences, search):
            if len(chosen) == search.count:
                return chosen
            end = slot.start + kind.duration
            if all(end <= p.start or slot.start >= p.end for p in chosen):
                chosen.append(Proposal(slot.start, end, kind))
    return chosen


def _latest(
    agenda: Agenda,
    now: datetime,
    level: str | None,
    preferences: Preferences | None,
    horizon: timedelta,
) -> datetime:
    """The level's deadline; a routine caller asking for a later date gets that date."""
    latest = latest_for_level(level, now, agenda.zone, horizon=horizon)
    wanted = preferences.on_date if preferences is not None else None
    if wanted is not None and level in (None, "routine"):
        end_of_wanted = end_of_local_day(
            datetime.combine(wanted, time(0), tzinfo=agenda.zone), agenda.zone
        )
        latest = max(latest, end_of_wanted)
    return latest


def propose_for_request(
    agenda: Agenda,
    appointment_type: AppointmentType,
    *,
    now: datetime,
    level: str | None = None,
    preferences: Preferences | None = None,
    count: int = 3,
    policy: Policy = "compact",
    horizon: timedelta = DEFAULT_HORIZON,
    step: timedelta = DEFAULT_STEP,
) -> list[Proposal]:
    """Up to `count` proposals, best first, for a caller triaged `level` (None: not triaged).

    Raises `BookingRefused` for a vital emergency and `AgendaError` for a motif the
    secretary may not book. Preferences marked not strict ("plutôt …") are dropped when
    nothing matches them; strict ones may leave the list empty.
    """
    latest = _latest(agenda, now, level, preferences, horizon)
    motifs = _motifs(agenda, appointment_type, level)
    spans = availability(agenda, now, latest)
    search = _Search(
        agenda,
        tuple(local_days(now, latest, agenda.zone)),
        _from_now(spans.open_periods, now, positive_seconds(step, "Le pas de la grille"), agenda),
        spans.busy,
        now,
        latest,
        count,
        policy,
        step,
    )
    found = _collect(motifs, preferences, search)
    if not found and preferences is not None and not preferences.strict:
        found = _collect(motifs, None, search)
    return found
