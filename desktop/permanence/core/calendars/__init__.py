"""Practitioners' iCalendar feeds as busy time (Qt-free).

`import_calendar(data, tz=…, window=…, cache=…)` is the door; `ComponentCache` is the
storage contract of the per-event cache, `MemoryComponentCache` its in-memory form.
"""

from permanence.core.calendars.cache import (
    CachedOccurrence,
    CacheEntry,
    ComponentCache,
    MemoryComponentCache,
)
from permanence.core.calendars.importer import import_calendar
from permanence.core.calendars.model import (
    BusyInterval,
    CalendarImportError,
    ImportResult,
    ImportStats,
    Skipped,
    Window,
    ZoneMapping,
    default_window,
)

__all__ = [
    "BusyInterval",
    "CacheEntry",
    "CachedOccurrence",
    "CalendarImportError",
    "ComponentCache",
    "ImportResult",
    "ImportStats",
    "MemoryComponentCache",
    "Skipped",
    "Window",
    "ZoneMapping",
    "default_window",
    "import_calendar",
]
