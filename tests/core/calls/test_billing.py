"""Billing class: a pure function of the outcome, the practice's rules and repeats."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from permanence.core.calls import OUTCOME_LABELS, OUTCOMES, BillingRules, classify
from permanence.core.calls.billing import format_euros, parse_price
from permanence.core.errors import ValidationError

DEFAULTS = BillingRules()


@pytest.mark.parametrize(
    ("outcome", "billable", "reason"),
    [
        ("rdv", True, "facturé"),
        ("message", True, "facturé"),
        ("transfert", True, "facturé"),
        ("information", True, "facturé"),
        ("demarchage", False, "démarchage : non facturé"),
        ("faux_numero", False, "faux numéro : non facturé"),
        ("raccroche", False, "raccroché avant l'échange : non facturé"),
    ],
)
def test_default_rules(outcome: str, billable: bool, reason: str) -> None:
    assert classify(outcome, rules=DEFAULTS, repeat_of=None) == (billable, reason)


def test_every_outcome_has_a_french_label() -> None:
    assert set(OUTCOME_LABELS) == set(OUTCOMES)
    assert OUTCOME_LABELS["faux_numero"] == "Faux numéro"


def test_a_repeat_within_the_window_is_not_billed() -> None:
    assert classify("rdv", rules=DEFAULTS, repeat_of=12) == (
        False,
        "rappel du même numéro en moins de 10 min : non facturé",
    )
    five = BillingRules(repeat_window_minutes=5)
    assert classify("message", rules=five, repeat_of=3)[1] == (
        "rappel du même numéro en moins de 5 min : non facturé"
    )


def test_the_outcome_reason_wins_over_the_repeat() -> None:
    assert classify("demarchage", rules=DEFAULTS, repeat_of=4)[1] == "démarchage : non facturé"


def test_rules_can_bill_what_the_defaults_do_not() -> None:
    generous = BillingRules(
        bill_sales_calls=True, bill_wrong_numbers=True, bill_hangups=True, repeat_window_minutes=0
    )
    for outcome in OUTCOMES:
        assert classify(outcome, rules=generous, repeat_of=7) == (True, "facturé")


def test_empty_json_gives_the_defaults() -> None:
    assert BillingRules.from_json("") == DEFAULTS
    assert BillingRules.from_json("  \n") == DEFAULTS
    assert DEFAULTS.to_json() == ""


def test_json_round_trip_and_french_price() -> None:
    rules = BillingRules.from_json('{"bill_sales_calls": true, "price_eur": "0,90"}')
    assert rules.bill_sales_calls and rules.price_eur == Decimal("0.90")
    assert BillingRules.from_json(rules.to_json()) == rules
    assert BillingRules.from_json('{"price_eur": 1.2}').price_eur == Decimal("1.2")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{pas du json", "Règles de facturation illisibles (JSON invalide"),
        ("[1, 2]", "un objet JSON est attendu"),
        ('{"bill_sales": true}', "Règle de facturation inconnue : bill_sales"),
        ('{"bill_hangups": "oui"}', "« bill_hangups » doit valoir true ou false"),
        ('{"repeat_window_minutes": 2.5}', "nombre entier de minutes"),
        ('{"repeat_window_minutes": -1}', "entre 0 et 120 minutes"),
        ('{"price_eur": "gratuit"}', "Prix par appel illisible"),
        ('{"price_eur": -1}', "Prix par appel impossible"),
    ],
)
def test_bad_rules_are_refused_in_french(text: str, expected: str) -> None:
    with pytest.raises(ValidationError, match=expected.replace("(", r"\(")):
        BillingRules.from_json(text)


@given(
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.integers(0, 120),
    st.none() | st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False),
)
def test_any_valid_rules_survive_storage(
    sales: bool, wrong: bool, hangups: bool, window: int, price: Decimal | None
) -> None:
    rules = BillingRules(sales, wrong, hangups, window, price)
    assert BillingRules.from_json(rules.to_json()) == rules
    assert len(rules.describe()) == (5 if price is not None else 4)


def test_money_in_french() -> None:
    assert format_euros(Decimal("1234.5")) == "1\u202f234,50 €"
    assert format_euros(Decimal("0.9")) == "0,90 €"
    assert parse_price("0,90 €") == Decimal("0.90")
