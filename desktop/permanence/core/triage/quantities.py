"""Numbers read from the text: temperature, tension, glycemia, durations, ages.

"39,5", "38.5°", "38°2", "il a 40 de fièvre", "tension à 16/9", "depuis 3 jours",
"mon bébé de 6 semaines", "il a 1 mois et demi", "nouveau-né", "née en 2019".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from permanence.core.triage.lexicon import Lexicon, Measure
from permanence.core.triage.text import NO_BREAK, SENTENCE

DAYS_PER_YEAR = 365.25
NEWBORN_YEARS = 0.04
_NEAR = 3
_PREGNANCY = frozenset({"enceinte", "grossesse", "terme", "amenorrhee", "enceint"})
_HAVE = frozenset({"a", "ai", "as", "avait", "fait"})
_SUBJECTS = frozenset({"il", "elle", "j", "qui", "bebe", "nourrisson", "fils", "fille", "enfant"})
_FILLERS = frozenset(
    {
        "seulement",
        "juste",
        "tout",
        "peine",
        "presque",
        "bientot",
        "environ",
        "deja",
        "que",
        "qu",
        "a",
    }
)
_SINCE_WORDS = {"hier": 1.0, "matin": 0.3, "nuit": 0.3, "soir": 0.2, "longtemps": 60.0}


@dataclass(slots=True)
class Quantities:
    """Values found in one text, each with the token index where it was read."""

    measures: dict[str, list[tuple[float, int]]] = field(default_factory=dict)
    durations: list[tuple[float, int]] = field(default_factory=list)  # (days, token index)
    ages: list[tuple[float, int]] = field(default_factory=list)  # (years, token index)

    def measure(self, name: str) -> list[tuple[float, int]]:
        return self.measures.get(name, [])


@dataclass(frozen=True)
class QuantityReader:
    lexicon: Lexicon
    current_year: int

    def read(
        self,
        words: Sequence[str],
        numbers: Sequence[float | None],
        brk: Sequence[int],
        text: str,
        ends: Sequence[int],
    ) -> Quantities:
        found = Quantities()
        used: set[int] = set()
        for measure in self.lexicon.measures:
            for value, index in self._explicit(measure, words, numbers, brk, text, ends):
                found.measures.setdefault(measure.name, []).append((value, index))
                used.add(index)
        for measure in self.lexicon.measures:
            for value, index in self._implicit(measure, words, numbers, used):
                found.measures.setdefault(measure.name, []).append((value, index))
        found.durations = self._durations(words, numbers)
        found.ages = self._ages(words, numbers, brk)
        return found

    def _unit_follows(self, i: int, words: Sequence[str]) -> bool:
        return i + 1 < len(words) and words[i + 1] in self.lexicon.units

    def _value(self, measure: Measure, raw: float) -> float | None:
        value = raw / 10 if measure.divide_above and raw > measure.divide_above else raw
        return value if measure.low <= value <= measure.high else None

    def _explicit(
        self,
        measure: Measure,
        words: Sequence[str],
        numbers: Sequence[float | None],
        brk: Sequence[int],
        text: str,
        ends: Sequence[int],
    ) -> list[tuple[float, int]]:
        found: list[tuple[float, int]] = []
        for i, raw in enumerate(numbers):
            if raw is None or self._unit_follows(i, words):
                continue
            degree = measure.name == "temperature" and text[ends[i] : ends[i] + 1] == "°"
            if degree or self._near_word(i, measure, words, brk):
                value = self._value(measure, raw)
                if value is not None:
                    found.append((value, i))
        return found

    def _near_word(
        self, i: int, measure: Measure, words: Sequence[str], brk: Sequence[int]
    ) -> bool:
        for j in range(i - 1, max(-1, i - 1 - _NEAR), -1):  # word before the number
            if words[j][:1].isdigit():  # "16/9": the 9 belongs to the 16
                return False
            if words[j] in measure.words:
                return True
            if brk[j + 1] == SENTENCE:
                break
        for j in range(i + 1, min(len(words), i + 1 + _NEAR)):  # "39 de fièvre"
            if brk[j] == SENTENCE:
                break
            if words[j] in measure.words:
                return True
        return False

    def _implicit(
        self,
        measure: Measure,
        words: Sequence[str],
        numbers: Sequence[float | None],
        used: set[int],
    ) -> list[tuple[float, int]]:
        if measure.implicit is None:
            return []
        low, high = measure.implicit
        return [
            (raw, i)
            for i, raw in enumerate(numbers)
            if raw is not None
            and i not in used
            and low <= raw <= high
            and not self._unit_follows(i, words)
            and not (i + 1 < len(words) and words[i + 1] in measure.not_before)
        ]

    def _durations(
        self, words: Sequence[str], numbers: Sequence[float | None]
    ) -> list[tuple[float, int]]:
        found: list[tuple[float, int]] = []
        for i, word in enumerate(words):
            if word not in ("depuis", "fait", "pendant"):
                continue
            start = i + 1
            while start < min(len(words), i + 4) and words[start] in (
                "plus",
                "de",
                "d",
                "au",
                "moins",
                "bientot",
                "ce",
            ):
                start += 1
            days = self._days_at(start, words, numbers)
            if days is None and start < len(words):
                days = _SINCE_WORDS.get(words[start])
            if days is not None:
                found.append((days, i))
        return found

    def _days_at(
        self, i: int, words: Sequence[str], numbers: Sequence[float | None]
    ) -> float | None:
        if i + 1 >= len(words):
            return None
        value = numbers[i] if numbers[i] is not None else self.lexicon.numbers.get(words[i])
        unit = self.lexicon.units.get(words[i + 1])
        if value is None or unit is None:
            return None
        half = i + 3 < len(words) and words[i + 2] == "et" and words[i + 3] == "demi"
        return (value + (0.5 if half else 0.0)) * unit

    def _ages(
        self, words: Sequence[str], numbers: Sequence[float | None], brk: Sequence[int]
    ) -> list[tuple[float, int]]:
        persons = self.lexicon.word_set("persons") | self.lexicon.word_set("age_words")
        found: list[tuple[float, int]] = []
        for i in range(1, len(words)):
            days = self._days_at(i, words, numbers)
            if days is None or days < 1:
                continue
            if brk[i] != NO_BREAK and not (brk[i] != SENTENCE and words[i - 1] in persons):
                continue
            if i + 2 < len(words) and words[i + 2] in ("de", "d"):  # "3 jours de fièvre"
                continue
            if self._is_age_context(i, words, persons):
                found.append((days / DAYS_PER_YEAR, i))
        for i, word in enumerate(words[:-1]):
            nxt = words[i + 1]
            if word == "nouveau" and nxt in ("ne", "nee", "nes"):
                found.append((NEWBORN_YEARS, i))
            if word in ("ne", "nee") and words[i + 1 : i + 4] == ["il", "y", "a"]:
                days = self._days_at(i + 4, words, numbers)
                if days is not None:
                    found.append((max(days / DAYS_PER_YEAR, 0.001), i))
            year = numbers[i + 1]
            if word in ("ne", "nee") and i + 2 < len(words) and words[i + 1] == "en":
                year = numbers[i + 2]
            if word in ("ne", "nee") and year is not None and 1900 <= year <= self.current_year:
                found.append((max(self.current_year - year, NEWBORN_YEARS), i))
        return found

    def _is_age_context(self, i: int, words: Sequence[str], persons: frozenset[str]) -> bool:
        while i > 1 and words[i - 1] in _FILLERS:  # "il a tout juste 5 semaines"
            i -= 1
        previous = words[i - 1]
        if previous in persons and previous not in ("ne", "nee"):  # "bébé 6 semaines"
            return True
        before = words[max(0, i - 3) : i - 1]
        if previous in ("de", "d"):
            if any(w in _PREGNANCY for w in before):
                return False
            return any(w in persons for w in before)
        if previous in _HAVE and i >= 2:
            return words[i - 2] != "y" and (words[i - 2] in _SUBJECTS or words[i - 2] in persons)
        return previous in self.lexicon.word_set("age_words")
