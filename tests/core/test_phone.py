"""Phone numbers: every usual French form gives the same key; odd numbers are kept."""

from __future__ import annotations

import pytest

from permanence.core.phone import format_for_display, normalise, parse_phone


@pytest.mark.parametrize(
    "raw",
    [
        "06 12 34 56 78",
        "0612345678",
        "06.12.34.56.78",
        "+33 6 12 34 56 78",
        "0033612345678",
        "+33 (0)6 12 34 56 78",
        "06/12/34/56/78",
        " 06-12-34-56-78 ",
    ],
)
def test_french_forms_normalise_to_e164(raw: str) -> None:
    assert normalise(raw) == "+33612345678"


def test_display_in_pairs() -> None:
    assert format_for_display("+33478601234") == "04 78 60 12 34"
    assert parse_phone("+33612345678").display == "06 12 34 56 78"


def test_foreign_number_is_flagged_not_refused() -> None:
    number = parse_phone("+44 20 7946 0958")
    assert number.e164 == "+442079460958" and number.is_foreign
    assert number.warning == "Numéro étranger."
    assert number.display.startswith("+44 20")


@pytest.mark.parametrize("raw", ["12", "abc", "06 12 34", "+++"])
def test_unparseable_number_is_kept_as_typed(raw: str) -> None:
    number = parse_phone(raw)
    assert number.raw == raw and number.warning is not None


def test_empty_number() -> None:
    number = parse_phone("  ")
    assert number.key == "" and number.warning is None
