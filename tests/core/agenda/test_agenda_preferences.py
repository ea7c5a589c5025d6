"""Caller preferences: the French parser, the dataclass rules and the allowed windows."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from permanence.core.agenda import AgendaError, PartOfDay, Preferences, parse_preferences
from permanence.core.agenda.preferences import preference_windows

PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2026, 11, 23)  # a Monday
MATIN, APRES_MIDI, SOIR = PartOfDay.MATIN, PartOfDay.APRES_MIDI, PartOfDay.SOIR


def parse(text: str) -> Preferences:
    return parse_preferences(text, today=TODAY)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("matin", Preferences(parts_of_day=frozenset({MATIN}))),
        ("Le MATIN", Preferences(parts_of_day=frozenset({MATIN}))),
        ("après-midi", Preferences(parts_of_day=frozenset({APRES_MIDI}))),
        ("l'apres midi", Preferences(parts_of_day=frozenset({APRES_MIDI}))),
        ("aprèm", Preferences(parts_of_day=frozenset({APRES_MIDI}))),
        ("le soir", Preferences(parts_of_day=frozenset({SOIR}))),
        ("pas le matin", Preferences(parts_of_day=frozenset({APRES_MIDI, SOIR}))),
        ("pas avant 17h", Preferences(not_before=time(17))),
        ("Pas avant 17 h 30", Preferences(not_before=time(17, 30))),
        ("à partir de 16:15", Preferences(not_before=time(16, 15))),
        ("après 18 heures", Preferences(not_before=time(18))),
        ("pas avant midi", Preferences(not_before=time(12))),
        ("pas après 11 h", Preferences(not_after=time(11))),
        ("PAS APRES 11H", Preferences(not_after=time(11))),
        ("avant 11h", Preferences(not_after=time(10, 59))),
        ("entre 14h et 16h", Preferences(not_before=time(14), not_after=time(16))),
        ("entre midi et deux", Preferences(not_before=time(12), not_after=time(13, 59))),
        ("le mardi ou le jeudi", Preferences(weekdays=frozenset({1, 3}))),
        ("mardi, jeudi", Preferences(weekdays=frozenset({1, 3}))),
        ("les mercredis", Preferences(weekdays=frozenset({2}))),
        ("pas le lundi", Preferences(excluded_weekdays=frozenset({0}))),
        ("sauf lundi et mardi", Preferences(excluded_weekdays=frozenset({0, 1}))),
        ("pas le lundi ni le mardi", Preferences(excluded_weekdays=frozenset({0, 1}))),
        ("en semaine", Preferences(weekdays=frozenset(range(5)))),
        ("plutôt fin de journée", Preferences(parts_of_day=frozenset({SOIR}), strict=False)),
        ("de préférence le matin", Preferences(parts_of_day=frozenset({MATIN}), strict=False)),
        (
            "vers 10 h",
            Preferences(not_before=time(9), not_after=time(11), strict=False),
        ),
        (
            "fin de matinée",
            Preferences(parts_of_day=frozenset({MATIN}), not_before=time(10)),
        ),
        (
            "jeudi après-midi pas avant 15h",
            Preferences(
                parts_of_day=frozenset({APRES_MIDI}), weekdays=frozenset({3}), not_before=time(15)
            ),
        ),
        ("peu importe", Preferences()),
        ("", Preferences()),
    ],
)
def test_parse(text: str, expected: Preferences) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("aujourd'hui", date(2026, 11, 23)),
        ("demain", date(2026, 11, 24)),
        ("après-demain", date(2026, 11, 25)),
        ("le 27", date(2026, 11, 27)),
        ("le 14", date(2026, 12, 14)),  # the 14th has passed this month: next month's
        ("lundi 14", date(2026, 12, 14)),
        ("le 1er décembre", date(2026, 12, 1)),
        ("le 5 janvier", date(2027, 1, 5)),
        ("le 5 janvier 2027", date(2027, 1, 5)),
        ("14/12", date(2026, 12, 14)),
        ("05/01/27", date(2027, 1, 5)),
    ],
)
def test_dates(text: str, day: date) -> None:
    assert parse(text).on_date == day


def test_dates_with_parts_of_day() -> None:
    wishes = parse("demain matin")
    assert wishes.on_date == date(2026, 11, 24)
    assert wishes.parts_of_day == {MATIN}


def test_dates_need_today() -> None:
    wishes = parse_preferences("demain matin")
    assert wishes.on_date is None
    assert wishes.parts_of_day == {MATIN}
    assert wishes.unparsed == ("demain",)


def test_a_weekday_that_does_not_match_the_date_is_reported() -> None:
    wishes = parse("mardi 14")  # the 14th of December 2026 is a Monday
    assert wishes.on_date is None
    assert wishes.unparsed == ("mardi 14 (le 14 est un lundi)",)


def test_words_not_understood_are_kept() -> None:
    wishes = parse("il travaille le matin")
    assert wishes.parts_of_day == {MATIN}
    assert wishes.unparsed == ("travaille",)


def test_contradictory_hours_are_reported_not_guessed() -> None:
    wishes = parse("pas avant 17h, pas après 11h")
    assert wishes.not_before is None and wishes.not_after is None
    assert "heures contradictoires" in wishes.unparsed


@pytest.mark.parametrize(
    ("wishes", "text"),
    [
        (Preferences(), "aucune préférence"),
        (parse("matin"), "le matin"),
        (parse("le mardi ou le jeudi, pas avant 17h"), "mardi ou jeudi, pas avant 17 h"),
        (parse("pas le lundi"), "pas le lundi"),
        (parse("avant 11 h"), "avant 11 h"),
        (parse("pas après 11 h 30"), "pas après 11 h 30"),
        (parse("plutôt fin de journée"), "de préférence : en fin de journée"),
        (parse("en semaine"), "en semaine"),
        (parse("le 5 janvier"), "le mardi 5 janvier"),
    ],
)
def test_describe(wishes: Preferences, text: str) -> None:
    assert wishes.describe() == text


class TestDataclass:
    def test_contradictions_are_refused(self) -> None:
        with pytest.raises(AgendaError, match="contradictoires"):
            Preferences(not_before=time(17), not_after=time(11))
        with pytest.raises(AgendaError, match="tous les jours choisis sont exclus"):
            Preferences(weekdays=frozenset({0}), excluded_weekdays=frozenset({0, 1}))
        with pytest.raises(AgendaError, match="jour de la semaine invalide"):
            Preferences(weekdays=frozenset({9}))

    def test_accepts(self) -> None:
        wishes = Preferences(parts_of_day=frozenset({MATIN}), excluded_weekdays=frozenset({0}))
        tuesday_morning = datetime(2026, 11, 24, 11, 45, tzinfo=PARIS)
        assert wishes.accepts(tuesday_morning, PARIS)
        assert not wishes.accepts(tuesday_morning.replace(hour=12), PARIS)
        assert not wishes.accepts(tuesday_morning - timedelta(days=1), PARIS)

    def test_is_empty(self) -> None:
        assert Preferences().is_empty
        assert Preferences(strict=False, unparsed=("xyz",)).is_empty
        assert not Preferences(not_before=time(0)).is_empty


class TestWindows:
    def test_windows_admit_slots_starting_in_the_accepted_range(self) -> None:
        wishes = Preferences(parts_of_day=frozenset({MATIN}), weekdays=frozenset({1}))
        days = [TODAY + timedelta(days=n) for n in range(7)]
        windows = preference_windows(wishes, days, PARIS, timedelta(minutes=30))
        tuesday = date(2026, 11, 24)
        assert windows == [
            (
                datetime(2026, 11, 24, 0, tzinfo=PARIS),
                datetime.combine(tuesday, time(12, 29, 59), tzinfo=PARIS),
            )
        ]

    def test_not_after_is_inclusive(self) -> None:
        wishes = Preferences(not_after=time(11))
        (window,) = preference_windows(wishes, [TODAY], PARIS, timedelta(minutes=20))
        assert window[1] == datetime(2026, 11, 23, 11, 20, tzinfo=PARIS)

    def test_overlapping_parts_merge(self) -> None:
        wishes = Preferences(parts_of_day=frozenset({APRES_MIDI, SOIR}))
        assert wishes.start_ranges() == [(12 * 3600, 24 * 3600)]


def test_softener_is_not_read_as_early_morning() -> None:
    """Regression: "plutôt" ends in "tôt"; the pattern "tôt le matin" must not fire."""
    from datetime import date as _date

    from permanence.core.agenda import parse_preferences as _parse

    preferences = _parse("plutôt le matin, pas le lundi", today=_date(2026, 11, 23))
    assert preferences.strict is False
    assert preferences.unparsed == ()
    assert "avant 10 h" not in preferences.describe()
