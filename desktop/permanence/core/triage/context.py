"""Which words are denied, past or hypothetical: negation scopes, history, "si jamais…".

A caller says "pas de fièvre", "sans gonflement", "ni toux ni gêne", "j'ai eu un infarctus
il y a 5 ans", "si jamais il a de la fièvre": those words must not raise the level.
Current cues ("depuis ce matin", "à nouveau") in the same clause win over history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from permanence.core.triage.lexicon import Lexicon
from permanence.core.triage.patterns import Matcher, Slot
from permanence.core.triage.text import NO_BREAK

HISTORY_MIN_DAYS = 7.0
# An event named just before "il y a" (a birth, an operation) stays current this long.
RECENT_EVENT_DAYS = 60.0
_POSSESSIVES = frozenset({"mon", "ma", "mes", "son", "sa", "ses", "leur", "leurs", "notre"})
_NOT_AFTER_POST = frozenset(
    {
        "de",
        "d",
        "du",
        "des",
        "mal",
        "un",
        "une",
        "que",
        "qu",
        "fort",
        "vite",
        "en",
        "souvent",
        "beaucoup",
        "longtemps",
        "abondamment",
        "tot",
        "tard",
        "trop",
        "aussi",
        "le",
        "la",
        "les",
    }
)
_APPROX = frozenset(
    {
        "plus",
        "de",
        "d",
        "environ",
        "presque",
        "bien",
        "au",
        "moins",
        "a",
        "peu",
        "pres",
        "deja",
        "quasiment",
    }
)
_BIRTH = frozenset({"ne", "nee", "nes", "nees", "naissance"})


def phrase_matcher(phrases: Sequence[str], lexicon: Lexicon) -> Matcher:
    """Fixed expressions matched word for word, without gaps."""
    patterns = []
    for phrase in phrases:
        words: list[str] = []
        for word in phrase.split():
            words.extend(lexicon.abbreviations.get(word, (word,)))
        patterns.append(tuple(Slot(frozenset({w}), (), True, False) for w in words))
    return Matcher(patterns)


@dataclass(frozen=True)
class ContextReader:
    """Computes negation, clause, history and hypothesis marks for a token list."""

    lexicon: Lexicon
    history: Matcher
    history_forward: Matcher
    current: Matcher
    recurrence: Matcher
    hypotheses: Matcher
    current_year: int

    @cached_property
    def gap_negations(self) -> frozenset[str]:
        """Negations that deny a wording from between its words ("saigne plus beaucoup")."""
        return self.lexicon.word_set("negation_post") - {"non"}

    @cached_property
    def _recent_event_stems(self) -> tuple[str, ...]:
        return tuple(self.lexicon.word_set("recent_events"))

    def comparative_plus(self, j: int, words: Sequence[str]) -> bool:
        """ "respire plus vite": this "plus" starts a comparison, it is not "ne … plus"."""
        return (
            words[j] == "plus"
            and j + 1 < len(words)
            and words[j + 1] in self.lexicon.word_set("comparatives")
        )

    def clauses(self, words: Sequence[str], brk: Sequence[int]) -> list[int]:
        breaks = self.lexicon.word_set("clause_breaks")
        and_breaks = self.lexicon.word_set("and_breaks")
        clause, result = 0, []
        for i, word in enumerate(words):
            next_word = words[i + 1] if i + 1 < len(words) else ""
            if i and (
                brk[i] != NO_BREAK or word in breaks or (word == "et" and next_word in and_breaks)
            ):
                clause += 1
            result.append(clause)
        return result

    def negated(self, words: Sequence[str], brk: Sequence[int], stop: Sequence[bool]) -> list[bool]:
        """True where a match starting at that word is denied by an earlier cue."""
        marks = [False] * len(words)
        for i, word in enumerate(words):
            if self._is_pre_cue(i, word, words, brk):
                self._mark_scope(i, words, brk, stop, marks)
        return marks

    def _is_pre_cue(self, i: int, word: str, words: Sequence[str], brk: Sequence[int]) -> bool:
        if word not in self.lexicon.word_set("negation_pre"):
            return False
        if self._inability(i, words, brk):
            return False  # "je n'arrive plus à respirer" is a symptom, not a denial
        nxt = words[i + 1] if i + 1 < len(words) else ""
        after = words[i + 2] if i + 2 < len(words) else ""
        if word == "plus":
            if nxt[:1].isdigit() or nxt == "en" or after[:1].isdigit():
                return False  # "plus de 3 jours", "de plus en plus"
            before = [words[j] for j in range(max(0, i - 3), i) if brk[j + 1] == NO_BREAK]
            return "n" in before or "ne" in before or nxt in ("de", "d")
        if word == "rien":
            return nxt not in ("ne", "n")
        if word == "absence":
            return nxt in ("de", "d")
        if word == "sans":
            return nxt not in ("arret", "cesse", "interruption", "doute")
        if word == "jamais":
            return not (nxt == "eu" and after in ("aussi", "si", "autant"))
        return not (word == "pas" and nxt == "mal" and after in ("de", "d", "du", "des"))

    def _inability(self, i: int, words: Sequence[str], brk: Sequence[int]) -> bool:
        """True for "n'arrive plus (à X ni à Y)", "ne peut pas": an inability, not a denial."""
        verbs = self.lexicon.word_set("inability")
        for j in range(i - 1, max(-1, i - 8), -1):
            if brk[j + 1] != NO_BREAK:
                return False
            if words[j] in verbs:
                return j >= i - 2 or words[i] == "ni"
            if words[i] != "ni" and words[j] not in ("ne", "n"):
                return False
        return False

    def _mark_scope(
        self,
        cue: int,
        words: Sequence[str],
        brk: Sequence[int],
        stop: Sequence[bool],
        marks: list[bool],
    ) -> None:
        ends = self.lexicon.word_set("scope_end")
        cues = self.lexicon.word_set("negation_pre")
        transparent = self.lexicon.word_set("scope_transparent")
        content = 0
        for j in range(cue + 1, len(words)):
            word = words[j]
            if brk[j] != NO_BREAK or word in ends or (word in cues and word != "plus"):
                return
            marks[j] = True
            if word == "ou":
                content = 0
            elif not stop[j] and word not in transparent:
                content += 1
                if content >= 2:
                    return

    def post_negated(self, end: int, words: Sequence[str], brk: Sequence[int]) -> bool:
        """True when the word after a match denies it ("ça saigne pas", "il vomit plus")."""
        nxt = end + 1
        if nxt >= len(words) or brk[nxt] != NO_BREAK:
            return False
        if words[nxt] not in self.lexicon.word_set("negation_post"):
            return False
        after = nxt + 1
        return after >= len(words) or brk[after] != NO_BREAK or words[after] not in _NOT_AFTER_POST

    def unreal(
        self,
        words: Sequence[str],
        brk: Sequence[int],
        stop: Sequence[bool],
        clauses: list[int],
        numbers: Sequence[float | None],
    ) -> list[bool]:
        """True for words that speak of the past or of a hypothesis, not of the present."""
        past = self._history_marks(words, brk, stop, clauses, numbers)
        for _, positions in self.hypotheses.find(words, brk, stop, frozenset()):
            for j in range(positions[0], len(words)):
                if clauses[j] != clauses[positions[0]]:
                    break
                past[j] = True
        return past

    def _history_marks(
        self,
        words: Sequence[str],
        brk: Sequence[int],
        stop: Sequence[bool],
        clauses: list[int],
        numbers: Sequence[float | None],
    ) -> list[bool]:
        cues, current = self._time_cues(words, numbers)
        cues.extend(positions for _, positions in self.history.find(words, brk, stop, frozenset()))
        current.extend(p for _, p in self.current.find(words, brk, stop, frozenset()))
        current_clauses = {clauses[p[0]] for p in current}
        marks = [False] * len(words)
        for positions in cues:
            self._mark_history(positions, words, stop, clauses, current_clauses, marks)
        for _, positions in self.history_forward.find(words, brk, stop, frozenset()):
            clause = clauses[positions[0]]
            if clause not in current_clauses:
                for j in range(positions[0], len(words)):
                    if clauses[j] != clause:
                        break
                    marks[j] = True
        self._mark_since_event(words, marks)
        # "colique néphrétique il y a 2 ans, et là ça recommence": the old episode is back.
        for _, positions in self.recurrence.find(words, brk, stop, frozenset()):
            for j in range(positions[0]):
                marks[j] = False
        return marks

    def _mark_history(
        self,
        cue: tuple[int, ...],
        words: Sequence[str],
        stop: Sequence[bool],
        clauses: list[int],
        current_clauses: set[int],
        marks: list[bool],
    ) -> None:
        clause = clauses[cue[0]]
        stops = self.lexicon.word_set("history_stops")
        span = [j for j, c in enumerate(clauses) if c == clause]
        others = [j for j in span if j not in cue and not stop[j]]
        if not others and clause + 1 in clauses:  # "Il y a 5 ans, j'ai fait un AVC"
            clause += 1
            span = [j for j, c in enumerate(clauses) if c == clause]
        if clause in current_clauses:
            return
        segment_start, segment_end = span[0], span[-1]
        for j in span:
            if words[j] in stops and j < cue[0]:
                segment_start = j
            if words[j] in stops and j > cue[-1] and segment_end == span[-1]:
                segment_end = j - 1
        for j in range(segment_start, segment_end + 1):
            marks[j] = True

    def _mark_since_event(self, words: Sequence[str], marks: list[bool]) -> None:
        """ "depuis mon AVC": the event named after "depuis" + possessive is past."""
        for i, word in enumerate(words[:-1]):
            if word == "depuis" and words[i + 1] in _POSSESSIVES:
                for j in range(i + 2, min(len(words), i + 4)):
                    marks[j] = True

    def _time_cues(
        self, words: Sequence[str], numbers: Sequence[float | None]
    ) -> tuple[list[tuple[int, ...]], list[tuple[int, ...]]]:
        past: list[tuple[int, ...]] = []
        current: list[tuple[int, ...]] = []
        for i, word in enumerate(words):
            if word == "y" and i + 1 < len(words) and words[i + 1] == "a":
                if i > 1 and words[i - 2] in _BIRTH:
                    continue
                start = i + 2
                while start < min(len(words), i + 5) and words[start] in _APPROX:
                    start += 1
                days = self.days_after(start, words, numbers)
                if days is not None:
                    end = min(len(words) - 1, start + 1)
                    recent = days < HISTORY_MIN_DAYS or (
                        days < RECENT_EVENT_DAYS and self._after_recent_event(i, words)
                    )
                    (current if recent else past).append(tuple(range(i, end + 1)))
            ahead = self.days_after(i + 1, words, numbers) if word == "dans" else None
            if ahead is not None and ahead >= HISTORY_MIN_DAYS:
                past.append((i, i + 1, min(len(words) - 1, i + 2)))  # "j'accouche dans un mois"
            if self._is_past_year(i, words, numbers):
                past.append((i,))
        return past, current

    def _after_recent_event(self, i: int, words: Sequence[str]) -> bool:
        """ "accouché il y a 10 jours", "opéré il y a 3 semaines": a recent event whose
        consequences are the present (suites de couches, suites opératoires)."""
        return any(w.startswith(self._recent_event_stems) for w in words[max(0, i - 4) : i])

    def _is_past_year(self, i: int, words: Sequence[str], numbers: Sequence[float | None]) -> bool:
        """ "en 2019" is past; "née en 2019" is a birth year (an age), not history."""
        value = numbers[i]
        if value is None or not value.is_integer() or not 1900 <= value < self.current_year:
            return False
        previous = words[i - 1] if i else ""
        before = words[i - 2] if i > 1 else ""
        return previous not in _BIRTH and not (previous == "en" and before in _BIRTH)

    def days_after(
        self, i: int, words: Sequence[str], numbers: Sequence[float | None]
    ) -> float | None:
        """Days in "<number> <unit> [et demi]" starting at word i, or None."""
        if i + 1 >= len(words):
            return None
        value = numbers[i] if numbers[i] is not None else self.lexicon.numbers.get(words[i])
        unit = self.lexicon.units.get(words[i + 1])
        if value is None or unit is None:
            return None
        half = i + 3 < len(words) and words[i + 2] == "et" and words[i + 3] == "demi"
        return (value + (0.5 if half else 0.0)) * unit
