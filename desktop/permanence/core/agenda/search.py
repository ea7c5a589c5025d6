"""The search space of one request: free time cut into pieces where a slot can start.

A piece keeps its enclosing free interval, because holes are measured on the agenda's free
time, not on the part a caller's preferences or an appointment type's window allow.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import NamedTuple

from permanence.core.agenda.grid import Grid
from permanence.core.agenda.spans import Span, intersect


class Piece(NamedTuple):
    """Starts `lo`..`hi` (on the grid, inclusive) lie in the free interval `free`."""

    free: Span
    lo: int
    hi: int


def pieces(
    free: Sequence[Span],
    allowed: Sequence[Span] | None,
    window: Span,
    duration: int,
    grid: Grid,
) -> list[Piece]:
    """Pieces of free time, in time order, where a slot of `duration` fits in the window."""
    earliest, latest = window
    first = bisect_right([end for _, end in free], earliest)
    result: list[Piece] = []
    for free_span in free[first:]:
        if free_span[0] >= latest:
            break
        parts = [free_span] if allowed is None else intersect([free_span], allowed)
        for start, end in parts:
            lo = grid.ceil(max(start, earliest))
            hi = grid.floor(min(end, latest) - duration)
            if lo <= hi:
                result.append(Piece(free_span, lo, hi))
    return result


def first_fit_starts(found: Sequence[Piece], duration: int, grid: Grid, count: int) -> list[int]:
    """The `count` earliest non-overlapping starts: what every web agenda offers."""
    starts: list[int] = []
    for piece in found:
        start = piece.lo
        while start <= piece.hi and len(starts) < count:
            starts.append(start)
            start = grid.ceil(start + duration)
        if len(starts) == count:
            break
    return starts
