"""Catalog wordings compiled to token patterns, and a matcher indexed by first token.

Pattern syntax (one wording, in plain French): words separated by spaces, matched without
accents or case. Articles, prepositions and pronouns are dropped ("mal à la poitrine" is
the pattern `mal poitrine`), and the text may hold up to two other words between two
pattern words ("mal très fort dans la poitrine"). Extra syntax, used sparingly:
`respir*` matches any word starting with "respir"; `poitrine|thorax` is a choice of words;
`=me` keeps a small word and forbids any gap next to it ("vais =me tuer" does not match
"ça me tue"); `+poitrine` allows only small words in the gap before and after it ("mal
+poitrine" matches "mal à la poitrine", not "mal à la gorge, poitrine encombrée"). Next to
a negation word of the pattern ("arrive pas respirer") only small words may sit in the
gap, so "pas de mal à respirer" is not read as "pas respirer".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from permanence.core.triage.text import COMMA, SENTENCE, fold_phrase

MAX_GAP_TOKENS = 8
MAX_GAP_CONTENT = 2
MIN_STEM = 3

_ALT_RE = re.compile(r"^[=+]?[a-z0-9]+\*?$")
_SPLIT_RE = re.compile(r"[^a-z0-9*=+|]+")


class PatternError(ValueError):
    """A wording cannot be compiled; the message is French and names the wording."""


@dataclass(frozen=True, slots=True)
class Slot:
    """One position of a pattern: exact words and/or word prefixes."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]
    literal: bool
    negation: bool
    tight: bool = False

    def accepts(self, word: str) -> bool:
        return word in self.exact or (bool(self.prefixes) and word.startswith(self.prefixes))


Pattern = tuple[Slot, ...]


@dataclass(frozen=True, slots=True)
class PatternWords:
    """The word sets pattern compilation needs from the lexicon."""

    stopwords: frozenset[str]
    negations: frozenset[str]
    abbreviations: dict[str, tuple[str, ...]]


def _inflections(word: str, words: PatternWords) -> tuple[str, ...]:
    """Other forms of a past participle written in a wording ("avale": avaler, avalée…).

    Catalog wordings name a verb by one form; callers use them all ("je viens d'avaler").
    """
    if len(word) < 4 or not word.endswith("e") or word.endswith("ee") or word in words.stopwords:
        return ()
    return (word + "r", word + "e", word + "s", word + "es", word + "z")


def _slot(alternatives: Sequence[str], words: PatternWords, wording: str) -> Slot:
    exact: set[str] = set()
    prefixes: list[str] = []
    literal = tight = False
    for alternative in alternatives:
        if not _ALT_RE.match(alternative):
            raise PatternError(f"« {wording} » : mot « {alternative} » mal formé")
        if alternative.startswith("="):
            literal = True
            alternative = alternative[1:]
        elif alternative.startswith("+"):
            tight = True
            alternative = alternative[1:]
        if alternative.endswith("*"):
            stem = alternative[:-1]
            if len(stem) < MIN_STEM:
                raise PatternError(
                    f"« {wording} » : le début de mot « {stem}* » doit avoir au moins "
                    f"{MIN_STEM} lettres"
                )
            prefixes.append(stem)
        else:
            exact.add(alternative)
            if not literal:
                exact.update(_inflections(alternative, words))
    negation = bool(exact & words.negations)
    return Slot(frozenset(exact), tuple(prefixes), literal, negation, tight)


def _chunks(wording: str, words: PatternWords) -> list[list[str]]:
    """The slots' alternatives; small words are dropped unless only one word would remain.

    "coince sous" must not shrink to "coince", nor "nouveau né" to "nouveau": when dropping
    the small words would leave a single word of a longer wording, they are kept as literal
    words (`=sous`), which forbid any gap next to them.
    """
    chunks: list[tuple[list[str], bool]] = []
    for chunk in fold_phrase(wording).split():
        if "|" in chunk:
            chunks.append(([alt for alt in chunk.split("|") if alt], False))
            continue
        for part in _SPLIT_RE.split(chunk):
            if not part:
                continue
            if part[0] in "=+" or part.endswith("*"):
                chunks.append(([part], False))
                continue
            for word in words.abbreviations.get(part, (part,)):
                chunks.append(([word], word in words.stopwords))
    kept = [alternatives for alternatives, small in chunks if not small]
    if len(kept) == 1 and len(chunks) > 1:
        return [[f"={a[0]}"] if small else a for a, small in chunks]
    return kept


