"""Properties of propose_slots, checked against a brute-force oracle on small agendas.

The oracle tries every start of the step grid (local wall clock, day by day) and keeps
the feasible ones: inside an open period, free, inside the window. Days around the DST
changes of Europe/Paris are among the generated dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from permanence.core.agenda import Slot, free_intervals, propose_slots, stranded_minutes

PARIS = ZoneInfo("Europe/Paris")
MIN = timedelta(minutes=1)
DAYS = 2
FIRST_DAYS = [date(2026, 11, 23), date(2027, 3, 27), date(2026, 10, 24), date(2026, 3, 28)]
Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Case:
    first_day: date
    open_periods: list[Interval]
    busy: list[Interval]
    duration: timedelta
    min_duration: timedelta
    step: timedelta
    earliest: datetime
    latest: datetime
    count: int

    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=n) for n in range(DAYS)]


def _local(day: date, minute: int) -> datetime:
    """A wall-clock minute of a day (6 h to 21 h: far from the DST change at night)."""
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=PARIS)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    first_day = draw(st.sampled_from(FIRST_DAYS))
    days = [first_day + timedelta(days=n) for n in range(DAYS)]

    def interval(longest: int) -> Interval:
        day = draw(st.sampled_from(days))
        start = draw(st.integers(6 * 60, 20 * 60))
        length = draw(st.integers(1, longest))
        return _local(day, start), _local(day, min(start + length, 21 * 60))

    open_periods = [interval(300) for _ in range(draw(st.integers(1, 4)))]
    busy = [interval(120) for _ in range(draw(st.integers(0, 8)))]
    step = draw(st.sampled_from([5, 10, 15])) * MIN
    earliest = _local(draw(st.sampled_from(days)), draw(st.integers(0, 23 * 60)))
    latest = earliest + draw(st.integers(0, DAYS * 24 * 60)) * MIN
    return Case(
        first_day,
        open_periods,
        busy,
        draw(st.integers(5, 90)) * MIN,
        draw(st.integers(5, 45)) * MIN,
        step,
        earliest,
        latest,
        draw(st.integers(1, 4)),
    )


def run(case: Case, policy: str, durations: list[timedelta] | None = None) -> list[Slot]:
    return propose_slots(
        case.open_periods,
        case.busy,
        case.duration,
        earliest=case.earliest,
        latest=case.latest,
        min_duration=case.min_duration,
        count=case.count,
        policy=policy,  # type: ignore[arg-type]
        step=case.step,
        durations=durations or (),
    )


def inside_one(start: datetime, end: datetime, intervals: list[Interval]) -> bool:
    return any(s <= start and end <= e for s, e in intervals)


def merged_open(case: Case) -> list[Interval]:
    return free_intervals(case.open_periods, [])


def feasible(case: Case, start: datetime) -> bool:
    end = start + case.duration
    return (
        case.earliest <= start
        and end <= case.latest
        and inside_one(start, end, merged_open(case))
        and all(end <= s or start >= e for s, e in case.busy)
    )


def grid_starts(case: Case) -> list[datetime]:
    step = int(case.step / MIN)
    return [
        _local(day, minute)
        for day in case.days()
        for minute in range(0, 24 * 60, step)
        if minute + int(case.duration / MIN) <= 24 * 60
    ]


def feasible_starts(case: Case) -> list[datetime]:
    return [start for start in grid_starts(case) if feasible(case, start)]


def new_stranded(case: Case, start: datetime) -> int:
    before = stranded_minutes(case.open_periods, case.busy, case.min_duration)
    after = stranded_minutes(
        case.open_periods, [*case.busy, (start, start + case.duration)], case.min_duration
    )
    return max(after - before, 0)


PROPERTIES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTIES
@given(cases(), st.sampled_from(["compact", "first_fit"]))
def test_every_proposal_is_feasible_on_the_grid_and_distinct(case: Case, policy: str) -> None:
    slots = run(case, policy)
    assert len(slots) <= case.count
    for slot in slots:
        assert slot.end - slot.start == case.duration
        local = slot.start.astimezone(PARIS)
        assert local.second == 0 and local.microsecond == 0
        assert (local.hour * 60 + local.minute) % int(case.step / MIN) == 0
        assert feasible(case, slot.start), slot
    ordered = sorted(slots, key=lambda s: s.start)
    for first, second in pairwise(ordered):
        assert first.end <= second.start


@PROPERTIES
@given(cases(), st.sampled_from(["compact", "first_fit"]))
def test_a_slot_is_proposed_whenever_one_is_possible(case: Case, policy: str) -> None:
    assert bool(run(case, policy)) == bool(feasible_starts(case))


@PROPERTIES
@given(cases())
def test_first_fit_proposes_the_earliest_starts(case: Case) -> None:
    slots = run(case, "first_fit")
    possible = feasible_starts(case)
    if possible:
        assert slots[0].start == possible[0]
    assert [s.start for s in slots] == sorted(s.start for s in slots)


@PROPERTIES
@given(cases(), st.booleans())
def test_compact_strands_as_little_as_possible(case: Case, with_durations: bool) -> None:
    durations = [m * MIN for m in (15, 20, 30, 45)] if with_durations else None
    slots = run(case, "compact", durations)
    possible = feasible_starts(case)
    if not possible:
        assert slots == []
        return
    least = min(new_stranded(case, start) for start in possible)
    first_fit = run(case, "first_fit")
    for slot in slots:
        assert new_stranded(case, slot.start) == least
    if least == 0:
        assert new_stranded(case, slots[0].start) <= new_stranded(case, first_fit[0].start)
