"""The component cache: per UID group, raw text, hash and expanded occurrences (khal-style).

The protocol is small so that a database table can back it; entries are plain frozen
values. An entry expanded for a window that does not cover the one asked for is
expanded again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import metadata
from typing import NamedTuple, Protocol

from permanence.core.calendars.model import Skipped, Window

#: Bumped when the import logic changes, so that every cached entry is computed again.
FORMAT_VERSION = "permanence-ics-1"
#: The window of entries whose occurrences do not depend on it (no RRULE / RDATE).
ALL_TIME: Window = (datetime(1900, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC))


class CachedOccurrence(NamedTuple):
    """One occurrence in UTC; `busy` is False for all-day, transparent, cancelled, free."""

    start: datetime
    end: datetime
    summary: str
    recurrence_id: datetime | None
    busy: bool


def overlaps(occurrence: CachedOccurrence, window: Window) -> bool:
    """recurring-ical-events' rule: starts inclusive, ends exclusive."""
    if occurrence.start == occurrence.end:
        return window[0] <= occurrence.start < window[1]
    return occurrence.start < window[1] and window[0] < occurrence.end


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """What one UID group (or one VTIMEZONE) gave, and the text and window it came from."""

    uid: str | None
    raw_text: str
    digest: str
    window: Window
    occurrences: tuple[CachedOccurrence, ...]
    events: int
    skipped: tuple[Skipped, ...] = ()
    warnings: tuple[str, ...] = ()
    floating: bool = False

    def covers(self, window: Window) -> bool:
        """Whether the occurrences were expanded over all of `window`."""
        return self.window[0] <= window[0] and window[1] <= self.window[1]


class ComponentCache(Protocol):
    """Storage of cache entries by key ("UID:…", "SANS-UID:…", "VTIMEZONE:…")."""

    def get(self, key: str) -> CacheEntry | None: ...

    def put(self, key: str, entry: CacheEntry) -> None: ...

    def keys(self) -> Iterable[str]: ...

    def remove(self, key: str) -> None: ...


class MemoryComponentCache:
    """A ComponentCache in a dict (one per calendar source)."""

    def __init__(self) -> None:
        self._entries: dict[str, CacheEntry] = {}

    def get(self, key: str) -> CacheEntry | None:
        return self._entries.get(key)

    def put(self, key: str, entry: CacheEntry) -> None:
        self._entries[key] = entry

    def keys(self) -> Iterable[str]:
        return list(self._entries)

    def remove(self, key: str) -> None:
        self._entries.pop(key, None)

    def __len__(self) -> int:
        return len(self._entries)


@cache
def library_versions() -> str:
    """Versions that shape the result: a new library version recomputes the cache."""
    names = ("icalendar", "recurring-ical-events", "x-wr-timezone")
    return "|".join([FORMAT_VERSION, *(f"{name}={_version(name)}" for name in names)])


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"
