"""What the secretary says: days, times and the proposals sentence, in French."""

from __future__ import annotations

import locale
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from permanence.core.agenda import (
    NO_SLOT,
    Slot,
    format_date,
    format_time,
    phrase_proposals,
    phrase_slot,
)

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 23, 10, 5, tzinfo=PARIS)  # Monday 23 November 2026


def slot(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> Slot:
    start = datetime(year, month, day, hour, minute, tzinfo=PARIS)
    return Slot(start, start + timedelta(minutes=20))


@pytest.mark.parametrize(
    ("moment", "text"),
    [(time(9), "9 h"), (time(10, 30), "10 h 30"), (time(12, 5), "12 h 05"), (time(0), "0 h")],
)
def test_format_time(moment: time, text: str) -> None:
    assert format_time(moment) == text


def test_format_date() -> None:
    assert format_date(date(2026, 12, 1)) == "mardi 1er décembre"
    assert format_date(date(2027, 8, 15), month=False) == "dimanche 15"
    assert format_date(date(2027, 2, 3), year=True) == "mercredi 3 février 2027"


@pytest.mark.parametrize(
    ("proposal", "text"),
    [
        (slot(11, 23, 16), "aujourd'hui à 16 h"),
        (slot(11, 24, 9, 15), "demain à 9 h 15"),
        (slot(11, 26, 10, 30), "jeudi 26 à 10 h 30"),
        (slot(12, 1, 9), "mardi 1er décembre à 9 h"),
        (slot(1, 5, 9, year=2027), "mardi 5 janvier à 9 h"),
        (slot(6, 7, 14, year=2027), "lundi 7 juin 2027 à 14 h"),
    ],
)
def test_phrase_slot(proposal: Slot, text: str) -> None:
    assert phrase_slot(proposal, PARIS, NOW) == text


def test_phrase_slot_reads_the_practitioner_zone() -> None:
    in_utc = Slot(
        datetime(2026, 11, 24, 8, 15, tzinfo=UTC), datetime(2026, 11, 24, 8, 35, tzinfo=UTC)
    )
    assert phrase_slot(in_utc, PARIS, NOW) == "demain à 9 h 15"


def test_month_of_the_brief_example() -> None:
    now = datetime(2027, 1, 11, 9, tzinfo=PARIS)  # Monday 11 January 2027
    assert phrase_slot(slot(1, 14, 10, 30, year=2027), PARIS, now) == "jeudi 14 à 10 h 30"


@pytest.mark.parametrize(
    ("proposals", "text"),
    [
        ([], NO_SLOT),
        ([slot(11, 24, 10, 30)], "Je peux vous proposer demain à 10 h 30."),
        (
            [slot(11, 24, 10, 30), slot(11, 26, 17, 15)],
            "Je peux vous proposer demain à 10 h 30, ou jeudi 26 à 17 h 15.",
        ),
        (
            [slot(11, 26, 17, 15), slot(11, 24, 10, 30), slot(11, 27, 9)],
            "Je peux vous proposer demain à 10 h 30, jeudi 26 à 17 h 15, ou vendredi 27 à 9 h.",
        ),
        (
            [slot(11, 23, 16), slot(11, 23, 11, 40), slot(11, 24, 8, 30)],
            "Je peux vous proposer aujourd'hui à 11 h 40 ou à 16 h, ou demain à 8 h 30.",
        ),
        (
            [slot(11, 25, 9), slot(11, 25, 11), slot(11, 25, 14, 30)],
            "Je peux vous proposer mercredi 25 à 9 h, à 11 h ou à 14 h 30.",
        ),
    ],
)
def test_phrase_proposals(proposals: list[Slot], text: str) -> None:
    assert phrase_proposals(proposals, PARIS, NOW) == text


def test_no_slot_sentence_is_french() -> None:
    assert NO_SLOT.startswith("Je n'ai malheureusement aucun créneau")


def test_independent_of_the_system_locale() -> None:
    previous = locale.setlocale(locale.LC_TIME)
    try:
        locale.setlocale(locale.LC_TIME, "C")
        assert phrase_slot(slot(11, 26, 10, 30), PARIS, NOW) == "jeudi 26 à 10 h 30"
    finally:
        locale.setlocale(locale.LC_TIME, previous)
