"""Finding a caller by name as she types: accents and case ignored, typos forgiven, words in
any order ("marie dupont" = "Dupont Marie", "le goff" finds "Le Goff-Martin", "Dupond" finds
"Dupont").

An in-memory index of (id, search_key) is built on the first search and kept in step by the
callers service; it holds every word of every name once (the vocabulary) with the callers
using it, so a search compares the typed words to a few thousand distinct words, never to
100 000 names. Thread-safe: the UI may search from a worker thread while the service writes.
"""

from __future__ import annotations

import heapq
import re
import threading
from bisect import bisect_left
from collections.abc import Callable, Iterable

from rapidfuzz import fuzz, process

from permanence.core.text import fold

#: Scores (0–100): exact word 100, word start 80–95, typo ≤ 85; a caller's score is the
#: mean over the typed words, each taking its best match among the caller's words.
EXACT = 100.0
FUZZY_CUTOFF = 75.0  # rapidfuzz ratio (Indel similarity) for a typo: "dupond"/"dupont" = 83
FUZZY_MIN_LENGTH = 4  # shorter typed words must match exactly or as a word start
SURNAME_FIRST_BONUS = 2.0  # "dupont marie" before "marie dupont" for the same people

_SPLIT = re.compile(r"[^0-9a-z]+")

Loader = Callable[[int], Iterable[tuple[int, str]]]


#: Particles written apart or together ("Le Goff"/"Legoff", "d'Hérouville"/"Dherouville").
PARTICLES = frozenset(
    {
        *("d", "l", "le", "la", "les", "de", "des", "du", "da", "di", "del", "della"),
        *("dos", "das", "van", "von", "der", "den", "ten", "mac", "mc", "st", "saint"),
        *("sainte", "ben", "el", "al"),
    }
)


def words(key: str, *, folded: bool = False) -> list[str]:
    """The words of a name ("Le Goff-Martin Yannick" → le, goff, martin, yannick)."""
    return [w for w in _SPLIT.split(key if folded else fold(key)) if w]


def index_words(key: str, *, folded: bool = False) -> tuple[str, ...]:
    """Words indexed for a name: each word, plus each particle written together with what
    follows it, so "legoff" or "delafontaine" typed in one piece finds "Le Goff" and
    "de La Fontaine"."""
    parts = words(key, folded=folded)
    joined = []
    for start, part in enumerate(parts):
        if part in PARTICLES:
            end = start
            while end < len(parts) - 1 and parts[end] in PARTICLES:
                end += 1
            if end > start:
                joined.append("".join(parts[start : end + 1]))
    return tuple(dict.fromkeys([*parts, *joined]))


