"""The 147 real calendars of ../shared/calendars/real through import-ics and the import core.

MANIFEST.json says what icalendar 7.3 / recurring-ical-events 3.8 make of each file: the
VEVENT counts must match, and the occurrences of 2020-2030 too (the manifest used a
naive window, read in each event's own zone: our UTC window may differ for an event
within a day of its ends, hence the check between a window 2 days narrower and one 2
days wider).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from ics_helpers import PARIS, utc

from permanence.core.calendars import CalendarImportError, MemoryComponentCache, import_calendar

_MANIFEST = Path(__file__).resolve().parents[3].parent / "shared/calendars/real/MANIFEST.json"
ENTRIES: dict[str, dict[str, Any]] = (
    {entry["file"]: entry for entry in json.loads(_MANIFEST.read_text("utf-8"))["files"]}
    if _MANIFEST.is_file()
    else {}
)
NAMES = sorted(ENTRIES) or ["(corpus absent)"]
#: Files for which the manifest has an occurrence count (parsed, VEVENTs, expansion worked).
COUNTED = (
    sorted(
        name
        for name, entry in ENTRIES.items()
        if entry["parses"] and entry["n_vevent"] and not entry.get("occurrences_2020_2030_error")
    )
    or NAMES
)
DECADE = (utc(2020, 1, 1), utc(2030, 1, 1))
MARGIN = timedelta(days=2)


def _vevents_skipped(skipped: list[dict[str, Any]]) -> int:
    return sum(1 for item in skipped if item["component"] == "VEVENT")


@pytest.mark.parametrize("name", NAMES)
def test_every_real_file_goes_through_import_ics(
    name: str, real_calendars: Path, run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    arguments = ["--dry-run", "--json", "--from", "2020-01-01", "--to", "2029-12-31"]
    code, out, err = run_cli(str(real_calendars / name), *arguments)
    assert code in (0, 2)
    assert "Traceback" not in out + err and "erreur inattendue" not in err
    entry = ENTRIES[name]
    if code == 2:
        assert out == ""
        assert err.count("\n") == 1 and err.strip()
        assert (
            not entry["parses"]
            or entry["n_vevent"] == 0
            or entry.get("occurrences_2020_2030_error")
        ), "a file icalendar reads without trouble must not be refused"
        return
    payload = json.loads(out)
    assert err == ""
    assert payload["events"] > 0
    assert set(payload) >= {"events", "occurrences", "skipped", "zones", "warnings", "window"}
    if entry["parses"]:
        skipped = _vevents_skipped(payload["skipped"])
        assert payload["events"] + skipped == entry["n_vevent"]
        # Components are skipped exactly where recurring-ical-events fails on the file.
        assert bool(skipped) == bool(entry.get("occurrences_2020_2030_error"))


@pytest.mark.parametrize("name", COUNTED)
def test_occurrences_match_the_manifest(name: str, real_calendars: Path) -> None:
    expected = ENTRIES[name]["occurrences_2020_2030"]
    data = (real_calendars / name).read_bytes()
    cache = MemoryComponentCache()
    wide = import_calendar(
        data, tz=PARIS, window=(DECADE[0] - MARGIN, DECADE[1] + MARGIN), cache=cache
    )
    exact = import_calendar(data, tz=PARIS, window=DECADE, cache=cache)
    narrow = import_calendar(
        data, tz=PARIS, window=(DECADE[0] + MARGIN, DECADE[1] - MARGIN), cache=cache
    )
    assert narrow.occurrences_total <= expected <= wide.occurrences_total
    if narrow.occurrences_total == wide.occurrences_total:
        assert exact.occurrences_total == expected
    # Narrower windows are served by the cache of the wide one.
    assert exact.stats.parsed_components == narrow.stats.parsed_components == 0


@pytest.mark.parametrize("name", NAMES)
def test_a_real_file_imported_again_is_not_parsed_again(name: str, real_calendars: Path) -> None:
    data = (real_calendars / name).read_bytes()
    cache = MemoryComponentCache()
    try:
        first = import_calendar(data, tz=PARIS, cache=cache)
    except CalendarImportError as error:
        with pytest.raises(CalendarImportError) as again:
            import_calendar(data, tz=PARIS, cache=cache)
        assert str(again.value) == str(error)
        return
    second = import_calendar(data, tz=PARIS, cache=cache)
    assert second.stats.parsed_components == 0
    assert (second.events, second.busy, second.skipped) == (first.events, first.busy, first.skipped)


def _broken_by(fragment: str) -> list[str]:
    """Files icalendar rejects as a whole because of `fragment` in its error."""
    return sorted(
        name
        for name, entry in ENTRIES.items()
        if not entry["parses"] and fragment in (entry["parse_error"] or "")
    )


@pytest.mark.parametrize(
    ("fragment", "component"),
    [("mandatory TZID", "VTIMEZONE"), ("Invalid iCalendar duration", "VALARM")],
    ids=["empty-tzid", "bad-alarm"],
)
def test_partially_broken_real_calendars_are_salvaged(
    fragment: str, component: str, real_calendars: Path
) -> None:
    names = _broken_by(fragment)
    assert names, f"le manifeste ne signale plus de fichier rejeté pour « {fragment} »"
    for name in names:
        result = import_calendar((real_calendars / name).read_bytes(), tz=PARIS, window=DECADE)
        assert result.events > 0, name
        assert component in {item.component for item in result.skipped}, name
        assert not any(item.component == "VEVENT" for item in result.skipped), name
