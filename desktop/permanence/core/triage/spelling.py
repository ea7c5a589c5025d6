"""Tolerance to typing mistakes: an unknown word is mapped to a catalog word close to it.

Care is taken so short words never false-match: only words of 5 letters or more are
corrected, only towards catalog words of 6 letters or more sharing the first letter, with
one edit (two from 9 letters), and never a word of the list of common words.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

_AZERTY = ("azertyuiop", "qsdfghjklm", "wxcvbn")
_PHONETIC = {frozenset(p) for p in ("cs", "sz", "ck", "kq", "gj", "iy", "mn", "ea", "ou", "sx")}


def _neighbours() -> set[frozenset[str]]:
    pairs: set[frozenset[str]] = set()
    for r, row in enumerate(_AZERTY):
        for c, ch in enumerate(row):
            around = [row[c - 1] if c else "", row[c + 1] if c + 1 < len(row) else ""]
            for other in _AZERTY[r - 1 : r] + _AZERTY[r + 1 : r + 2]:
                around.extend(other[max(0, c - 1) : c + 2])
            pairs.update(frozenset((ch, o)) for o in around if o and o != ch)
    return pairs | _PHONETIC


_CLOSE_KEYS = _neighbours()


def plausible_typo(typed: str, meant: str) -> bool:
    """A one-letter substitution must be a keyboard slip or a sound-alike ("grasse" ≠ "grosse")."""
    if len(typed) != len(meant) or sorted(typed) == sorted(meant):
        return True  # a letter added, dropped or swapped
    diffs = [(a, b) for a, b in zip(typed, meant, strict=True) if a != b]
    return len(diffs) != 1 or frozenset(diffs[0]) in _CLOSE_KEYS


MIN_WORD = 5
MIN_TARGET = 6
_CACHE_LIMIT = 20_000


class Speller:
    """Maps an unknown word to the catalog word (or word start) it most likely meant."""

    def __init__(self, words: Iterable[str], stems: Iterable[str], known: Iterable[str]) -> None:
        self._words = frozenset(words)
        self._stems = tuple(sorted(set(stems)))
        self._known = frozenset(known) | self._words
        self._targets: dict[str, list[str]] = {}
        for word in self._words:
            if len(word) >= MIN_TARGET and word.isalpha():
                self._targets.setdefault(word[0], []).append(word)
        self._stem_targets: dict[tuple[str, int], list[str]] = {}
        for stem in self._stems:
            if len(stem) >= MIN_TARGET:
                self._stem_targets.setdefault((stem[0], len(stem)), []).append(stem)
        self._cache: dict[str, str | None] = {}

    def is_known(self, word: str) -> bool:
        """A catalog word, a common word, or a word starting with a catalog word start."""
        return word in self._known or word.startswith(self._stems)

    def correct(self, word: str) -> str | None:
        """The intended catalog word, or None when `word` is known or nothing is close."""
        if len(word) < MIN_WORD or not word.isalpha() or self.is_known(word):
            return None
        if word in self._cache:
            return self._cache[word]
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        found = self._closest(word)
        self._cache[word] = found
        return found

    def _closest(self, word: str) -> str | None:
        limit = 1 if len(word) < 9 else 2
        candidates = self._targets.get(word[0], [])
        found = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=limit, limit=5)
        for target, _, _ in sorted(found, key=lambda item: item[1]):
            if plausible_typo(word, str(target)):
                return str(target)
        for (initial, length), stems in self._stem_targets.items():
            if initial != word[0] or length > len(word) + 1:
                continue
            for cut in (length, length - 1, length + 1):  # typo may add or drop a letter
                if cut < MIN_TARGET:
                    continue
                near = process.extractOne(word[:cut], stems, scorer=OSA.distance, score_cutoff=1)
                if near is not None and plausible_typo(word[:cut], str(near[0])):
                    return str(near[0]) + word[cut:]
        return None