class CallerIndex:
    """The name index; `loader(after_id)` yields (id, search_key) of callers with id > after_id."""

    def __init__(self, loader: Loader) -> None:
        self._loader = loader
        self._lock = threading.RLock()
        self._built = False
        self._loaded_up_to = 0  # every id up to this one was read from the database
        self._keys: dict[int, str] = {}
        self._words: dict[int, tuple[str, ...]] = {}
        self._postings: dict[str, set[int]] = {}
        self._vocabulary: list[str] = []
        self._sorted = True

    # -- upkeep --------------------------------------------------------------------------
    @property
    def built(self) -> bool:
        return self._built

    def __len__(self) -> int:
        return len(self._keys)

    def build(self) -> None:
        """Load every caller. The first search does it (about 1 s for 100 000 callers on a
        modest laptop): call it on a worker thread after opening the workspace to spare the
        secretary that wait."""
        with self._lock:
            self._reset()
            for caller_id, key in self._loader(0):
                self._add(caller_id, key)
                self._loaded_up_to = max(self._loaded_up_to, caller_id)
            self._built = True

    def refresh(self, max_id: int | None = None) -> None:
        """Take in callers created elsewhere (another instance) since the last look;
        `max_id` is the highest id in the database, when known (nothing to do if seen)."""
        with self._lock:
            if not self._built:
                self.build()
            elif max_id is None or max_id > self._loaded_up_to:
                self._load_after(self._loaded_up_to)

    def put(self, caller_id: int, key: str) -> None:
        """A caller was created or renamed (no-op until the index is built); `key` is the
        folded search key (`callers.service.search_key`)."""
        with self._lock:
            if self._built:
                self._remove(caller_id)
                self._add(caller_id, key)

    def discard(self, caller_id: int) -> None:
        with self._lock:
            self._remove(caller_id)

    def invalidate(self) -> None:
        """Forget everything: the next search rebuilds (e.g. after a bulk import)."""
        with self._lock:
            self._reset()

    def _reset(self) -> None:
        self._built = False
        self._loaded_up_to = 0  # every id up to this one was read from the database
        self._keys.clear()
        self._words.clear()
        self._postings.clear()
        self._vocabulary = []
        self._sorted = True

    def _load_after(self, after_id: int) -> None:
        for caller_id, key in self._loader(after_id):
            self._remove(caller_id)
            self._add(caller_id, key)
            self._loaded_up_to = max(self._loaded_up_to, caller_id)

    def _add(self, caller_id: int, key: str) -> None:
        self._keys[caller_id] = key
        tokens = index_words(key, folded=True)
        self._words[caller_id] = tokens
        for token in tokens:
            posting = self._postings.get(token)
            if posting is None:
                self._postings[token] = {caller_id}
                self._vocabulary.append(token)
                self._sorted = False
            else:
                posting.add(caller_id)

    def _remove(self, caller_id: int) -> None:
        self._keys.pop(caller_id, None)
        for token in self._words.pop(caller_id, ()):
            posting = self._postings.get(token)
            if posting is not None:
                posting.discard(caller_id)  # empty postings stay: harmless, reused

    # -- search --------------------------------------------------------------------------
    def search(self, text: str, limit: int = 10) -> list[tuple[int, float]]:
        """(caller id, score) best first; every typed word must match one of the name's."""
        typed = list(dict.fromkeys(words(text)))
        if not typed or limit <= 0:
            return []
        with self._lock:
            if not self._built:
                self.build()
            if not self._sorted:
                self._vocabulary.sort()
                self._sorted = True
            matches = [self._matching_words(word) for word in typed]
            return self._rank(typed, matches, limit)

    def _matching_words(self, typed: str) -> dict[str, float]:
        """Vocabulary words the typed word may stand for, with their score."""
        found: dict[str, float] = {}
        vocabulary = self._vocabulary
        start = bisect_left(vocabulary, typed)
        for index in range(start, len(vocabulary)):
            word = vocabulary[index]
            if not word.startswith(typed):
                break
            extra = len(word) - len(typed)
            found[word] = EXACT if extra == 0 else 95.0 - min(15, extra)
        if len(typed) >= FUZZY_MIN_LENGTH:
            # Typos are forgiven after the first letter (as in the triage speller): the
            # comparison stays within one letter's share of the vocabulary.
            low = bisect_left(vocabulary, typed[0])
            high = bisect_left(vocabulary, chr(ord(typed[0]) + 1), low)
            for word, score, _ in process.extract(
                typed,
                vocabulary[low:high],
                scorer=fuzz.ratio,
                score_cutoff=FUZZY_CUTOFF,
                limit=None,
            ):
                found.setdefault(word, min(85.0, score))
        return {w: s for w, s in found.items() if self._postings.get(w)}

    def _rank(
        self, typed: list[str], matches: list[dict[str, float]], limit: int
    ) -> list[tuple[int, float]]:
        words_of = self._words
        # Start from the typed word that names the fewest callers, then check the others
        # against those candidates only.
        sizes = [sum(len(self._postings[w]) for w in m) for m in matches]
        order = sorted(range(len(typed)), key=sizes.__getitem__)
        totals: dict[int, float] = {}
        for word, score in matches[order[0]].items():
            for caller_id in self._postings[word]:
                if score > totals.get(caller_id, 0.0):
                    totals[caller_id] = score
        for position in order[1:]:
            wanted = matches[position]
            kept: dict[int, float] = {}
            for caller_id, total in totals.items():
                best = max([wanted.get(w, 0.0) for w in words_of[caller_id]])
                if best:
                    kept[caller_id] = total + best
            totals = kept
        # Same score: alphabetical. Scores take few values, so sort only what is shown.
        lead, count = matches[0], len(typed)
        buckets: dict[float, list[int]] = {}
        for caller_id, total in totals.items():
            score = total / count + (SURNAME_FIRST_BONUS if words_of[caller_id][0] in lead else 0)
            buckets.setdefault(score, []).append(caller_id)
        ranked: list[tuple[int, float]] = []
        for score in sorted(buckets, reverse=True):
            need = limit - len(ranked)
            ids = buckets[score]
            chosen = heapq.nsmallest(need, ids, key=self._keys.__getitem__)
            ranked += [(caller_id, min(EXACT, score)) for caller_id in chosen]
            if len(ranked) >= limit:
                break
        return ranked


PhoneLoader = Callable[[int], Iterable[tuple[int, int, str]]]


class PhoneDirectory:
    """caller id → lookup keys of their numbers, in memory.

    Used only while the database has no index on `caller_phones.caller_id`: without it,
    reading the numbers of the callers found scans the whole table (13 ms for 100 000
    callers, over the 5 ms budget), and only once loaded (`CallersService.warm_up()`), so
    that no keystroke ever waits for the loading itself. Numbers are only ever added (never
    edited in place), so reading the rows whose id is above the last one seen keeps it
    exact, even for numbers added by another instance. `loader(after_id)` yields
    (phone id, caller id, key).
    """

    def __init__(self, loader: PhoneLoader) -> None:
        self._loader = loader
        self._lock = threading.Lock()
        self._phones: dict[int, list[str]] = {}
        self._seen_up_to = 0

    def __len__(self) -> int:
        """How many callers' numbers are held."""
        return len(self._phones)

    @property
    def loaded(self) -> bool:
        return self._seen_up_to > 0

    def load(self) -> None:
        """Read every number (about 1 s for 100 000 callers): on a worker thread."""
        self.numbers(())

    def numbers(self, caller_ids: Iterable[int]) -> dict[int, list[str]]:
        """The numbers of these callers, in the order they were added."""
        with self._lock:
            for phone_id, caller_id, key in self._loader(self._seen_up_to):
                self._phones.setdefault(caller_id, []).append(key)
                self._seen_up_to = max(self._seen_up_to, phone_id)
            return {cid: list(self._phones[cid]) for cid in caller_ids if cid in self._phones}

    def invalidate(self) -> None:
        with self._lock:
            self._phones.clear()
            self._seen_up_to = 0
