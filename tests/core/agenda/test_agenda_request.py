"""propose_for_request: triage level, urgent-only motifs, buffers, windows, preferences."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from permanence.core.agenda import (
    NO_SLOT,
    VITAL_REFUSAL,
    WORKING_WEEKDAYS,
    Absence,
    Agenda,
    AgendaError,
    AppointmentType,
    Booking,
    BookingRefused,
    PartOfDay,
    Preferences,
    Proposal,
    WeeklyPeriod,
    WeeklyTemplate,
    latest_for_level,
    phrase_proposals,
    propose_for_request,
)

PARIS = ZoneInfo("Europe/Paris")
MIN = timedelta(minutes=1)
MONDAY = date(2026, 11, 23)
TEMPLATE = WeeklyTemplate(
    (
        WeeklyPeriod(time(8, 30), time(12, 15), WORKING_WEEKDAYS),
        WeeklyPeriod(time(14), time(19), WORKING_WEEKDAYS),
    )
)
CONSULT = AppointmentType("Consultation", 20 * MIN)
URGENT = AppointmentType(
    "Urgence",
    15 * MIN,
    windows=(WeeklyPeriod(time(11, 45), time(12, 15), WORKING_WEEKDAYS),),
    urgent_only=True,
)
CLEANED = AppointmentType("Soins", 20 * MIN, buffer_after=10 * MIN)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


NOW = at(MONDAY, 10, 7)


def agenda(**parts: object) -> Agenda:
    return Agenda(TEMPLATE, PARIS, appointment_types=(CONSULT, URGENT, CLEANED), **parts)  # type: ignore[arg-type]


def local(proposal: Proposal) -> datetime:
    return proposal.start.astimezone(PARIS)


class TestLevels:
    def test_urgent_uses_the_reserved_hours_first_and_stays_today(self) -> None:
        proposals = propose_for_request(agenda(), CONSULT, now=NOW, level="urgent")
        assert proposals[0].appointment_type == URGENT
        assert local(proposals[0]).time() == time(12)  # flush with the end of the morning
        assert proposals[0].end - proposals[0].start == 15 * MIN
        assert all(local(p).date() == MONDAY for p in proposals)
        assert [p.appointment_type for p in proposals[1:]] == [CONSULT, CONSULT]
        ordered = sorted(proposals, key=lambda p: p.start)
        assert all(a.end <= b.start for a, b in pairwise(ordered))

    def test_urgent_falls_back_on_the_motif_when_the_reserved_hours_are_taken(self) -> None:
        taken = Booking(at(MONDAY, 11, 45), at(MONDAY, 12, 15))
        proposals = propose_for_request(agenda(bookings=(taken,)), CONSULT, now=NOW, level="urgent")
        assert proposals and all(p.appointment_type == CONSULT for p in proposals)

    def test_urgent_late_in_the_evening_finds_nothing(self) -> None:
        proposals = propose_for_request(agenda(), CONSULT, now=at(MONDAY, 19, 30), level="urgent")
        assert proposals == []
        assert phrase_proposals(proposals, PARIS, NOW) == NO_SLOT

    def test_soon_stays_within_48_hours(self) -> None:
        proposals = propose_for_request(agenda(), CONSULT, now=NOW, level="soon")
        assert proposals
        assert all(p.end <= NOW + timedelta(hours=48) for p in proposals)
        assert all(p.appointment_type == CONSULT for p in proposals)

    def test_routine_and_untriaged_look_four_weeks_ahead(self) -> None:
        full = tuple(
            Booking(at(MONDAY + timedelta(days=n), 8, 30), at(MONDAY + timedelta(days=n), 19))
            for n in range(21)
        )
        for level in ("routine", None):
            proposals = propose_for_request(agenda(bookings=full), CONSULT, now=NOW, level=level)
            assert proposals
            assert all(21 <= (local(p).date() - MONDAY).days <= 28 for p in proposals)

    def test_vital_is_never_booked(self) -> None:
        with pytest.raises(BookingRefused) as refused:
            propose_for_request(agenda(), CONSULT, now=NOW, level="vital")
        assert str(refused.value) == VITAL_REFUSAL
        assert "faire appeler le 15" in VITAL_REFUSAL
        assert isinstance(refused.value, AgendaError)

    def test_unknown_level(self) -> None:
        with pytest.raises(AgendaError, match="Niveau de tri inconnu"):
            propose_for_request(agenda(), CONSULT, now=NOW, level="grave")


class TestDeadlines:
    def test_urgent_ends_at_local_midnight(self) -> None:
        assert latest_for_level("urgent", NOW, PARIS) == at(MONDAY + timedelta(days=1), 0)

    def test_soon_is_48_elapsed_hours_across_the_dst_change(self) -> None:
        saturday = date(2027, 3, 27)  # clocks go forward on Sunday 28 March 2027
        latest = latest_for_level("soon", at(saturday, 10), PARIS)
        assert latest == at(saturday + timedelta(days=2), 11)
        assert latest.astimezone(UTC) - at(saturday, 10).astimezone(UTC) == timedelta(hours=48)

    def test_routine_runs_to_the_end_of_the_last_day(self) -> None:
        assert latest_for_level("routine", NOW, PARIS) == at(MONDAY + timedelta(days=29), 0)
        assert latest_for_level(None, NOW, PARIS, horizon=timedelta(days=7)) == at(
            MONDAY + timedelta(days=8), 0
        )

    def test_now_must_be_aware(self) -> None:
        with pytest.raises(AgendaError, match="fuseau"):
            latest_for_level("soon", datetime(2026, 11, 23, 10), PARIS)


class TestMotifs:
    def test_a_motif_the_secretary_may_not_book(self) -> None:
        private = AppointmentType("Expertise", 60 * MIN, bookable_by_secretary=False)
        with pytest.raises(AgendaError, match="ne peut pas être pris par le secrétariat"):
            propose_for_request(agenda(), private, now=NOW)

    def test_an_urgent_only_motif_for_a_routine_case(self) -> None:
        with pytest.raises(AgendaError, match="réservé aux urgences"):
            propose_for_request(agenda(), URGENT, now=NOW, level="routine")

    def test_a_motif_longer_than_any_period(self) -> None:
        with pytest.raises(AgendaError, match="aucune plage de travail"):
            propose_for_request(agenda(), AppointmentType("Bilan", 6 * 60 * MIN), now=NOW)

    def test_the_buffer_must_fit_and_is_not_part_of_the_proposal(self) -> None:
        tuesday = MONDAY + timedelta(days=1)
        # Within 48 h only Tuesday 8:30-9:00 is free: 20 min + 10 min of buffer fit exactly.
        wednesday = tuesday + timedelta(days=1)
        busy = ((at(tuesday, 9), at(tuesday, 19)), (at(wednesday, 8), at(wednesday, 19)))
        away = (Absence(at(MONDAY, 0), at(tuesday, 0)),)
        only = agenda(busy=busy, absences=away)
        proposals = propose_for_request(only, CLEANED, now=NOW, level="soon")
        assert [(local(p).time(), p.end - p.start) for p in proposals] == [(time(8, 30), 20 * MIN)]
        longer = AppointmentType("Soins", 20 * MIN, buffer_after=15 * MIN)
        assert propose_for_request(only, longer, now=NOW, level="soon") == []

    def test_existing_buffers_are_respected(self) -> None:
        taken = Booking(at(MONDAY, 10, 10), at(MONDAY, 10, 30), buffer_after=10 * MIN)
        proposals = propose_for_request(agenda(bookings=(taken,)), CONSULT, now=NOW, count=10)
        assert all(p.end <= taken.start or p.start >= at(MONDAY, 10, 40) for p in proposals)

    def test_allowed_windows(self) -> None:
        tuesday_afternoon = WeeklyPeriod(time(14), time(16), frozenset({1}))
        kind = AppointmentType("Échographie", 30 * MIN, windows=(tuesday_afternoon,))
        proposals = propose_for_request(agenda(), kind, now=NOW, count=5)
        assert len(proposals) == 5
        for p in proposals:
            assert local(p).weekday() == 1
            assert time(14) <= local(p).time() and p.end.astimezone(PARIS).time() <= time(16)

    def test_absences_are_never_proposed(self) -> None:
        away = Absence.whole_days(MONDAY, MONDAY + timedelta(days=6), PARIS, "congés")
        proposals = propose_for_request(agenda(absences=(away,)), CONSULT, now=NOW)
        assert all(local(p).date() >= MONDAY + timedelta(days=7) for p in proposals)


class TestPreferences:
    def test_parts_of_day(self) -> None:
        morning = Preferences(parts_of_day=frozenset({PartOfDay.MATIN}))
        proposals = propose_for_request(agenda(), CONSULT, now=NOW, preferences=morning)
        assert len(proposals) == 3 and all(local(p).hour < 12 for p in proposals)

    def test_not_before_and_weekdays(self) -> None:
        wishes = Preferences(weekdays=frozenset({1, 3}), not_before=time(17))
        proposals = propose_for_request(agenda(), CONSULT, now=NOW, preferences=wishes)
        assert len(proposals) == 3
        assert all(local(p).weekday() in {1, 3} and local(p).time() >= time(17) for p in proposals)

    def test_not_after_admits_the_hour_itself(self) -> None:
        wishes = Preferences(not_after=time(8, 30))
        proposals = propose_for_request(agenda(), CONSULT, now=NOW, preferences=wishes)
        assert {local(p).time() for p in proposals} == {time(8, 30)}

    def test_strict_preferences_may_leave_nothing(self) -> None:
        sunday = Preferences(weekdays=frozenset({6}))
        assert propose_for_request(agenda(), CONSULT, now=NOW, preferences=sunday) == []

    def test_soft_preferences_are_dropped_when_nothing_matches(self) -> None:
        sunday = Preferences(weekdays=frozenset({6}), strict=False)
        assert propose_for_request(agenda(), CONSULT, now=NOW, preferences=sunday)

    def test_a_date_beyond_the_horizon_is_honoured_for_routine_cases(self) -> None:
        wanted = date(2027, 1, 12)
        wishes = Preferences(on_date=wanted)
        proposals = propose_for_request(agenda(), CONSULT, now=NOW, preferences=wishes)
        assert proposals and all(local(p).date() == wanted for p in proposals)
        assert (
            propose_for_request(agenda(), CONSULT, now=NOW, level="soon", preferences=wishes) == []
        )


class TestNow:
    def test_the_past_is_not_a_hole_to_avoid(self) -> None:
        early = at(MONDAY, 8, 41)
        proposals = propose_for_request(agenda(), CONSULT, now=early, count=1)
        assert [local(p).time() for p in proposals] == [time(8, 45)]

    def test_first_fit_is_available_too(self) -> None:
        proposals = propose_for_request(agenda(), CONSULT, now=NOW, policy="first_fit")
        assert [local(p).time() for p in proposals] == [time(10, 10), time(10, 30), time(10, 50)]

    def test_bad_step(self) -> None:
        with pytest.raises(AgendaError, match="pas de la grille"):
            propose_for_request(agenda(), CONSULT, now=NOW, step=timedelta(0))
