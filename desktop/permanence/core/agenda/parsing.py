"""Read the caller's wishes as the secretary types them: "plutôt le matin, pas le lundi".

Accents, case, hyphens and apostrophes are ignored. Each recognised phrase is removed from
the text; words left over that carry meaning are kept in `Preferences.unparsed`, so the
screen can show what was not understood (with `Preferences.describe()` for what was).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta

from permanence.core.agenda.preferences import PartOfDay, Preferences
from permanence.core.text import fold

_DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_MONTHS = (
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
)
_DAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)s?"
_MONTH = "(?:" + "|".join(_MONTHS) + ")"
_ARTICLE = r"(?:(?:le|les|la|l|en|dans la)\s+)?"
_NEGATION = r"(?:pas|sauf|jamais|hors|ni|excepte|surtout pas)"
_SOFTENERS = (
    r"plutot|de preference|si possible|idealement|eventuellement|de maniere ideale|"
    r"ca m arrangerait|ca m arrange|ce serait mieux|si vous pouvez"
)
_INDIFFERENT = r"peu importe|n importe quand|indifferent|quand vous voulez|comme vous voulez"
_FILLER_WORDS = """le la les l de d du des un une et ou a au aux en je j il elle on nous vous
    ils elles ca c est ce cette sont serait plus mieux bien si mais me m ma mon pour que qu y
    possible prefere preferer prefererait preference voudrait voudrais veut veux peut peux
    pourrait pourrais disponible disponibles dispo libre rdv rendez creneau creneaux svp
    merci n ne jour jours moment uniquement seulement surtout sinon alors donc plutot
    idealement eventuellement par exemple heure heures"""
_FILLER = frozenset(_FILLER_WORDS.split())  # words that carry no wish of their own


def _time_pattern(tag: str, *, noon: bool = True) -> str:
    clock = rf"(?P<h{tag}>\d{{1,2}})\s*(?:h|heures?|:)\s*(?P<m{tag}>\d{{2}})?"
    return rf"(?:{clock}|(?P<noon{tag}>midi))" if noon else clock


def _time(match: re.Match[str], tag: str) -> time | None:
    """The time captured under `tag`, or None when it is not a valid time of day."""
    if match.groupdict().get(f"noon{tag}"):
        return time(12)
    hour, minute = int(match[f"h{tag}"]), int(match[f"m{tag}"] or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _minus_one_minute(moment: time) -> time:
    """Last start of "avant 11 h": 10 h 59 (an appointment must start before 11 h)."""
    total = max(moment.hour * 60 + moment.minute - 1, 0)
    return time(total // 60, total % 60)


def _shift(moment: time, minutes: int) -> time:
    total = min(max(moment.hour * 60 + moment.minute + minutes, 0), 23 * 60 + 59)
    return time(total // 60, total % 60)


@dataclass
class _Draft:
    """Preferences being gathered; turned into the frozen `Preferences` at the end."""

    today: date | None
    parts: set[PartOfDay] = field(default_factory=set)
    excluded_parts: set[PartOfDay] = field(default_factory=set)
    weekdays: set[int] = field(default_factory=set)
    excluded_weekdays: set[int] = field(default_factory=set)
    not_before: time | None = None
    not_after: time | None = None
    on_date: date | None = None
    strict: bool = True
    notes: list[str] = field(default_factory=list)

    def after(self, moment: time | None) -> bool:
        if moment is None:
            return False
        self.not_before = moment if self.not_before is None else max(self.not_before, moment)
        return True

    def before(self, moment: time | None) -> bool:
        if moment is None:
            return False
        self.not_after = moment if self.not_after is None else min(self.not_after, moment)
        return True

    def build(self, unparsed: tuple[str, ...]) -> Preferences:
        parts = set(self.parts)
        if self.excluded_parts:
            parts = (parts or set(PartOfDay)) - self.excluded_parts
        prefs = Preferences(
            parts_of_day=frozenset(parts),
            weekdays=frozenset(self.weekdays - self.excluded_weekdays),
            excluded_weekdays=frozenset(self.excluded_weekdays),
            strict=self.strict,
            unparsed=unparsed,
            on_date=self.on_date,
        )
        if (
            self.not_before is not None
            and self.not_after is not None
            and self.not_after < self.not_before
        ):
            return replace(prefs, unparsed=(*unparsed, "heures contradictoires"))
        return replace(prefs, not_before=self.not_before, not_after=self.not_after)


# A handler reads one match into the draft; False means "not mine", the text stays.
Handler = Callable[[re.Match[str], _Draft], bool]


def _between(match: re.Match[str], draft: _Draft) -> bool:
    start, end = _time(match, "1"), _time(match, "2")
    if start is None or end is None or end <= start:
        return False
    return draft.after(start) and draft.before(end)


def _lunch(match: re.Match[str], draft: _Draft) -> bool:
    return draft.after(time(12)) and draft.before(time(13, 59))


def _not_before(match: re.Match[str], draft: _Draft) -> bool:
    return draft.after(_time(match, ""))


def _not_after(match: re.Match[str], draft: _Draft) -> bool:
    return draft.before(_time(match, ""))


def _strictly_before(match: re.Match[str], draft: _Draft) -> bool:
    moment = _time(match, "")
    return moment is not None and draft.before(_minus_one_minute(moment))


def _around(match: re.Match[str], draft: _Draft) -> bool:
    moment = _time(match, "")
    if moment is None:
        return False
    draft.strict = False
    return draft.after(_shift(moment, -60)) and draft.before(_shift(moment, 60))


def _part(part: PartOfDay, *, until: time | None = None) -> Handler:
    def handle(match: re.Match[str], draft: _Draft) -> bool:
        draft.parts.add(part)
        return until is None or draft.before(until)

    return handle


def _late_morning(match: re.Match[str], draft: _Draft) -> bool:
    draft.parts.add(PartOfDay.MATIN)
    return draft.after(time(10))


def _not_part(match: re.Match[str], draft: _Draft) -> bool:
    words = match[0]
    if "apres midi" in words or "aprem" in words:
        draft.excluded_parts.add(PartOfDay.APRES_MIDI)
    elif "matin" in words:
        draft.excluded_parts.add(PartOfDay.MATIN)
    else:
        draft.excluded_parts.add(PartOfDay.SOIR)
    return True


def _soft(match: re.Match[str], draft: _Draft) -> bool:
    draft.strict = False
    return True


def _nothing(match: re.Match[str], draft: _Draft) -> bool:
    return True


def _day_numbers(words: str) -> set[int]:
    return {_DAY_NAMES.index(name.rstrip("s")) for name in re.findall(_DAY, words)}


def _not_days(match: re.Match[str], draft: _Draft) -> bool:
    draft.excluded_weekdays |= _day_numbers(match[0])
    return True


def _days(match: re.Match[str], draft: _Draft) -> bool:
    draft.weekdays |= _day_numbers(match[0])
    return True


def _set_days(days: set[int]) -> Handler:
    def handle(match: re.Match[str], draft: _Draft) -> bool:
        draft.weekdays |= days
        return True

    return handle


def _relative(offset: int) -> Handler:
    def handle(match: re.Match[str], draft: _Draft) -> bool:
        if draft.today is None:
            return False
        draft.on_date = draft.today + timedelta(days=offset)
        return True

    return handle


def _next_date(today: date, day: int, month: int | None, year: int | None) -> date | None:
    """The date meant by "le 14" or "le 14 janvier": the next one from today."""
    try:
        if month is None:
            found = date(today.year, today.month, day)
            if found < today:
                following = today.replace(day=1) + timedelta(days=32)
                found = date(following.year, following.month, day)
            return found
        found = date(year or today.year, month, day)
        if year is None and found < today:
            found = date(today.year + 1, month, day)
        return found
    except ValueError:
        return None


def _dated(match: re.Match[str], draft: _Draft) -> bool:
    named = match["weekday"] or match["month"] or match["article"]
    if draft.today is None or not named:
        return False
    month = _MONTHS.index(match["month"]) + 1 if match["month"] else None
    year = int(match["year"]) if match["year"] else None
    found = _next_date(draft.today, int(match["day"]), month, year)
    if found is None:
        return False
    weekday = match["weekday"]
    if weekday and _DAY_NAMES.index(weekday.rstrip("s")) != found.weekday():
        real = _DAY_NAMES[found.weekday()]
        draft.notes.append(f"{match[0].strip()} (le {found.day} est un {real})")
        return True
    draft.on_date = found
    return True


def _numeric_date(match: re.Match[str], draft: _Draft) -> bool:
    if draft.today is None:
        return False
    year = int(match["year"]) if match["year"] else None
    if year is not None and year < 100:
        year += 2000
    found = _next_date(draft.today, int(match["day"]), int(match["month"]), year)
    if found is None:
        return False
    draft.on_date = found
    return True


_T = _time_pattern("")
_RULES: tuple[tuple[str, Handler], ...] = (
    (rf"entre {_time_pattern('1')} et {_time_pattern('2')}", _between),
    (r"entre midi et (?:deux|2)(?: heures?)?|heure du dejeuner|pause dejeuner", _lunch),
    (rf"(?:pas avant|a partir de|des|au plus tot a|pas plus tot qu a) {_T}", _not_before),
    (rf"(?:pas apres|jusqu a|au plus tard a|pas plus tard qu a) {_T}", _not_after),
    (rf"avant {_T}", _strictly_before),
    (rf"apres {_time_pattern('', noon=False)}", _not_before),
    (rf"(?:vers|aux alentours de|autour de) {_T}", _around),
    (rf"{_NEGATION} {_ARTICLE}(?:matinee|matin|apres midi|aprem|soiree|soir)s?", _not_part),
    (
        r"(?:en |tot le |de bonne heure le )?debut de matinee|tot le matin|de bonne heure",
        _part(PartOfDay.MATIN, until=time(9, 59)),
    ),
    (r"debut d apres midi", _part(PartOfDay.APRES_MIDI, until=time(14, 59))),
    (r"fin de matinee", _late_morning),
    (
        r"fin de journee|fin d apres midi|(?:en )?soiree|soirs?|tard dans la journee",
        _part(PartOfDay.SOIR),
    ),
    (r"apres midis?|aprems?", _part(PartOfDay.APRES_MIDI)),
    (r"matinees?|matins?", _part(PartOfDay.MATIN)),
    (_SOFTENERS, _soft),
    (_INDIFFERENT, _nothing),
    (r"en semaine|jours? de semaine", _set_days(set(range(5)))),
    (r"(?:le |ce |en )?week ?end", _set_days({5, 6})),
    (rf"{_NEGATION} {_ARTICLE}{_DAY}(?: (?:et |ni |ou )?{_ARTICLE}{_DAY})*", _not_days),
    (r"apres demain", _relative(2)),
    (r"aujourd hui|ce jour", _relative(0)),
    (r"demain", _relative(1)),
    (
        rf"(?P<article>le )?(?:(?P<weekday>{_DAY}) )?(?P<day>\d{{1,2}})(?:er)?"
        rf"(?: (?P<month>{_MONTH}))?(?: (?P<year>\d{{4}}))?",
        _dated,
    ),
    (r"(?P<day>\d{1,2})/(?P<month>\d{1,2})(?:/(?P<year>\d{2,4}))?", _numeric_date),
    (rf"{_DAY}", _days),
)
_COMPILED = tuple(
    # The group keeps the word boundaries around every alternative, not just the first and
    # last ones: "plutot le matin" must not match "tot le matin".
    (re.compile(rf"(?<!\w)(?:{pattern})(?!\w)"), handler)
    for pattern, handler in _RULES
)


def _normalise(text: str) -> str:
    """Folded text where only letters, digits, ":" and "/" remain between single spaces."""
    folded = fold(text)
    return " ".join(re.sub(r"[^\w:/]+|_", " ", folded).split())


def parse_preferences(text: str, *, today: date | None = None) -> Preferences:
    """Preferences from the secretary's words; dates ("demain", "le 14") need `today`.

    Phrases that are not understood are left in `unparsed` rather than guessed.
    """
    draft = _Draft(today)
    remaining = _normalise(text)
    for pattern, handler in _COMPILED:

        def apply(match: re.Match[str], handler: Handler = handler) -> str:
            return " " if handler(match, draft) else match[0]

        remaining = pattern.sub(apply, remaining)
    leftovers = tuple(word for word in remaining.split() if word not in _FILLER)
    return draft.build((*draft.notes, *leftovers))
