"""From the typed text to a `Document`: expanded, corrected tokens with their context marks."""

from __future__ import annotations

from dataclasses import dataclass

from permanence.core.triage.context import ContextReader, phrase_matcher
from permanence.core.triage.lexicon import Lexicon
from permanence.core.triage.quantities import Quantities, QuantityReader
from permanence.core.triage.spelling import Speller
from permanence.core.triage.text import Tokens, raw_tokens

_ELIDED = frozenset("jlndmtsc")
_VOWELS = frozenset("aeiouyh")
# "bras g", "oeil d": a single letter after a body part is a side, not "g" = "j'ai".
_SIDED = frozenset(
    [
        "bras",
        "jambe",
        "main",
        "pied",
        "oeil",
        "cote",
        "epaule",
        "genou",
        "hanche",
        "poignet",
        "cheville",
        "oreille",
        "joue",
        "sein",
        "mollet",
        "cuisse",
        "coude",
        "doigt",
        "fesse",
    ]
)
_SIDES = {"g": "gauche", "d": "droit", "dt": "droit", "gche": "gauche"}
# "30 SA", "33 sem": weeks of pregnancy (semaines d'aménorrhée), not the word "sa".
_WEEKS = frozenset({"semaines", "semaine", "sem", "sems", "smn"})
_BE = frozenset({"suis", "est", "es", "etes"})
_AFTER_NUMBER = {"sa": ("semaines", "amenorrhee")}


@dataclass(slots=True)
class Document:
    """One analysed text; lists are parallel, indexed by token."""

    text: str
    tokens: Tokens
    stop: list[bool]
    clauses: list[int]
    negated: list[bool]
    unreal: list[bool]
    # Words inside a set phrase ("j'en peux plus de ce bruit", "mort de rire"): no symptom.
    idiom: list[bool]
    quantities: Quantities
    corrections: list[tuple[str, str]]


class Analyzer:
    """Reads French as typed on the phone; built once per catalog (it holds the vocabulary)."""

    def __init__(self, lexicon: Lexicon, speller: Speller, current_year: int) -> None:
        self.lexicon = lexicon
        self.speller = speller
        self.context = ContextReader(
            lexicon=lexicon,
            history=phrase_matcher(lexicon.history_phrases, lexicon),
            history_forward=phrase_matcher(lexicon.history_forward_phrases, lexicon),
            current=phrase_matcher(lexicon.current_phrases, lexicon),
            recurrence=phrase_matcher(lexicon.recurrence_phrases, lexicon),
            hypotheses=phrase_matcher(lexicon.hypothesis_phrases, lexicon),
            current_year=current_year,
        )
        self.quantities = QuantityReader(lexicon, current_year)
        self.idioms = phrase_matcher(lexicon.idiom_phrases, lexicon)
        # Small words and filler adverbs are free inside the gap between two pattern words.
        self._stopwords = lexicon.word_set("stopwords") | lexicon.word_set("fillers")

    def tokenize(self, text: str) -> tuple[Tokens, list[tuple[str, str]]]:
        """Tokens after abbreviations, missing apostrophes and typing mistakes are fixed."""
        tokens = Tokens()
        corrections: list[tuple[str, str]] = []
        previous_number = False
        previous = ""
        for raw in raw_tokens(text):
            if previous_number and (
                raw.text in _AFTER_NUMBER or self._pregnancy_weeks(raw.text, tokens.words)
            ):
                words: tuple[str, ...] = _AFTER_NUMBER["sa"]
            elif previous_number and len(raw.text) == 1:  # "4 g", "2 h": a unit, not "j'ai"
                words = (raw.text,)
            elif previous in _SIDED and raw.text in _SIDES:
                words = (_SIDES[raw.text],)
            else:
                words = self._expand(raw.text, corrections)
            previous_number = raw.number is not None
            previous = words[-1] if words else ""
            for word in words:
                tokens.append(word, raw.start, raw.end, raw.number, raw.brk)
                raw.brk = 0
        return tokens, corrections

    @staticmethod
    def _pregnancy_weeks(word: str, before: list[str]) -> bool:
        """ "je suis à 38 semaines", "elle est à 30 sem": a pregnancy term."""
        return word in _WEEKS and len(before) >= 3 and before[-2] == "a" and before[-3] in _BE

    def _expand(self, word: str, corrections: list[tuple[str, str]]) -> tuple[str, ...]:
        if word[0].isdigit():
            return (word,)
        expansion = self.lexicon.abbreviations.get(word)
        if expansion is not None:
            return expansion
        if self.speller.is_known(word):
            return (word,)
        rest = word[1:]
        if (
            word[0] in _ELIDED
            and (rest[:1] in _VOWELS or word[0] == "j")
            and len(rest) > 2
            and self.speller.is_known(rest)
        ):
            return (word[0], rest)  # "jarrive" → "j arrive"; never "cage" → "c age"
        corrected = self.speller.correct(word)
        if corrected is None:
            return (word,)
        corrections.append((word, corrected))
        return (corrected,)

    def _idiom_marks(self, words: list[str], brk: list[int], stop: list[bool]) -> list[bool]:
        marks = [False] * len(words)
        for _, positions in self.idioms.find(words, brk, stop, frozenset()):
            for j in range(positions[0], positions[-1] + 1):
                marks[j] = True
        return marks

    def analyse(self, text: str) -> Document:
        tokens, corrections = self.tokenize(text)
        words, brk = tokens.words, tokens.brk
        stop = [w in self._stopwords for w in words]
        clauses = self.context.clauses(words, brk)
        return Document(
            text=text,
            tokens=tokens,
            stop=stop,
            clauses=clauses,
            negated=self.context.negated(words, brk, stop),
            unreal=self.context.unreal(words, brk, stop, clauses, tokens.numbers),
            idiom=self._idiom_marks(words, brk, stop),
            quantities=self.quantities.read(words, tokens.numbers, brk, text, tokens.ends),
            corrections=corrections,
        )
