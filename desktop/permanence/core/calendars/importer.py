"""Import one iCalendar file as busy time: split, hash, reuse the cache, parse what changed.

A re-import of an unchanged feed only splits and hashes the text. Recurring groups are
expanded over the asked window widened to whole months, so a window that slides by a
day (the default one) still finds its occurrences in the cache; other groups are
expanded once for all time.

No `warnings.catch_warnings` here: it is not thread-safe and imports run on worker
threads. icalendar's only warning (a guessed "/vendor/Area/City" TZID) cannot fire
because every TZID is rewritten first; anything unforeseen that raises inside a
component only skips that component.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from permanence.core.calendars.cache import (
    ALL_TIME,
    CachedOccurrence,
    CacheEntry,
    ComponentCache,
    MemoryComponentCache,
    library_versions,
    overlaps,
)
from permanence.core.calendars.expansion import ExpansionError, expand
from permanence.core.calendars.grouping import EventGroup, group_events
from permanence.core.calendars.model import (
    BusyInterval,
    CalendarImportError,
    ImportResult,
    ImportStats,
    Skipped,
    Window,
    ZoneMapping,
    check_window,
    default_window,
)
from permanence.core.calendars.parsing import ParseCounter, ParsedGroup, parse_group, short
from permanence.core.calendars.resolver import ZoneResolver
from permanence.core.calendars.splitter import SplitCalendar, decode, split_calendar
from permanence.core.calendars.zones import file_timezones

_T = TypeVar("_T")


def import_calendar(
    data: bytes,
    *,
    tz: ZoneInfo,
    window: Window | None = None,
    cache: ComponentCache | None = None,
) -> ImportResult:
    """Busy time of an iCalendar file in `window` (default: 30 days back, 12 months ahead).

    Raises CalendarImportError (French message) when nothing usable is found, and nothing
    else whatever the bytes; ValueError only for a naive or empty window.
    """
    requested = check_window(window or default_window())
    try:
        text, note = decode(data)
        store = MemoryComponentCache() if cache is None else cache
        return _Import(tz, requested, store, split_calendar(text)).run(note)
    except CalendarImportError:
        raise
    except Exception as error:
        raise CalendarImportError(
            f"Fichier illisible : erreur inattendue ({type(error).__name__} : {short(error)})."
        ) from error


def expansion_window(window: Window) -> Window:
    """`window` widened to whole months (UTC)."""
    start = window[0].replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = window[1]
    floor = end.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if floor != end:
        floor = datetime(floor.year + floor.month // 12, floor.month % 12 + 1, 1, tzinfo=UTC)
    return start, floor


class _Import:
    def __init__(
        self, tz: ZoneInfo, window: Window, cache: ComponentCache, split: SplitCalendar
    ) -> None:
        self.tz = tz
        self.window = window
        self.cache = cache
        self.split = split
        self.counter = ParseCounter()
        timezones, self.unnamed_zones = file_timezones(split.blocks)
        self.resolver = ZoneResolver(tz, timezones, cache, self.counter)
        self.x_wr_zone = self.resolver.x_wr_timezone(split.properties.get("X-WR-TIMEZONE"))

    def run(self, note: str | None) -> ImportResult:
        groups, incomplete = group_events(self.split.blocks)
        entries = [self._entry(group) for group in groups]
        parsed = sum(1 for _, fresh in entries if fresh)
        stats = ImportStats(len(groups), parsed, len(groups) - parsed, self.counter.parses)
        skipped = [*self.unnamed_zones, *incomplete]
        result = self._result(note, [entry for entry, _ in entries], skipped, stats)
        if result.events == 0:
            raise CalendarImportError(_nothing_usable(result.skipped, self.split))
        self._prune({group.key for group in groups} | self.resolver.cache_keys)
        return result

    def _entry(self, group: EventGroup) -> tuple[CacheEntry, bool]:
        signatures = ",".join(self.resolver.signature(raw) for raw in group.tzids)
        x_wr = self.x_wr_zone.key if self.x_wr_zone else ""
        digest = group.digest(f"{library_versions()}|{self.tz.key}|{x_wr}|{signatures}")
        entry = self.cache.get(group.key)
        if entry is not None and entry.digest == digest and entry.covers(self.window):
            return entry, False
        entry = self._build(group, digest)
        self.cache.put(group.key, entry)
        return entry, True

    def _build(self, group: EventGroup, digest: str) -> CacheEntry:
        window = expansion_window(self.window) if group.recurring else ALL_TIME
        window = (min(window[0], self.window[0]), max(window[1], self.window[1]))
        occurrences: tuple[CachedOccurrence, ...] = ()
        floating = False
        try:
            parsed = parse_group(group, self.resolver.rewrite, self.counter)
        except Exception as error:
            reason = f"Événement illisible ({short(error)}) : ignoré."
            parsed = ParsedGroup(skipped=[Skipped(group.uid, reason) for _ in group.blocks])
        if parsed.events:
            try:
                occurrences, floating = expand(
                    parsed.events, practitioner=self.tz, x_wr_zone=self.x_wr_zone, window=window
                )
            except Exception as error:
                reason = (
                    str(error)
                    if isinstance(error, ExpansionError)
                    else (f"Récurrence impossible à calculer ({short(error)}) : série ignorée.")
                )
                parsed.skipped.extend(Skipped(group.uid, reason) for _ in parsed.events)
                parsed.events = []
        return CacheEntry(
            uid=group.uid,
            raw_text=group.raw_text,
            digest=digest,
            window=window,
            occurrences=occurrences,
            events=len(parsed.events),
            skipped=tuple(parsed.skipped),
            warnings=tuple(parsed.warnings),
            floating=floating,
        )

    def _result(
        self,
        note: str | None,
        entries: list[CacheEntry],
        skipped: list[Skipped],
        stats: ImportStats,
    ) -> ImportResult:
        busy: list[BusyInterval] = []
        total = 0
        for entry in entries:
            for item in entry.occurrences:
                if overlaps(item, self.window):
                    total += 1
                    if item.busy:
                        busy.append(
                            BusyInterval(
                                entry.uid, item.start, item.end, item.summary, item.recurrence_id
                            )
                        )
        busy.sort(key=lambda item: (item.start, item.end, item.uid or ""))
        zones = list(self.resolver.mappings.values())
        if any(entry.floating for entry in entries):
            zones.append(ZoneMapping("(heure flottante)", self.tz.key, "floating"))
        warnings = [*_file_warnings(self.split, note), *self.resolver.warnings]
        warnings.extend(text for entry in entries for text in entry.warnings)
        all_skipped = [*skipped, *self.resolver.skipped]
        all_skipped.extend(item for entry in entries for item in entry.skipped)
        return ImportResult(
            events=sum(entry.events for entry in entries),
            busy=tuple(busy),
            skipped=tuple(all_skipped),
            zones=tuple(zones),
            warnings=_unique(warnings),
            window=self.window,
            occurrences_total=total,
            stats=stats,
        )

    def _prune(self, seen: set[str]) -> None:
        for key in list(self.cache.keys()):
            if key not in seen:
                self.cache.remove(key)


def _unique(items: Iterable[_T]) -> tuple[_T, ...]:
    return tuple(dict.fromkeys(items))


def _label(name: str) -> str:
    """A component name fit for a message (fuzzed files put control characters there)."""
    return name if name.isprintable() and name.strip() else "(sans nom)"


def _file_warnings(split: SplitCalendar, note: str | None) -> list[str]:
    found = [note] if note else []
    if split.calendar_begun and not split.calendar_ended:
        found.append("Fin du calendrier (END:VCALENDAR) absente : fichier peut-être tronqué.")
    if not split.calendar_begun and split.blocks:
        found.append("Fichier sans BEGIN:VCALENDAR : composants lus un par un.")
    if split.stray_lines:
        found.append(f"{split.stray_lines} ligne(s) hors de tout composant ignorée(s).")
    for name, count in sorted(split.ignored.items()):
        found.append(
            f"{count} composant(s) {_label(name)} ignoré(s) : seuls les événements "
            "(VEVENT) comptent."
        )
    scale = split.properties.get("CALSCALE", "GREGORIAN").upper()
    if scale != "GREGORIAN":
        found.append(f"Échelle de calendrier {scale} non gérée : dates lues comme grégoriennes.")
    return found


def _nothing_usable(skipped: Sequence[Skipped], split: SplitCalendar) -> str:
    message = "Aucun événement exploitable dans ce fichier"
    if skipped:
        events = [item for item in skipped if item.component == "VEVENT"]
        first = (events or list(skipped))[0]
        who = f"{first.component} {first.uid}" if first.uid else first.component
        detail = f"{len(skipped)} composant(s) ignoré(s), dont {who} : {first.reason}"
    elif split.ignored:
        kinds = ", ".join(f"{n} {_label(name)}" for name, n in split.ignored.items())
        detail = f"il ne contient que : {kinds}"
    else:
        detail = "aucun composant VEVENT : est-ce bien un fichier iCalendar ?"
    return " ".join(f"{message} ({detail}).".split())
