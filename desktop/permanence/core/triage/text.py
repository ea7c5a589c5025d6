"""Folding and tokenising French as typed on the phone, keeping offsets into the original.

Folding lowercases and strips accents ("Fièvre" → "fievre", "œil" → "oeil"); every folded
character remembers the index of the original character it came from, so evidence can be
shown in the text the secretary typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Characters whose folded form is longer than one character or not given by NFD.
_SPECIAL = {"œ": "oe", "æ": "ae", "ß": "ss", "’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"}


def _fold_char(ch: str) -> str:
    low = ch.lower()
    special = _SPECIAL.get(low)
    if special is not None:
        return special
    decomposed = unicodedata.normalize("NFD", low)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x80, 0x250):
        folded = _fold_char(chr(code))
        if len(folded) == 1 and folded != chr(code):
            table[code] = folded
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = chr(code).lower()
    return table


_ONE_TO_ONE = _build_table()


def fold(text: str) -> tuple[str, list[int] | None]:
    """Folded text and, when lengths differ, the original index of each folded character.

    The index list is None when folding kept a one-to-one mapping (the usual case), which
    keeps the hot path free of per-character Python work.
    """
    fast = text.translate(_ONE_TO_ONE)
    if fast.isascii():
        return fast, None
    out: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        folded = ch.lower() if ch.isascii() else _fold_char(ch)
        out.append(folded)
        origin.extend([index] * len(folded))
    folded_text = "".join(out)
    if len(folded_text) == len(text):
        return folded_text, None
    return folded_text, origin


def fold_phrase(text: str) -> str:
    """Folded form of a short phrase (catalog entries, practitioner motifs)."""
    return fold(text)[0]


# Numbers keep their decimal part ("39,5", "38.5", "38°2"); punctuation marks boundaries.
_TOKEN_RE = re.compile(
    r"(?P<num>\d+(?:[.,°]\d+)?)|(?P<word>[a-z]+)|(?P<stop>[.;!?\n]+)|(?P<comma>[,:()/]|\s[-–]\s)"
)

NO_BREAK, COMMA, SENTENCE = 0, 1, 2


@dataclass(slots=True)
class RawToken:
    """A word or number of the folded text, with its span in the original text."""

    text: str
    start: int
    end: int
    number: float | None
    brk: int  # boundary before this token: NO_BREAK, COMMA or SENTENCE


@dataclass(slots=True)
class Tokens:
    """Parallel lists describing the tokens of one text (fast to index in the engine)."""

    words: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    numbers: list[float | None] = field(default_factory=list)
    brk: list[int] = field(default_factory=list)

    def append(self, word: str, start: int, end: int, number: float | None, brk: int) -> None:
        self.words.append(word)
        self.starts.append(start)
        self.ends.append(end)
        self.numbers.append(number)
        self.brk.append(brk)

    def __len__(self) -> int:
        return len(self.words)


def raw_tokens(text: str) -> list[RawToken]:
    """Words and numbers of `text` in order, with boundary marks and original offsets."""
    folded, origin = fold(text)
    tokens: list[RawToken] = []
    pending = NO_BREAK
    for match in _TOKEN_RE.finditer(folded):
        kind = match.lastgroup
        if kind == "stop":
            pending = SENTENCE
            continue
        if kind == "comma":
            pending = max(pending, COMMA)
            continue
        start, end = match.span()
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        value = match.group()
        number = _to_number(value) if kind == "num" else None
        tokens.append(RawToken(value, start, end, number, pending))
        pending = NO_BREAK
    return tokens


def _to_number(value: str) -> float:
    return float(value.replace(",", ".").replace("°", "."))
