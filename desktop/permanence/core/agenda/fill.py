"""Which holes the practitioner's appointment lengths can fill exactly.

A 25-minute hole is not "stranded" when the shortest appointment is 15 minutes, yet with
lengths of 15, 20, 30 and 45 minutes it can never be filled without losing 5 or 10: its
eventual loss is 5. The compact policy uses that loss to break ties between starts that
strand nothing today, so the agenda does not fill up with such dead ends.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from math import gcd

# Every multiple of the lengths' common unit beyond (longest length)² is a sum of lengths
# (the Frobenius bound); the table stops there, or at this size for odd lengths.
_MAX_UNITS = 4096


@lru_cache(maxsize=64)
def _best_fills(lengths: tuple[int, ...], units: int) -> tuple[int, ...]:
    """For k = 0..units, the largest sum of `lengths` (in units) that is at most k."""
    reachable = [False] * (units + 1)
    reachable[0] = True
    for total in range(1, units + 1):
        reachable[total] = any(length <= total and reachable[total - length] for length in lengths)
    best = [0] * (units + 1)
    for total in range(1, units + 1):
        best[total] = total if reachable[total] else best[total - 1]
    return tuple(best)


class Remainders:
    """Loss of a hole of free time given the bookable lengths, all in seconds."""

    def __init__(self, lengths: Sequence[int], min_length: int) -> None:
        self.min_length = min_length
        unit = 0
        for length in (*lengths, min_length):
            unit = gcd(unit, length)
        self.unit = unit
        units = tuple(sorted({length // unit for length in (*lengths, min_length)}))
        self.best = _best_fills(units, min(units[-1] ** 2, _MAX_UNITS))

    def stranded(self, gap: int) -> int:
        """Seconds lost now: the whole hole if not even the shortest appointment fits."""
        return gap if 0 < gap < self.min_length else 0

    def loss(self, gap: int) -> int:
        """Seconds lost even if the hole is later filled as well as the lengths allow."""
        if gap <= 0:
            return 0
        if gap < self.min_length:
            return gap
        units = gap // self.unit
        filled = units if units >= len(self.best) else self.best[units]
        return gap - filled * self.unit
