"""propose_slots, free_intervals and stranded_minutes on hand-made days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from permanence.core.agenda import (
    AgendaError,
    Slot,
    free_intervals,
    propose_slots,
    stranded_minutes,
)

PARIS = ZoneInfo("Europe/Paris")
MIN = timedelta(minutes=1)


def at(hour: int, minute: int = 0, day: int = 24, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS)


def hm(slots: list[Slot]) -> list[str]:
    return [f"{s.start:%d %H:%M}-{s.end:%H:%M}" for s in slots]


DAY = [(at(8, 30, day=day), at(12, day=day)) for day in (24, 25)] + [
    (at(14, day=day), at(19, day=day)) for day in (24, 25)
]  # two ordinary days, open periods deliberately not sorted
WHOLE_DAY = {"earliest": at(0), "latest": at(23, 59, day=25)}


def propose(
    busy: list[tuple[datetime, datetime]],
    minutes: int,
    *,
    policy: str = "compact",
    open_periods: list[tuple[datetime, datetime]] | None = None,
    **options: object,
) -> list[str]:
    window = {**WHOLE_DAY, "min_duration": 15 * MIN, **options}
    return hm(
        propose_slots(
            DAY if open_periods is None else open_periods,
            busy,
            minutes * MIN,
            policy=policy,  # type: ignore[arg-type]
            **window,  # type: ignore[arg-type]
        )
    )


class TestFirstFit:
    def test_earliest_non_overlapping_starts(self) -> None:
        busy = [(at(9), at(9, 30))]
        assert propose(busy, 30, policy="first_fit") == [
            "24 08:30-09:00",
            "24 09:30-10:00",
            "24 10:00-10:30",
        ]

    def test_count_is_respected(self) -> None:
        assert len(propose([], 15, policy="first_fit", count=5)) == 5
        assert len(propose([], 15, policy="first_fit", count=1)) == 1

    def test_starts_at_earliest_rounded_up_to_the_grid(self) -> None:
        slots = propose([], 20, policy="first_fit", earliest=at(10, 7) + timedelta(seconds=30))
        assert slots[0] == "24 10:10-10:30"


class TestCompact:
    def test_prefers_touching_and_spreads_over_half_days(self) -> None:
        # 9:00-9:30 and 10:40-11:50 taken: 8:30-9:00 fits a 30 exactly.
        busy = [(at(9), at(9, 30)), (at(10, 40), at(11, 50))]
        assert propose(busy, 30) == ["24 08:30-09:00", "24 14:00-14:30", "25 08:30-09:00"]

    def test_avoids_a_hole_shorter_than_the_shortest_appointment(self) -> None:
        # 8:30-9:10 free: a 30 there strands 10 minutes; 9:40-12:00 is free too.
        busy = [(at(9, 10), at(9, 40))]
        first_fit = propose(busy, 30, policy="first_fit")
        assert first_fit[0] == "24 08:30-09:00"
        assert propose(busy, 30, count=1) == ["24 09:40-10:10"]

    def test_fills_an_exact_hole_in_the_same_half_day(self) -> None:
        busy = [(at(8, 30), at(10)), (at(10, 20), at(12))]
        assert propose(busy, 20, count=1) == ["24 10:00-10:20"]

    def test_leaves_remainders_that_still_fit(self) -> None:
        # Only 8:30-9:40 is free: a 30 flush left leaves 40, fine.
        busy = [(at(9, 40), at(12))]
        slots = propose(busy, 30, latest=at(12))
        assert slots[0] == "24 08:30-09:00"

    def test_avoids_dead_end_remainders_given_the_durations(self) -> None:
        # On the 24th only 8:30-9:25 (55 min) and 14:00-14:35 (35 min) are free.
        periods = [(at(8, 30), at(12)), (at(14), at(19))]
        busy = [(at(9, 25), at(12)), (at(14, 35), at(19))]
        durations = [m * MIN for m in (15, 20, 30, 45)]
        # A 20 leaves 35 (= 15 + 20) or 15: both fillable, the earliest half-day wins.
        assert propose(busy, 20, open_periods=periods, count=1, durations=durations) == [
            "24 08:30-08:50"
        ]
        # A 30 leaves 25 in the first hole (no mix of 15/20/30/45 fills it: a dead end)
        # and strands 5 in the second: the dead end is the lesser evil.
        assert propose(busy, 30, open_periods=periods, count=1, durations=durations) == [
            "24 08:30-09:00"
        ]
        # With 45 minutes free the next morning (30 + 15), the dead end is avoided.
        more = [*periods, (at(8, 30, day=25), at(9, 15, day=25))]
        assert propose(busy, 30, open_periods=more, count=1, durations=durations) == [
            "25 08:30-09:00"
        ]

    def test_offers_stranding_starts_only_when_nothing_else_fits(self) -> None:
        busy = [(at(8, 30), at(11, 20)), (at(11, 55), at(12))]
        # Before noon only 11:20-11:55 (35 min) is free: a 30 strands 5 minutes there.
        assert propose(busy, 30, latest=at(12)) == ["24 11:20-11:50"]

    def test_grid_is_anchored_to_the_local_clock(self) -> None:
        # The free time starts at 10:33: starts stay on 10:35, 10:40 … not 10:33.
        busy = [(at(8, 30), at(10, 33))]
        for slot in propose_slots(
            DAY,
            busy,
            20 * MIN,
            earliest=at(0),
            latest=at(23),
            min_duration=15 * MIN,
            count=3,
            policy="first_fit",
        ):
            assert slot.start.minute % 5 == 0 and slot.start.second == 0
        assert propose(busy, 20, policy="first_fit")[0] == "24 10:35-10:55"

    def test_grid_with_a_quarter_hour_step(self) -> None:
        busy = [(at(8, 30), at(9, 5))]
        slots = propose(busy, 30, policy="first_fit", step=15 * MIN)
        assert slots[0] == "24 09:15-09:45"

    def test_window_holds_the_whole_slot(self) -> None:
        assert propose([], 30, earliest=at(11, 40), latest=at(14, 20)) == []
        assert propose([], 20, earliest=at(11, 40), latest=at(14, 20)) == [
            "24 11:40-12:00",
            "24 14:00-14:20",
        ]


class TestInput:
    def test_unsorted_overlapping_open_periods_and_busy_sticking_out(self) -> None:
        periods = [(at(14), at(19)), (at(8, 30), at(12)), (at(11), at(12))]
        busy = [(at(7), at(9)), (at(8), at(9, 30)), (at(18), at(20))]
        assert free_intervals(periods, busy) == [(at(9, 30), at(12)), (at(14), at(18))]
        assert propose(busy, 30, policy="first_fit", open_periods=periods)[0] == ("24 09:30-10:00")

    def test_results_are_in_the_zone_of_the_open_periods(self) -> None:
        busy_utc = [
            (datetime(2026, 11, 24, 7, 30, tzinfo=UTC), datetime(2026, 11, 24, 8, tzinfo=UTC))
        ]
        slots = propose_slots(
            DAY, busy_utc, 30 * MIN, earliest=at(0), latest=at(23), min_duration=15 * MIN
        )
        assert all(s.start.tzinfo is PARIS for s in slots)
        assert hm(slots)[0] == "24 09:00-09:30"  # 7:30-8:00 UTC is 8:30-9:00 in Paris

    def test_no_open_period_means_no_slot(self) -> None:
        assert propose([], 30, open_periods=[]) == []

    def test_slot_has_a_duration(self) -> None:
        slot = Slot(at(9), at(9, 30))
        assert slot.duration == 30 * MIN


class TestStranded:
    def test_counts_only_holes_shorter_than_the_shortest_appointment(self) -> None:
        busy = [(at(8, 40), at(9)), (at(9, 20), at(12)), (at(14, 5), at(19))]
        # holes: 8:30-8:40 (10, lost), 9:00-9:20 (20, usable), 14:00-14:05 (5, lost)
        assert stranded_minutes(DAY, busy, 15 * MIN) == 15
        assert stranded_minutes(DAY, busy, 25 * MIN) == 35

    def test_an_empty_day_strands_nothing(self) -> None:
        assert stranded_minutes(DAY, [], 15 * MIN) == 0

    def test_a_period_shorter_than_the_shortest_appointment_is_lost(self) -> None:
        assert stranded_minutes([(at(12), at(12, 10))], [], 15 * MIN) == 10


class TestValidation:
    @pytest.mark.parametrize(
        ("options", "words"),
        [
            ({"duration": 0 * MIN}, "durée du rendez-vous"),
            ({"duration": -5 * MIN}, "durée du rendez-vous"),
            ({"min_duration": 0 * MIN}, "durée minimale"),
            ({"earliest": at(12), "latest": at(11)}, "après sa fin"),
            ({"earliest": datetime(2026, 11, 24, 8)}, "fuseau"),
            ({"latest": datetime(2026, 11, 24, 20)}, "fuseau"),
            ({"policy": "random"}, "Stratégie de proposition inconnue"),
            ({"count": 0}, "au moins 1"),
            ({"step": 0 * MIN}, "pas de la grille"),
        ],
    )
    def test_bad_arguments(self, options: dict[str, object], words: str) -> None:
        arguments: dict[str, object] = {
            "duration": 30 * MIN,
            "earliest": at(0),
            "latest": at(23),
            "min_duration": 15 * MIN,
        }
        arguments.update(options)
        duration = arguments.pop("duration")
        with pytest.raises(AgendaError, match=words):
            propose_slots(DAY, [], duration, **arguments)  # type: ignore[arg-type]

    def test_naive_intervals_are_refused(self) -> None:
        with pytest.raises(AgendaError, match="fuseau"):
            propose_slots(
                [(datetime(2026, 11, 24, 8), datetime(2026, 11, 24, 12))],
                [],
                30 * MIN,
                earliest=at(0),
                latest=at(23),
                min_duration=15 * MIN,
            )
        with pytest.raises(AgendaError, match="fuseau"):
            stranded_minutes(DAY, [(datetime(2026, 11, 24, 9), at(10))], 15 * MIN)

    def test_an_interval_ending_before_it_starts_is_refused(self) -> None:
        with pytest.raises(AgendaError, match="précède le début"):
            free_intervals(DAY, [(at(10), at(9))])

    def test_agenda_error_is_a_value_error(self) -> None:
        with pytest.raises(ValueError):
            propose_slots(DAY, [], 0 * MIN, earliest=at(0), latest=at(23), min_duration=15 * MIN)

    def test_fixed_offset_zones_are_accepted(self) -> None:
        plus_one = timezone(timedelta(hours=1))
        periods = [
            (
                datetime(2026, 11, 24, 8, 30, tzinfo=plus_one),
                datetime(2026, 11, 24, 9, tzinfo=plus_one),
            )
        ]
        slots = propose_slots(
            periods, [], 30 * MIN, earliest=at(0), latest=at(23), min_duration=15 * MIN
        )
        assert hm(slots) == ["24 08:30-09:00"]
