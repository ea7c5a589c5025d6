"""The component cache: an unchanged feed is not parsed again, a change re-parses its group."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import timedelta

import pytest
from ics_helpers import PARIS, YEAR_2027, fixture_bytes, utc

from permanence.core.calendars import (
    CachedOccurrence,
    CacheEntry,
    CalendarImportError,
    ComponentCache,
    ImportResult,
    MemoryComponentCache,
    default_window,
    import_calendar,
)

RECURRENCES = fixture_bytes("recurrences.ics")
RECURRING_GROUPS = 6


def same_answer(first: ImportResult, second: ImportResult) -> bool:
    fields = ("events", "busy", "skipped", "zones", "warnings", "occurrences_total", "window")
    return all(getattr(first, name) == getattr(second, name) for name in fields)


def twice(data: bytes, changed: bytes, **options: object) -> tuple[ImportResult, ImportResult]:
    cache = MemoryComponentCache()
    first = import_calendar(data, tz=PARIS, window=YEAR_2027, cache=cache)
    return first, import_calendar(changed, tz=PARIS, window=YEAR_2027, cache=cache, **options)


@pytest.mark.parametrize(
    "name", ["recurrences.ics", "windows_zones.ics", "salvage.ics", "google_x_wr_timezone.ics"]
)
def test_an_unchanged_feed_is_not_parsed_again(name: str) -> None:
    data = fixture_bytes(name)
    first, second = twice(data, data)
    assert first.stats.parsed_components > 0
    assert second.stats.parsed_components == 0
    assert second.stats.parsed_groups == 0
    assert second.stats.reused_groups == second.stats.groups
    assert same_answer(first, second)


def test_a_dtstamp_only_change_parses_nothing() -> None:
    restamped = RECURRENCES.replace(b"DTSTAMP:20261120T101500Z", b"DTSTAMP:20261123T070000Z")
    assert restamped != RECURRENCES
    first, second = twice(RECURRENCES, restamped)
    assert second.stats.parsed_components == 0
    assert same_answer(first, second)


def test_a_change_in_one_event_reparses_only_its_group() -> None:
    changed = RECURRENCES.replace(b"SUMMARY:Mardi 10 h sauf le 9 mars", b"SUMMARY:Mardi 10 h")
    _, second = twice(RECURRENCES, changed)
    assert second.stats.parsed_groups == 1
    assert second.stats.parsed_components == 1
    assert {item.summary for item in second.busy if item.uid == "serie-exdate"} == {"Mardi 10 h"}


def test_a_changed_override_reparses_the_whole_series_it_belongs_to() -> None:
    changed = RECURRENCES.replace(b":20270311T150000", b":20270311T160000").replace(
        b":20270311T153000", b":20270311T163000"
    )
    _, second = twice(RECURRENCES, changed)
    assert second.stats.parsed_groups == 1
    assert second.stats.parsed_components == 2  # the master and its override
    moved = [item.start for item in second.busy if item.uid == "serie-deplacee"]
    assert utc(2027, 3, 11, 15) in moved


def test_a_sequence_change_is_a_real_change() -> None:
    changed = RECURRENCES.replace(b"SEQUENCE:1\nSUMMARY:Vendredi", b"SEQUENCE:2\nSUMMARY:Vendredi")
    assert changed != RECURRENCES
    _, second = twice(RECURRENCES, changed)
    assert second.stats.parsed_groups == 1


def test_a_removed_event_leaves_the_cache() -> None:
    cache = MemoryComponentCache()
    import_calendar(RECURRENCES, tz=PARIS, window=YEAR_2027, cache=cache)
    assert "UID:serie-rdate" in set(cache.keys())
    start = RECURRENCES.index(b"BEGIN:VEVENT\nUID:serie-rdate")
    end = RECURRENCES.index(b"END:VEVENT\n", start) + len(b"END:VEVENT\n")
    result = import_calendar(
        RECURRENCES[:start] + RECURRENCES[end:], tz=PARIS, window=YEAR_2027, cache=cache
    )
    assert "UID:serie-rdate" not in set(cache.keys())
    assert result.stats.parsed_components == 0
    assert all(item.uid != "serie-rdate" for item in result.busy)


def test_a_window_the_entries_do_not_cover_re_expands_the_series_only() -> None:
    cache = MemoryComponentCache()
    data = RECURRENCES + fixture_bytes("floating.ics")
    import_calendar(data, tz=PARIS, window=YEAR_2027, cache=cache)
    later = (utc(2028, 1, 1), utc(2029, 1, 1))
    result = import_calendar(data, tz=PARIS, window=later, cache=cache)
    assert result.stats.parsed_groups == RECURRING_GROUPS
    assert result.stats.reused_groups == 2  # the two floating events, expanded for all time


def test_the_default_window_sliding_by_a_day_keeps_the_cache() -> None:
    cache = MemoryComponentCache()
    monday = utc(2027, 3, 8, 10)
    import_calendar(RECURRENCES, tz=PARIS, window=default_window(monday), cache=cache)
    tuesday = import_calendar(
        RECURRENCES, tz=PARIS, window=default_window(monday + timedelta(days=1)), cache=cache
    )
    assert tuesday.stats.parsed_components == 0


def test_another_practitioner_zone_reparses_everything() -> None:
    cache = MemoryComponentCache()
    data = fixture_bytes("floating.ics")
    import_calendar(data, tz=PARIS, window=YEAR_2027, cache=cache)
    other = import_calendar(
        data, tz=PARIS.__class__("Europe/London"), window=YEAR_2027, cache=cache
    )
    assert other.stats.parsed_groups == 2
    assert other.busy[0].start == utc(2027, 1, 12, 9)


def test_a_changed_vtimezone_reparses_the_events_using_it() -> None:
    data = fixture_bytes("windows_zones.ics")
    changed = data.replace(
        b"TZOFFSETFROM:-0400\nTZOFFSETTO:-0500", b"TZOFFSETFROM:-0300\nTZOFFSETTO:-0600", 1
    )
    assert changed != data
    _, second = twice(data, changed)
    assert second.stats.parsed_groups == 1
    assert [item.start for item in second.busy if item.uid == "personnalise"] == [
        utc(2027, 1, 12, 16)
    ]


def test_a_feed_that_fails_keeps_the_cache_of_the_last_good_one() -> None:
    cache = MemoryComponentCache()
    import_calendar(RECURRENCES, tz=PARIS, window=YEAR_2027, cache=cache)
    keys = set(cache.keys())
    with pytest.raises(CalendarImportError):
        import_calendar(b"<html>502</html>", tz=PARIS, window=YEAR_2027, cache=cache)
    assert set(cache.keys()) == keys


def test_entries_hold_raw_text_hash_window_and_utc_occurrences() -> None:
    cache = MemoryComponentCache()
    import_calendar(RECURRENCES, tz=PARIS, window=YEAR_2027, cache=cache)
    entry = cache.get("UID:serie-deplacee")
    assert entry is not None
    assert entry.raw_text.count("BEGIN:VEVENT") == 2
    assert "RECURRENCE-ID;TZID=Europe/Paris:20270310T110000" in entry.raw_text
    assert len(entry.digest) == 64
    assert entry.window[0] <= YEAR_2027[0] and entry.window[1] >= YEAR_2027[1]
    assert entry.events == 2
    assert [item.start for item in entry.occurrences] == [
        utc(2027, 3, 3, 10),
        utc(2027, 3, 11, 14),
        utc(2027, 3, 17, 10),
    ]
    assert all(isinstance(item, tuple) and item.busy for item in entry.occurrences)


class ComponentCacheContract(ABC):
    """What every ComponentCache backend must do; a backend's test subclasses this."""

    @abstractmethod
    def make(self) -> ComponentCache:
        """A fresh, empty cache of the backend under test."""

    def entry(self, digest: str = "a" * 64) -> CacheEntry:
        occurrence = CachedOccurrence(utc(2027, 1, 12, 8), utc(2027, 1, 12, 9), "RDV", None, True)
        return CacheEntry(
            "uid-1", "BEGIN:VEVENT\r\n…\r\nEND:VEVENT\r\n", digest, YEAR_2027, (occurrence,), 1
        )

    def test_get_returns_what_put_stored(self) -> None:
        cache = self.make()
        assert cache.get("UID:uid-1") is None
        cache.put("UID:uid-1", self.entry())
        assert cache.get("UID:uid-1") == self.entry()

    def test_put_replaces(self) -> None:
        cache = self.make()
        cache.put("UID:uid-1", self.entry())
        cache.put("UID:uid-1", self.entry("b" * 64))
        stored = cache.get("UID:uid-1")
        assert stored is not None and stored.digest == "b" * 64

    def test_keys_and_remove(self) -> None:
        cache = self.make()
        cache.put("UID:uid-1", self.entry())
        cache.put("VTIMEZONE:Permanence-x", self.entry())
        assert set(cache.keys()) == {"UID:uid-1", "VTIMEZONE:Permanence-x"}
        cache.remove("UID:uid-1")
        cache.remove("UID:absent")
        assert set(cache.keys()) == {"VTIMEZONE:Permanence-x"}
        assert cache.get("UID:uid-1") is None

    def test_an_import_through_the_backend_reuses_it(self) -> None:
        cache = self.make()
        import_calendar(RECURRENCES, tz=PARIS, window=YEAR_2027, cache=cache)
        again = import_calendar(RECURRENCES, tz=PARIS, window=YEAR_2027, cache=cache)
        assert again.stats.parsed_components == 0


class TestMemoryComponentCache(ComponentCacheContract):
    def make(self) -> ComponentCache:
        return MemoryComponentCache()
