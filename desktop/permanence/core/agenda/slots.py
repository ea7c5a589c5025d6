"""Slot proposals on plain intervals: `propose_slots`, `free_intervals`, `stranded_minutes`.

Free time = open periods − busy intervals, computed once by sorting and sweeping; only a
few starts per free interval are then scored, so four weeks of a full agenda take a few
milliseconds. Everything is converted to integer seconds on entry and back on exit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Literal

from permanence.core.agenda.compact import compact_starts
from permanence.core.agenda.errors import AgendaError
from permanence.core.agenda.fill import Remainders
from permanence.core.agenda.grid import Grid
from permanence.core.agenda.search import first_fit_starts, pieces
from permanence.core.agenda.spans import (
    Interval,
    Span,
    ceil_seconds,
    floor_seconds,
    merge,
    positive_seconds,
    require_aware,
    subtract,
    to_interval,
    to_spans,
)

Policy = Literal["compact", "first_fit"]
POLICIES: tuple[Policy, ...] = ("compact", "first_fit")
DEFAULT_STEP = timedelta(minutes=5)


@dataclass(frozen=True)
class Slot:
    """A proposed appointment time: `start` inclusive, `end` exclusive, zone-aware."""

    start: datetime
    end: datetime

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


def _zone(open_spans: Sequence[Interval]) -> tzinfo | None:
    """The agenda's zone: that of the first open period (results are expressed in it)."""
    for start, _ in open_spans:
        return start.tzinfo
    return None


def _free_spans(open_periods: Sequence[Interval], busy: Sequence[Interval]) -> list[Span]:
    opened = merge(to_spans(open_periods, "Période d'ouverture", shrink=True))
    taken = merge(to_spans(busy, "Intervalle occupé", shrink=False))
    return subtract(opened, taken)


def free_intervals(open_periods: Sequence[Interval], busy: Sequence[Interval]) -> list[Interval]:
    """Free time inside the open periods, sorted, in the zone of the first open period."""
    zone = _zone(open_periods)
    if zone is None:
        return []
    return [to_interval(span, zone) for span in _free_spans(open_periods, busy)]


def stranded_minutes(
    open_periods: Sequence[Interval], busy: Sequence[Interval], min_duration: timedelta
) -> int:
    """Minutes of free time lying in holes shorter than `min_duration`: time nobody can book."""
    shortest = positive_seconds(min_duration, "La durée minimale")
    lost = sum(
        end - start for start, end in _free_spans(open_periods, busy) if end - start < shortest
    )
    return lost // 60


def _window(earliest: datetime, latest: datetime) -> Span:
    require_aware(earliest, "Début de la recherche")
    require_aware(latest, "Fin de la recherche")
    if earliest > latest:
        raise AgendaError(
            f"Le début de la recherche ({earliest:%d/%m/%Y %H:%M}) est après sa fin "
            f"({latest:%d/%m/%Y %H:%M})."
        )
    return ceil_seconds(earliest), floor_seconds(latest)


def _check_choice(policy: str, count: int) -> None:
    if policy not in POLICIES:
        raise AgendaError(
            f"Stratégie de proposition inconnue : « {policy} » (attendu : "
            + ", ".join(POLICIES)
            + ")."
        )
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise AgendaError(f"Le nombre de propositions doit être au moins 1 (reçu {count!r}).")


def propose_slots(
    open_periods: Sequence[Interval],
    busy: Sequence[Interval],
    duration: timedelta,
    *,
    earliest: datetime,
    latest: datetime,
    min_duration: timedelta,
    count: int = 3,
    policy: Policy = "compact",
    step: timedelta = DEFAULT_STEP,
    allowed: Sequence[Interval] | None = None,
    durations: Sequence[timedelta] = (),
) -> list[Slot]:
    """Up to `count` free, non-overlapping slots of `duration`, best first.

    Every slot lies inside one open period and inside `[earliest, latest]`, overlaps no busy
    interval, and starts on the `step` grid counted from local midnight (see `grid`).
    `allowed`, when given, are the only intervals a slot may lie in (an appointment type's
    hours, the caller's preferences); holes are still measured on the whole free time.
    `first_fit` returns the earliest starts; `compact` avoids creating holes shorter than
    `min_duration`, then holes that no combination of `durations` (the agenda's bookable
    lengths, buffers included; `min_duration` and `duration` are always counted) can fill,
    then prefers the earliest half-day, a start touching busy time or a period edge, the
    earliest start; choices are spread over different half-days when it can.
    """
    length = positive_seconds(duration, "La durée du rendez-vous")
    shortest = positive_seconds(min_duration, "La durée minimale")
    grid_step = positive_seconds(step, "Le pas de la grille")
    window = _window(earliest, latest)
    _check_choice(policy, count)
    free = _free_spans(open_periods, busy)
    zone = _zone(open_periods)
    if zone is None or not free:
        return []
    allowed_spans = (
        None if allowed is None else merge(to_spans(allowed, "Plage autorisée", shrink=True))
    )
    grid = Grid(zone, grid_step)
    found = pieces(free, allowed_spans, window, length, grid)
    if policy == "first_fit":
        starts = first_fit_starts(found, length, grid, count)
    else:
        lengths = [shortest, length] + [
            positive_seconds(d, "Une durée de rendez-vous") for d in durations
        ]
        holes = Remainders(lengths, shortest)
        starts = compact_starts(found, length, holes, grid, count)
    return [Slot(*to_interval((start, start + length), zone)) for start in starts]
