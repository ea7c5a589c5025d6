"""Holes the appointment lengths can or cannot fill (the compact policy's look-ahead)."""

from __future__ import annotations

import pytest

from permanence.core.agenda.fill import Remainders

MINUTE = 60
GP = Remainders([m * MINUTE for m in (15, 20, 30, 45)], 15 * MINUTE)


@pytest.mark.parametrize(
    ("gap", "stranded", "loss"),
    [
        (0, 0, 0),
        (5, 5, 5),
        (10, 10, 10),
        (15, 0, 0),
        (20, 0, 0),
        (25, 0, 5),  # 20 + 5 lost whatever is booked there
        (35, 0, 0),  # 15 + 20
        (55, 0, 0),  # 15 + 20 + 20
        (600, 0, 0),  # beyond the table: every multiple of 5 minutes is a sum
    ],
)
def test_gp_lengths(gap: int, stranded: int, loss: int) -> None:
    assert GP.stranded(gap * MINUTE) == stranded * MINUTE
    assert GP.loss(gap * MINUTE) == loss * MINUTE


def test_odd_seconds_are_lost() -> None:
    assert GP.loss(30 * MINUTE + 20) == 20


def test_a_single_length() -> None:
    thirty = Remainders([30 * MINUTE], 30 * MINUTE)
    assert thirty.loss(50 * MINUTE) == 20 * MINUTE
    assert thirty.loss(90 * MINUTE) == 0