def compile_pattern(wording: str, words: PatternWords) -> Pattern:
    """The slots of one wording; raises PatternError if nothing meaningful remains."""
    chunks = _chunks(wording, words)
    if not chunks:
        raise PatternError(f"« {wording} » ne contient aucun mot significatif")
    return tuple(_slot(chunk, words, wording) for chunk in chunks)


def pattern_vocabulary(patterns: Iterable[Pattern]) -> tuple[frozenset[str], frozenset[str]]:
    """All exact words and all prefixes used by `patterns`."""
    exact: set[str] = set()
    stems: set[str] = set()
    for pattern in patterns:
        for slot in pattern:
            exact.update(slot.exact)
            stems.update(slot.prefixes)
    return frozenset(exact), frozenset(stems)


Hit = tuple[int, tuple[int, ...]]  # (pattern index, token positions)


class Matcher:
    """Finds every occurrence of many patterns in a token list, indexed by first slot."""

    def __init__(self, patterns: Sequence[Pattern]) -> None:
        self.patterns: tuple[Pattern, ...] = tuple(patterns)
        self._by_word: dict[str, list[int]] = {}
        self._by_prefix: dict[str, list[int]] = {}
        for index, pattern in enumerate(self.patterns):
            first = pattern[0]
            for word in first.exact:
                self._by_word.setdefault(word, []).append(index)
            for stem in first.prefixes:
                self._by_prefix.setdefault(stem, []).append(index)
        self._prefix_lengths = sorted({len(stem) for stem in self._by_prefix})

    def _candidates(self, word: str) -> list[int]:
        found = list(self._by_word.get(word, ()))
        for length in self._prefix_lengths:
            if length > len(word):
                break
            found.extend(self._by_prefix.get(word[:length], ()))
        return found

    def find(
        self,
        words: Sequence[str],
        brk: Sequence[int],
        stop: Sequence[bool],
        blockers: frozenset[str],
    ) -> list[Hit]:
        """Every (pattern, positions) occurrence; gaps never cross a sentence boundary."""
        hits: list[Hit] = []
        for start, word in enumerate(words):
            for index in self._candidates(word):
                positions = _match_from(self.patterns[index], start, words, brk, stop, blockers)
                if positions is not None:
                    hits.append((index, positions))
        return hits


def _match_from(
    pattern: Pattern,
    start: int,
    words: Sequence[str],
    brk: Sequence[int],
    stop: Sequence[bool],
    blockers: frozenset[str],
) -> tuple[int, ...] | None:
    positions = [start]
    for previous, slot in pairwise(pattern):
        found = _next_position(previous, slot, positions[-1], words, brk, stop, blockers)
        if found is None:
            return None
        positions.append(found)
    return tuple(positions)


def _next_position(
    previous: Slot,
    slot: Slot,
    after: int,
    words: Sequence[str],
    brk: Sequence[int],
    stop: Sequence[bool],
    blockers: frozenset[str],
) -> int | None:
    strict = previous.literal or slot.literal
    guarded = previous.negation or slot.negation or previous.tight or slot.tight
    content = 0
    last = min(len(words), after + 2 + MAX_GAP_TOKENS)
    for position in range(after + 1, last):
        boundary = brk[position]
        if boundary == SENTENCE or (boundary == COMMA and (strict or guarded)):
            return None
        if slot.accepts(words[position]):
            return position
        if strict or words[position] in blockers:
            return None
        if not stop[position]:
            content += 1
            if guarded or content > MAX_GAP_CONTENT:
                return None
    return None
