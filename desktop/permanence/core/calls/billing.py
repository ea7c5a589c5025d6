"""Billing class of a call: a pure function of its outcome, the practice's rules and repeats.

Default rules (DESIGN.md, "Calls and billing"): sales calls, wrong numbers, calls hung up
before the conversation and a repeat from the same number within 10 minutes are not billed.
Each practice may change them; they are stored as a JSON object in `Practice.billing_rules`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from permanence.core.errors import ValidationError

MAX_REPEAT_WINDOW = 120  # minutes; beyond that a "repeat" is a new request
BILLED = "facturé"
_NARROW_NBSP = "\u202f"

_NOT_BILLED_BY_OUTCOME = {
    "demarchage": ("bill_sales_calls", "démarchage : non facturé"),
    "faux_numero": ("bill_wrong_numbers", "faux numéro : non facturé"),
    "raccroche": ("bill_hangups", "raccroché avant l'échange : non facturé"),
}
_FLAGS = ("bill_sales_calls", "bill_wrong_numbers", "bill_hangups")
_KEYS = (*_FLAGS, "repeat_window_minutes", "price_eur")


@dataclass(frozen=True, slots=True)
class BillingRules:
    """What a practice is billed for; the defaults are the common French practice."""

    bill_sales_calls: bool = False
    bill_wrong_numbers: bool = False
    bill_hangups: bool = False
    #: a call from the same number within this many minutes of the previous one's end is
    #: a repeat (bad line, cut call) and not billed; 0 turns repeat detection off.
    repeat_window_minutes: int = 10
    #: price of one billed call, excluding VAT (informative: the report multiplies by it).
    price_eur: Decimal | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.repeat_window_minutes <= MAX_REPEAT_WINDOW:
            raise ValidationError(
                "Le délai de rappel non facturé doit être compris entre 0 et "
                f"{MAX_REPEAT_WINDOW} minutes."
            )
        if self.price_eur is not None and not (
            self.price_eur.is_finite() and Decimal(0) <= self.price_eur <= Decimal(1000)
        ):
            raise ValidationError("Le prix par appel doit être compris entre 0 et 1 000 €.")

    @classmethod
    def from_json(cls, text: str) -> BillingRules:
        """Rules from the stored JSON object; an empty text gives the defaults."""
        if not text.strip():
            return cls()
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                f"Règles de facturation illisibles (JSON invalide, ligne {exc.lineno}, "
                f"colonne {exc.colno}) : {exc.msg}."
            ) from exc
        if not isinstance(data, dict):
            raise ValidationError("Règles de facturation illisibles : un objet JSON est attendu.")
        unknown = sorted(set(data) - set(_KEYS))
        if unknown:
            raise ValidationError(
                f"Règle de facturation inconnue : {', '.join(unknown)} "
                f"(connues : {', '.join(_KEYS)})."
            )
        values: dict[str, Any] = {}
        for flag in _FLAGS:
            if flag in data:
                if not isinstance(data[flag], bool):
                    raise ValidationError(f"La règle « {flag} » doit valoir true ou false.")
                values[flag] = data[flag]
        if "repeat_window_minutes" in data:
            window = data["repeat_window_minutes"]
            if not isinstance(window, int) or isinstance(window, bool):
                raise ValidationError(
                    "La règle « repeat_window_minutes » doit être un nombre entier de minutes."
                )
            values["repeat_window_minutes"] = window
        if data.get("price_eur") is not None:
            values["price_eur"] = parse_price(data["price_eur"])
        return cls(**values)

    def to_json(self) -> str:
        """The JSON object to store (only what differs from the defaults)."""
        data: dict[str, Any] = {}
        defaults = BillingRules()
        for key in _FLAGS:
            if getattr(self, key) != getattr(defaults, key):
                data[key] = getattr(self, key)
        if self.repeat_window_minutes != defaults.repeat_window_minutes:
            data["repeat_window_minutes"] = self.repeat_window_minutes
        if self.price_eur is not None:
            data["price_eur"] = str(self.price_eur)
        return json.dumps(data, ensure_ascii=False, sort_keys=True) if data else ""

    def unbilled_outcomes(self) -> frozenset[str]:
        """Outcomes these rules never bill (sales calls, wrong numbers, hang-ups by default)."""
        return frozenset(
            outcome
            for outcome, (flag, _reason) in _NOT_BILLED_BY_OUTCOME.items()
            if not getattr(self, flag)
        )

    def describe(self) -> list[str]:
        """The rules in French, one line each, for the practice's settings page."""
        lines = [
            f"Démarchage : {'facturé' if self.bill_sales_calls else 'non facturé'}",
            f"Faux numéro : {'facturé' if self.bill_wrong_numbers else 'non facturé'}",
            "Raccroché avant l'échange : " + ("facturé" if self.bill_hangups else "non facturé"),
            (f"Rappel du même numéro en moins de {self.repeat_window_minutes} min : non facturé")
            if self.repeat_window_minutes
            else "Rappels du même numéro : toujours facturés",
        ]
        if self.price_eur is not None:
            lines.append(f"Prix par appel facturé : {format_euros(self.price_eur)} HT")
        return lines


def parse_price(value: object) -> Decimal:
    """ "0,90", "0.90", 0.9 → Decimal("0.90"); ValidationError in French otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValidationError("Le prix par appel doit être un nombre (par exemple « 0,90 »).")
    text = str(value).strip().replace("€", "").replace(",", ".").strip()
    try:
        price = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(
            f"Prix par appel illisible : « {value} » (par exemple « 0,90 »)."
        ) from exc
    if not price.is_finite() or price < 0:
        raise ValidationError(f"Prix par appel impossible : « {value} ».")
    return price


def format_euros(amount: Decimal) -> str:
    """ "1 234,50 €" (French grouping with a narrow no-break space)."""
    quantized = amount.quantize(Decimal("0.01"))
    whole, _, cents = f"{quantized:.2f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups: list[str] = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return f"{sign}{_NARROW_NBSP.join(groups)},{cents} €"


def repeat_reason(window_minutes: int) -> str:
    return f"rappel du même numéro en moins de {window_minutes} min : non facturé"


def classify(outcome: str, *, rules: BillingRules, repeat_of: int | None) -> tuple[bool, str]:
    """(billable, French reason). `repeat_of` is the earlier call this one repeats, if any
    (see `queries.find_repeat`: only a call whose outcome is billed can be repeated, so a
    hang-up followed by the real call bills the real call, and a cut line bills once).

    The outcome decides first (a sales call is "démarchage" even when it calls twice), then
    the repeat rule.
    """
    not_billed = _NOT_BILLED_BY_OUTCOME.get(outcome)
    if not_billed is not None:
        flag, reason = not_billed
        if not getattr(rules, flag):
            return False, reason
    if repeat_of is not None and rules.repeat_window_minutes > 0:
        return False, repeat_reason(rules.repeat_window_minutes)
    return True, BILLED
