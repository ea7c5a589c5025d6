"""Ages as the secretary types them ("45", "45 ans", "6 semaines", "2 mois et demi")."""

from __future__ import annotations

import re

from permanence.core.triage.text import fold_phrase

DAYS_PER_YEAR = 365.25
_UNITS = {
    "an": 365.25,
    "ans": 365.25,
    "a": 365.25,
    "annee": 365.25,
    "annees": 365.25,
    "mois": 30.4375,
    "m": 30.4375,
    "semaine": 7.0,
    "semaines": 7.0,
    "sem": 7.0,
    "s": 7.0,
    "jour": 1.0,
    "jours": 1.0,
    "j": 1.0,
}
_AGE_RE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([a-z]*)\s*(et\s+demi)?\s*$")
MAX_YEARS = 130.0


def parse_age_text(text: str) -> float | None:
    """Age in years, None for an empty field; raises ValueError (French) if unreadable."""
    folded = fold_phrase(text).strip()
    if not folded:
        return None
    match = _AGE_RE.match(folded)
    if match is None or (match.group(2) and match.group(2) not in _UNITS):
        raise ValueError(f"âge « {text.strip()} » non compris (ex. 45 ans, 6 semaines, 2 mois)")
    value = float(match.group(1).replace(",", ".")) + (0.5 if match.group(3) else 0.0)
    days = _UNITS.get(match.group(2) or "ans", DAYS_PER_YEAR)
    years = value * days / DAYS_PER_YEAR
    if years > MAX_YEARS:
        raise ValueError(f"âge « {text.strip()} » invraisemblable")
    return years


def format_age(years: float) -> str:
    """French wording of an age: "10 jours", "6 semaines", "4 mois", "45 ans"."""
    days = years * DAYS_PER_YEAR
    if days < 28:
        return f"{round(days)} jours"
    if days < 91:
        return f"{round(days / 7)} semaines"
    if years < 2:
        return f"{round(days / 30.4375)} mois"
    return f"{years:g} ans" if years < 10 else f"{round(years)} ans"
