"""ICS import of the 4 778-event Google calendar of the corpus, against icalendar's own parse.

First import: empty cache, every event parsed and expanded over the default window
(30 days back, 12 months ahead); budget ≤ 1.2 × `icalendar.Calendar.from_ical` of the
same bytes. Re-import of the unchanged file with the cache of the first: budget ≤ 10 % of
that parse. The three are measured in turn, RUNS times, and their medians compared.
"""

from __future__ import annotations

import gc
import json
import re
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

import icalendar

from permanence.core.calendars import (
    ImportResult,
    MemoryComponentCache,
    Window,
    default_window,
    import_calendar,
)

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "calendars" / "real"
EVENTS = 4778
RUNS = 5
FIRST_BUDGET = 1.2
AGAIN_BUDGET = 0.10
_T = TypeVar("_T")


def _large_file() -> Path | None:
    """The corpus file with 4 778 VEVENTs, found through MANIFEST.json."""
    manifest = CORPUS / "MANIFEST.json"
    if not manifest.is_file():
        return None
    for entry in json.loads(manifest.read_text("utf-8"))["files"]:
        if entry.get("n_vevent") == EVENTS:
            return CORPUS / str(entry["file"])
    return None


def _timed(action: Callable[[], _T]) -> tuple[float, _T]:
    gc.collect()
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def _import(data: bytes, tz: ZoneInfo, window: Window, cache: MemoryComponentCache) -> ImportResult:
    return import_calendar(data, tz=tz, window=window, cache=cache)


def _verdict(ok: bool) -> str:
    return "OK" if ok else "HORS BUDGET"


def main() -> None:
    path = _large_file()
    if path is None or not path.is_file():
        print(f"ICS : corpus absent ({CORPUS}) ou sans fichier de {EVENTS} VEVENT, mesure sautée.")
        return
    data = path.read_bytes()
    # What Google sends at every download: the same events, every DTSTAMP new.
    restamped = re.sub(rb"DTSTAMP:\d{8}T\d{6}Z", b"DTSTAMP:20261123T070000Z", data)
    tz = ZoneInfo("Europe/Paris")
    window = default_window()
    parse, first, again, stamped = [], [], [], []
    for _ in range(RUNS):
        parse.append(_timed(partial(icalendar.Calendar.from_ical, data))[0])
        cache = MemoryComponentCache()
        seconds, result = _timed(partial(_import, data, tz, window, cache))
        first.append(seconds)
        seconds, warm = _timed(partial(_import, data, tz, window, cache))
        again.append(seconds)
        assert warm.stats.parsed_components == 0, "le ré-import a analysé des composants"
        seconds, warm = _timed(partial(_import, restamped, tz, window, cache))
        stamped.append(seconds)
        assert warm.stats.parsed_components == 0, "un DTSTAMP changé a fait analyser"
    p, f, a, s = (statistics.median(values) for values in (parse, first, again, stamped))
    print(f"Import ICS : {path.name} ({len(data) / 1e6:.2f} Mo, {result.events} VEVENT)")
    print(f"  fenêtre : {window[0]:%Y-%m-%d} → {window[1]:%Y-%m-%d}, médianes de {RUNS} essais")
    print(f"  icalendar Calendar.from_ical      : {p * 1000:7.0f} ms")
    print(
        f"  premier import (cache vide)       : {f * 1000:7.0f} ms  ratio {f / p:4.2f}×"
        f"  ({result.occurrences} créneaux occupés, "
        f"{result.stats.parsed_components} composants analysés)"
    )
    print(f"  budget : ≤ {FIRST_BUDGET}× from_ical → {_verdict(f / p <= FIRST_BUDGET)}")
    print(
        f"  ré-import du fichier inchangé     : {a * 1000:7.0f} ms  soit {a / p:.1%} de from_ical"
    )
    print(f"  budget : ≤ {AGAIN_BUDGET:.0%} de from_ical → {_verdict(a / p <= AGAIN_BUDGET)}")
    print(
        f"  ré-import, seuls les DTSTAMP changés : {s * 1000:4.0f} ms  soit {s / p:.1%} (0 analyse)"
    )


if __name__ == "__main__":
    main()
