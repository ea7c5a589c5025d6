"""The French pieces of a readback: callback windows, days, numbers, "au sujet de/d'/du"."""

from __future__ import annotations

from datetime import date, time, timedelta

from permanence.core.agenda.french import format_date, format_time
from permanence.core.phone import parse_phone

_VOWELS = frozenset("aeiouyhàâäéèêëîïôöùûüœæ")


def day_phrase(day: date, today: date) -> str:
    """ "aujourd'hui", "demain", "le lundi 24 novembre" (with the year when not this one)."""
    if day == today:
        return "aujourd'hui"
    if day == today + timedelta(days=1):
        return "demain"
    return "le " + format_date(day, year=day.year != today.year)


def window_phrase(after: time | None, before: time | None) -> str:
    """ "entre 12 h et 14 h", "pas avant 17 h", "avant 11 h", or "" without a window."""
    if after is not None and before is not None:
        return f"entre {format_time(after)} et {format_time(before)}"
    if after is not None:
        return f"pas avant {format_time(after)}"
    if before is not None:
        return f"avant {format_time(before)}"
    return ""


def when_phrase(day: date | None, after: time | None, before: time | None, today: date) -> str:
    """The whole callback wish: "aujourd'hui entre 12 h et 14 h", "dès que possible"…"""
    window = window_phrase(after, before)
    if day is None and not window:
        return "dès que possible"
    return " ".join(part for part in (day_phrase(day or today, today), window) if part)


def number_phrase(raw: str) -> str:
    """French numbers read in pairs ("06 12 34 56 78"), foreign ones in international form."""
    return parse_phone(raw).display


def about(reason: str) -> str:
    """ "au sujet de renouvellement", "au sujet d'une ordonnance", "au sujet du vaccin"."""
    text = " ".join(reason.split())
    if not text:
        return ""
    if len(text) > 1 and not text[1].isupper():  # keep acronyms ("ECG") as typed
        text = text[0].lower() + text[1:]
    lowered = text.casefold()
    if lowered.startswith("le "):
        return "au sujet du " + text[3:]
    if lowered.startswith("les "):
        return "au sujet des " + text[4:]
    if lowered[0] in _VOWELS:
        return "au sujet d'" + text
    return "au sujet de " + text
