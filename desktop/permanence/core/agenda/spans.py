"""Half-open time spans as integer seconds since the epoch: the fast arithmetic of the search.

Aware datetimes compare slowly (each comparison asks the zone for an offset); the slot
search converts its input once to `(start, end)` pairs of POSIX seconds and back at the end.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, tzinfo

from permanence.core.agenda.errors import AgendaError

Span = tuple[int, int]
Interval = tuple[datetime, datetime]


def require_aware(moment: datetime, label: str) -> None:
    """Refuse a naive datetime: without a zone, "9 h" could be any instant."""
    if not isinstance(moment, datetime):
        raise AgendaError(f"{label} : une date et une heure sont attendues (reçu {moment!r}).")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise AgendaError(
            f"{label} : la date et l'heure {moment:%d/%m/%Y %H:%M} n'indiquent pas de fuseau "
            "horaire."
        )


def positive_seconds(value: timedelta, label: str) -> int:
    """A duration in whole seconds, refused unless strictly positive."""
    if not isinstance(value, timedelta):
        raise AgendaError(f"{label} : une durée est attendue (reçu {value!r}).")
    seconds = int(value.total_seconds())
    if seconds <= 0:
        raise AgendaError(f"{label} doit être strictement positive (reçu {value}).")
    return seconds


def floor_seconds(moment: datetime) -> int:
    return math.floor(moment.timestamp())


def ceil_seconds(moment: datetime) -> int:
    return math.ceil(moment.timestamp())


def to_spans(intervals: Iterable[Interval], label: str, *, shrink: bool) -> list[Span]:
    """Convert and check intervals; `shrink` rounds inwards (open time), else outwards (busy)."""
    spans: list[Span] = []
    for interval in intervals:
        try:
            start, end = interval
        except (TypeError, ValueError):
            raise AgendaError(f"{label} : un intervalle (début, fin) est attendu.") from None
        require_aware(start, label)
        require_aware(end, label)
        if end < start:
            raise AgendaError(
                f"{label} : la fin ({end:%d/%m/%Y %H:%M}) précède le début "
                f"({start:%d/%m/%Y %H:%M})."
            )
        if shrink:
            spans.append((ceil_seconds(start), floor_seconds(end)))
        else:
            spans.append((floor_seconds(start), ceil_seconds(end)))
    return spans


def to_interval(span: Span, zone: tzinfo) -> Interval:
    return datetime.fromtimestamp(span[0], zone), datetime.fromtimestamp(span[1], zone)


def merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted union of spans; touching spans become one (an empty one disappears)."""
    merged: list[Span] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def subtract(base: Sequence[Span], cut: Sequence[Span]) -> list[Span]:
    """`base` minus `cut`, both merged: one sweep, linear in their lengths."""
    result: list[Span] = []
    first = 0
    for start, end in base:
        while first < len(cut) and cut[first][1] <= start:
            first += 1
        cursor = start
        index = first
        while index < len(cut) and cut[index][0] < end:
            if cut[index][0] > cursor:
                result.append((cursor, cut[index][0]))
            cursor = max(cursor, cut[index][1])
            index += 1
        if cursor < end:
            result.append((cursor, end))
    return result


def intersect(left: Sequence[Span], right: Sequence[Span]) -> list[Span]:
    """Intersection of two merged span lists, by a two-finger sweep."""
    result: list[Span] = []
    i = j = 0
    while i < len(left) and j < len(right):
        start = max(left[i][0], right[j][0])
        end = min(left[i][1], right[j][1])
        if start < end:
            result.append((start, end))
        if left[i][1] <= right[j][1]:
            i += 1
        else:
            j += 1
    return result
