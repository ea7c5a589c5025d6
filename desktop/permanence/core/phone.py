"""Phone numbers as callers say them: normalised with phonenumbers (region FR), never refused."""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

DEFAULT_REGION = "FR"


@dataclass(frozen=True, slots=True)
class PhoneNumber:
    """A number as typed, with its E.164 form when it parses.

    `key` is what we store and look up: the E.164 form, or the digits typed when the number
    does not parse (a caller is never refused because of an odd number).
    """

    raw: str
    e164: str | None
    valid: bool

    @property
    def key(self) -> str:
        if self.e164:
            return self.e164
        return "".join(ch for ch in self.raw if ch.isdigit() or ch == "+")

    @property
    def is_foreign(self) -> bool:
        return bool(self.e164) and not str(self.e164).startswith("+33")

    @property
    def display(self) -> str:
        return format_for_display(self.e164) if self.e164 else self.raw.strip()

    @property
    def warning(self) -> str | None:
        """A French warning to show next to the number, or None when all is well."""
        if not self.raw.strip():
            return None
        if self.e164 is None:
            return "Numéro non reconnu : conservé tel que saisi."
        if not self.valid:
            return "Ce numéro semble incomplet ou invalide : vérifiez-le avec l'appelant."
        if self.is_foreign:
            return "Numéro étranger."
        return None


def parse_phone(raw: str, region: str = DEFAULT_REGION) -> PhoneNumber:
    """Parse "06 12 34 56 78", "+33 6 12…", "0033 6…", "06.12.34.56.78" and the like."""
    text = raw.strip()
    if not text:
        return PhoneNumber(raw=raw, e164=None, valid=False)
    candidate = "+" + text[2:] if text.startswith("00") else text
    try:
        number = phonenumbers.parse(candidate, region)
    except NumberParseException:
        return PhoneNumber(raw=raw, e164=None, valid=False)
    if not phonenumbers.is_possible_number(number):
        return PhoneNumber(raw=raw, e164=None, valid=False)
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return PhoneNumber(raw=raw, e164=e164, valid=phonenumbers.is_valid_number(number))


def normalise(raw: str, region: str = DEFAULT_REGION) -> str:
    """The lookup key of a number (E.164 when it parses)."""
    return parse_phone(raw, region).key


def format_for_display(e164: str) -> str:
    """French numbers in pairs ("06 12 34 56 78"), others in international form."""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    if number.country_code == 33:
        national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
        digits = "".join(ch for ch in national if ch.isdigit())
        if len(digits) == 10:
            return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
        return national
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
