"""The compact policy: propose starts that leave no hole nobody can be booked into.

For each piece of free time only a few starts matter: flush against the left edge, flush
against the right edge, and, when an edge would leave a hole shorter than the shortest
appointment, the nearest start leaving a usable remainder instead. If any start of a piece
strands nothing, one of these does, so scoring them is enough. The ranking, best first:

1. the fewest new stranded minutes (holes shorter than the shortest appointment);
2. the fewest new minutes in holes no combination of appointment lengths can fill
   (a 25-minute hole with lengths 15/20/30/45), see `fill`;
3. the earliest half-day;
4. filling a hole exactly, then touching busy time or a period edge, then floating;
5. the earliest start.

Only the starts with the fewest stranded minutes are offered, on distinct half-days first.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

from permanence.core.agenda.fill import Remainders
from permanence.core.agenda.grid import Grid
from permanence.core.agenda.search import Piece


class Candidate(NamedTuple):
    """A possible start and what it does to the agenda; tuples sort best first."""

    stranded: int  # seconds of new holes shorter than the shortest appointment
    eventual: int  # seconds of new holes no combination of appointments can fill
    half_day: int  # local half-day index
    loose_edges: int  # 0: fills a hole exactly, 1: touches one edge, 2: floats
    start: int


def _starts(piece: Piece, duration: int, min_duration: int, grid: Grid) -> Iterator[int]:
    free_start, free_end = piece.free
    yield piece.lo
    yield piece.hi
    if 0 < piece.lo - free_start < min_duration:
        start = grid.ceil(free_start + min_duration)
        if start <= piece.hi:
            yield start
    if 0 < free_end - piece.hi - duration < min_duration:
        start = grid.floor(free_end - min_duration - duration)
        if start >= piece.lo:
            yield start


def candidates(
    found: Sequence[Piece], duration: int, holes: Remainders, grid: Grid
) -> list[Candidate]:
    """Every interesting start of every piece, scored against its whole free interval."""
    scored: list[Candidate] = []
    for piece in found:
        free_start, free_end = piece.free
        stranded_before = holes.stranded(free_end - free_start)
        loss_before = holes.loss(free_end - free_start)
        for start in set(_starts(piece, duration, holes.min_length, grid)):
            left = start - free_start
            right = free_end - start - duration
            stranded = holes.stranded(left) + holes.stranded(right) - stranded_before
            eventual = holes.loss(left) + holes.loss(right) - loss_before
            scored.append(
                Candidate(
                    max(stranded, 0),
                    max(eventual, 0),
                    grid.half_day(start),
                    (left > 0) + (right > 0),
                    start,
                )
            )
    return scored


def _overlaps(start: int, chosen: Sequence[int], duration: int) -> bool:
    return any(abs(start - other) < duration for other in chosen)


def compact_starts(
    found: Sequence[Piece], duration: int, holes: Remainders, grid: Grid, count: int
) -> list[int]:
    """Up to `count` non-overlapping starts, best first (see the module's ranking).

    Choices go to distinct half-days first so the caller can pick a morning or an
    afternoon; starts that would strand more than the best one are never offered.
    """
    scored = candidates(found, duration, holes, grid)
    if not scored:
        return []
    least = min(c.stranded for c in scored)
    ranked = sorted(c for c in scored if c.stranded == least)
    chosen: list[int] = []
    used_half_days: set[int] = set()
    for distinct in (True, False):
        for candidate in ranked:
            if len(chosen) == count:
                return chosen
            if distinct and candidate.half_day in used_half_days:
                continue
            if _overlaps(candidate.start, chosen, duration):
                continue
            chosen.append(candidate.start)
            used_half_days.add(candidate.half_day)
    return chosen
