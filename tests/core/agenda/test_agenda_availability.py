"""From an agenda description to open periods and busy time: DST, breaks, exceptions…"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from permanence.core.agenda import (
    WORKING_WEEKDAYS,
    Absence,
    Agenda,
    AgendaError,
    AppointmentType,
    Booking,
    DayException,
    WeeklyPeriod,
    WeeklyTemplate,
    availability,
    open_periods,
    working_periods,
)

PARIS = ZoneInfo("Europe/Paris")
MIN = timedelta(minutes=1)
MORNINGS = WeeklyTemplate((WeeklyPeriod(time(9), time(12)),))  # every day 9 h-12 h
GP_WEEK = WeeklyTemplate(
    (
        WeeklyPeriod(time(8, 30), time(12), WORKING_WEEKDAYS),
        WeeklyPeriod(time(14), time(19), WORKING_WEEKDAYS),
    )
)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(count)]


# Last Sundays of March and October: clocks go forward (+1 h) / back (-1 h) at night.
DST_SUNDAYS = [date(2026, 3, 29), date(2026, 10, 25), date(2027, 3, 28), date(2027, 10, 31)]


class TestDaylightSaving:
    @pytest.mark.parametrize("sunday", DST_SUNDAYS)
    def test_nine_stays_nine_on_the_days_around_the_change(self, sunday: date) -> None:
        around = days(sunday - timedelta(days=2), 5)
        periods = working_periods(Agenda(MORNINGS, PARIS), around)
        assert [(s.date(), s.time(), e.time()) for s, e in periods] == [
            (day, time(9), time(12)) for day in around
        ]
        # 9 h local is 8 h UTC in winter and 7 h UTC in summer.
        utc_hours = {s.astimezone(UTC).hour for s, _ in periods}
        assert utc_hours == {7, 8}
        assert all(e - s == 3 * timedelta(hours=1) for s, e in periods)

    @pytest.mark.parametrize("sunday", DST_SUNDAYS)
    def test_proposals_follow_the_local_clock_across_the_change(self, sunday: date) -> None:
        from permanence.core.agenda import propose_slots

        monday = sunday + timedelta(days=1)
        spans = availability(Agenda(MORNINGS, PARIS), at(sunday, 0), at(monday, 23))
        slots = propose_slots(
            spans.open_periods,
            spans.busy,
            30 * MIN,
            earliest=at(sunday, 10, 7),
            latest=at(monday, 23),
            min_duration=15 * MIN,
            policy="first_fit",
            count=10,
        )
        assert [s.start.astimezone(PARIS).time() for s in slots[:3]] == [
            time(10, 10),
            time(10, 40),
            time(11, 10),
        ]
        assert [s.start for s in slots[3:5]] == [at(monday, 9), at(monday, 9, 30)]


class TestTemplate:
    def test_breaks_are_the_gaps(self) -> None:
        tuesday = date(2026, 11, 24)
        periods = working_periods(Agenda(GP_WEEK), [tuesday, tuesday + timedelta(days=4)])
        assert periods == [
            (at(tuesday, 8, 30), at(tuesday, 12)),
            (at(tuesday, 14), at(tuesday, 19)),
        ]

    def test_from_days(self) -> None:
        template = WeeklyTemplate.from_days({2: [(time(14), time(18)), (time(9), time(12))]})
        assert template.periods_on(2) == [(time(9), time(12)), (time(14), time(18))]
        assert template.periods_on(3) == []

    def test_overlapping_periods_are_refused(self) -> None:
        with pytest.raises(AgendaError, match=r"mardi.*se chevauchent"):
            WeeklyTemplate(
                (
                    WeeklyPeriod(time(8), time(12), WORKING_WEEKDAYS),
                    WeeklyPeriod(time(11), time(13), frozenset({1})),
                )
            )

    @pytest.mark.parametrize(("start", "end"), [(time(12), time(12)), (time(14), time(9))])
    def test_a_period_ending_before_it_starts_is_refused(self, start: time, end: time) -> None:
        with pytest.raises(AgendaError, match="doit être après le début"):
            WeeklyPeriod(start, end)

    def test_a_period_without_weekday_is_refused(self) -> None:
        with pytest.raises(AgendaError, match="jour de la semaine"):
            WeeklyPeriod(time(9), time(12), frozenset())
        with pytest.raises(AgendaError, match="jour de la semaine"):
            WeeklyPeriod(time(9), time(12), frozenset({7}))


class TestExceptions:
    def test_an_exception_replaces_the_day(self) -> None:
        tuesday = date(2026, 11, 24)  # "mardi 24 : 14 h–17 h seulement"
        agenda = Agenda(GP_WEEK, exceptions=(DayException(tuesday, ((time(14), time(17)),)),))
        assert working_periods(agenda, [tuesday]) == [(at(tuesday, 14), at(tuesday, 17))]
        wednesday = tuesday + timedelta(days=1)
        assert len(working_periods(agenda, [wednesday])) == 2

    def test_a_closed_day(self) -> None:
        holiday = date(2026, 12, 25)
        agenda = Agenda(GP_WEEK, exceptions=(DayException(holiday, note="Noël"),))
        assert working_periods(agenda, [holiday]) == []

    def test_an_exception_can_open_a_saturday(self) -> None:
        saturday = date(2026, 11, 28)
        agenda = Agenda(GP_WEEK, exceptions=(DayException(saturday, ((time(9), time(12)),)),))
        assert working_periods(agenda, [saturday]) == [(at(saturday, 9), at(saturday, 12))]

    def test_bad_exceptions_are_refused(self) -> None:
        day = date(2026, 11, 24)
        with pytest.raises(AgendaError, match="se chevauchent"):
            DayException(day, ((time(9), time(12)), (time(11), time(13))))
        with pytest.raises(AgendaError, match="doit être après"):
            DayException(day, ((time(17), time(14)),))
        with pytest.raises(AgendaError, match="même date"):
            Agenda(GP_WEEK, exceptions=(DayException(day), DayException(day)))


class TestAbsencesAndBusy:
    def test_absences_are_cut_out_of_the_open_periods(self) -> None:
        monday = date(2026, 11, 23)
        away = Absence(at(monday, 10), at(monday, 16), "formation", "Dr Durand")
        agenda = Agenda(GP_WEEK, absences=(away,))
        assert open_periods(agenda, [monday]) == [
            (at(monday, 8, 30), at(monday, 10)),
            (at(monday, 16), at(monday, 19)),
        ]

    def test_whole_day_absences(self) -> None:
        first, last = date(2026, 12, 21), date(2026, 12, 24)
        away = Absence.whole_days(first, last, PARIS, "congés", "Dr Durand")
        agenda = Agenda(GP_WEEK, absences=(away,))
        assert open_periods(agenda, days(first, 4)) == []
        assert len(open_periods(agenda, [last + timedelta(days=4)])) == 2

    def test_bookings_count_with_their_buffer(self) -> None:
        monday = date(2026, 11, 23)
        booking = Booking(at(monday, 9), at(monday, 9, 30), buffer_after=10 * MIN)
        imported = (at(monday, 15), at(monday, 16))
        agenda = Agenda(GP_WEEK, bookings=(booking,), busy=(imported,))
        spans = availability(agenda, at(monday, 11), at(monday, 12))
        assert (at(monday, 9), at(monday, 9, 40)) in spans.busy  # the whole day is covered
        assert imported in spans.busy
        later = availability(
            agenda, at(monday + timedelta(days=1), 0), at(monday + timedelta(days=1), 23)
        )
        assert later.busy == ()

    def test_bad_absences_and_bookings(self) -> None:
        monday = date(2026, 11, 23)
        with pytest.raises(AgendaError, match="doit être après"):
            Absence(at(monday, 10), at(monday, 10))
        with pytest.raises(AgendaError, match="fuseau"):
            Absence(datetime(2026, 11, 23, 10), at(monday, 12))
        with pytest.raises(AgendaError, match="négatif"):
            Booking(at(monday, 9), at(monday, 10), buffer_after=-MIN)
        with pytest.raises(AgendaError, match="fuseau"):
            Agenda(GP_WEEK, busy=((datetime(2026, 11, 23, 9), at(monday, 10)),))

    def test_a_period_ending_before_it_starts(self) -> None:
        with pytest.raises(AgendaError, match="précède"):
            availability(Agenda(GP_WEEK), at(date(2026, 11, 24), 0), at(date(2026, 11, 23), 0))


class TestAppointmentTypes:
    def test_durations_must_be_positive(self) -> None:
        for minutes in (0, -10):
            with pytest.raises(AgendaError, match="strictement positive"):
                AppointmentType("Consultation", minutes * MIN)

    def test_a_type_longer_than_any_working_period_is_refused(self) -> None:
        long = AppointmentType("Bilan complet", 6 * 60 * MIN)
        with pytest.raises(AgendaError, match=r"aucune plage de travail.*300 min"):
            Agenda(GP_WEEK, appointment_types=(long,))

    def test_the_buffer_counts_in_the_length(self) -> None:
        with pytest.raises(AgendaError, match="310 min"):
            Agenda(
                GP_WEEK,
                appointment_types=(AppointmentType("Bilan", 300 * MIN, buffer_after=10 * MIN),),
            )

    def test_a_window_shorter_than_the_duration_is_refused(self) -> None:
        window = WeeklyPeriod(time(11, 45), time(12))
        with pytest.raises(AgendaError, match="plus courte que sa durée"):
            AppointmentType("Urgence", 20 * MIN, windows=(window,), urgent_only=True)

    def test_names_are_required_and_unique(self) -> None:
        with pytest.raises(AgendaError, match="nom est obligatoire"):
            AppointmentType("  ", 15 * MIN)
        kinds = (
            AppointmentType("Consultation", 15 * MIN),
            AppointmentType("consultation", 20 * MIN),
        )
        with pytest.raises(AgendaError, match="même nom"):
            Agenda(GP_WEEK, appointment_types=kinds)

    def test_min_duration_is_the_shortest_ordinary_type(self) -> None:
        urgent = AppointmentType("Urgence", 10 * MIN, urgent_only=True)
        vaccine = AppointmentType("Vaccin", 15 * MIN, buffer_after=5 * MIN)
        consult = AppointmentType("Consultation", 20 * MIN)
        private = AppointmentType("Réunion", 5 * MIN, bookable_by_secretary=False)
        agenda = Agenda(GP_WEEK, appointment_types=(urgent, vaccine, consult, private))
        assert agenda.min_duration == 20 * MIN  # 15 + 5 of buffer, the urgent one left out
        assert agenda.bookable_lengths == (20 * MIN, 20 * MIN)
        assert Agenda(GP_WEEK, appointment_types=(urgent,)).min_duration == 10 * MIN
        assert Agenda(GP_WEEK).min_duration is None
