"""When a promise made on the phone is due: "avant 18 h", "demain matin", "dans 1 h"…

Pure: a function of the words and of `now`. The answer is a deadline in Europe/Paris, or
None when the words are not understood or name a moment already past ("ce matin" at 15 h).
Parts of the day end at: matin 12 h, midi 12 h, après-midi 18 h, journée 19 h, soir 20 h.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from permanence.core.text import fold

PARIS = ZoneInfo("Europe/Paris")

_PARTS: dict[str, time] = {
    "matin": time(12),
    "matinee": time(12),
    "midi": time(12),
    "apres-midi": time(18),
    "apres midi": time(18),
    "aprem": time(18),
    "journee": time(19),
    "soir": time(20),
    "soiree": time(20),
    "fin de matinee": time(12),
    "fin d'apres-midi": time(18),
    "fin d'apres midi": time(18),
    "fin de journee": time(19),
    "aujourd'hui": time(19),
    "dans la journee": time(19),
}
_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_NUMBERS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "quinze": 15,
    "vingt": 20,
    "trente": 30,
    "quarante": 40,
    "quarante-cinq": 45,
    "quarante cinq": 45,
    "quarante-huit": 48,
    "quarante huit": 48,
    "vingt-quatre": 24,
    "vingt quatre": 24,
}
_UNITS = {"min": 1, "mn": 1, "minute": 1, "minutes": 1, "h": 60, "heure": 60, "heures": 60}
_UNITS |= {"jour": 1440, "jours": 1440}
_NUMBER = r"(\d+|" + "|".join(sorted(map(re.escape, _NUMBERS), key=len, reverse=True)) + r")"
_DELAY = re.compile(
    r"\b(?:dans|sous|d'ici|en)\s+(?:les?\s+)?" + _NUMBER + r"\s*(min(?:utes?)?|mn|h(?:eures?)?"
    r"|jours?)\b"
)
_HALF = re.compile(r"\b(?:dans|d'ici)\s+(une\s+demi-heure|une\s+demi heure|un\s+quart\s+d'heure)")
_CLOCK = re.compile(r"\b(\d{1,2})\s*(?:h|heures?|:)\s*(\d{2})?\b")
_NOON = re.compile(r"\b(?:a|avant|vers|pour|d'ici)\s+midi\b")


def parse_due(text: str, now: datetime) -> datetime | None:
    """The deadline meant by `text`, said at `now` (naive `now` is read as Paris time)."""
    words = fold(text).replace("’", "'")
    if not words:
        return None
    local = now.replace(tzinfo=PARIS) if now.tzinfo is None else now.astimezone(PARIS)
    delay = _delay(words)
    if delay is not None:
        return local + delay if delay > timedelta() else None
    day, explicit_day = _day(words, local)
    moment = _clock(words)
    if moment is None:
        moment = _part(words)
    if moment is None:
        if not explicit_day:
            return None
        moment = time(19)  # "demain", "lundi": within that day
    due = datetime.combine(day, moment, PARIS)
    if due <= local:
        if explicit_day or (_part(words) is not None and _clock(words) is None):
            return None  # "ce matin" said in the afternoon: not a promise we can keep
        due = datetime.combine(day + timedelta(days=1), moment, PARIS)  # "avant 9 h" at 15 h
    return due


def _delay(words: str) -> timedelta | None:
    half = _HALF.search(words)
    if half:
        return timedelta(minutes=15 if "quart" in half.group(1) else 30)
    match = _DELAY.search(words)
    if not match:
        return None
    amount = _NUMBERS.get(match.group(1))
    if amount is None:
        amount = int(match.group(1))
    unit = match.group(2)
    minutes = _UNITS.get(unit, 60 if unit.startswith("h") else 1)
    if "demi" in words[match.end() : match.end() + 12] and minutes == 60:
        return timedelta(minutes=amount * 60 + 30)  # "dans 1 h et demie"
    return timedelta(minutes=amount * minutes)


def _day(words: str, local: datetime) -> tuple[date, bool]:
    today = local.date()
    if "apres-demain" in words or "apres demain" in words:
        return today + timedelta(days=2), True
    if "demain" in words:
        return today + timedelta(days=1), True
    for index, name in enumerate(_WEEKDAYS):
        if re.search(rf"\b{name}\b", words):
            return today + timedelta(days=(index - today.weekday()) % 7 or 7), True
    return today, False


def _clock(words: str) -> time | None:
    if _NOON.search(words):
        return time(12)
    for match in _CLOCK.finditer(words):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if hour < 24 and minute < 60:
            return time(hour, minute)
    return None


def _part(words: str) -> time | None:
    for name in sorted(_PARTS, key=len, reverse=True):
        if re.search(rf"\b{re.escape(name)}\b", words):
            return _PARTS[name]
    return None
