"""The grid of start times: multiples of the step counted from local midnight.

A practitioner expects starts such as 10 h 30 or 10 h 35 whatever the period start or the
end of the previous appointment, so the grid is anchored to the wall clock of the agenda's
zone, not to the period start: with a 5-minute step, a start is on the grid when its local
time is a whole number of 5-minute steps after midnight (seconds at zero).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

DAY = 86_400
_HALF_DAY_SPLIT = 13 * 3600  # starts before 13 h are "le matin", later ones "l'après-midi"


@dataclass(frozen=True)
class Grid:
    """Start-time grid of `step` seconds in the local time of `zone`."""

    zone: tzinfo
    step: int

    def local(self, instant: int) -> int:
        """Seconds since the epoch as read on a local wall clock (offset added)."""
        offset = datetime.fromtimestamp(instant, self.zone).utcoffset()
        return instant + (int(offset.total_seconds()) if offset is not None else 0)

    def ceil(self, instant: int) -> int:
        """First grid start at or after `instant` (a DST change re-checks once more)."""
        for _ in range(3):
            remainder = self.local(instant) % self.step
            if remainder == 0:
                break
            instant += self.step - remainder
        return instant

    def floor(self, instant: int) -> int:
        """Last grid start at or before `instant`."""
        for _ in range(3):
            remainder = self.local(instant) % self.step
            if remainder == 0:
                break
            instant -= remainder
        return instant

    def half_day(self, instant: int) -> int:
        """Index of the local half-day (morning / afternoon) holding `instant`."""
        local = self.local(instant)
        return (local // DAY) * 2 + (1 if local % DAY >= _HALF_DAY_SPLIT else 0)
