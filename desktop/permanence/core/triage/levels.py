"""The four triage levels: fixed identifiers, their order and their French words."""

from __future__ import annotations

import unicodedata
from enum import StrEnum


class Level(StrEnum):
    """Urgency level of a call reason; the value is the identifier used by files and CLI."""

    VITAL = "vital"
    URGENT = "urgent"
    SOON = "soon"
    ROUTINE = "routine"

    @property
    def rank(self) -> int:
        """Higher is more urgent (routine 0 … vital 3)."""
        return _RANKS[self]

    @property
    def label(self) -> str:
        """The French word shown to the secretary, always next to the colour."""
        return _LABELS[self]


_RANKS: dict[Level, int] = {Level.ROUTINE: 0, Level.SOON: 1, Level.URGENT: 2, Level.VITAL: 3}
_LABELS: dict[Level, str] = {
    Level.VITAL: "vital",
    Level.URGENT: "urgent",
    Level.SOON: "sous 48 h",
    Level.ROUTINE: "programmé",
}

LEVELS_BY_RANK: tuple[Level, ...] = (Level.VITAL, Level.URGENT, Level.SOON, Level.ROUTINE)

# Words a practitioner or a file may use for a level (compared without accents, case, spaces).
_WORDS: dict[str, Level] = {
    "vital": Level.VITAL,
    "urgent": Level.URGENT,
    "urgence": Level.URGENT,
    "soon": Level.SOON,
    "sous48h": Level.SOON,
    "sous48heures": Level.SOON,
    "48h": Level.SOON,
    "routine": Level.ROUTINE,
    "programme": Level.ROUTINE,
}


def _squash(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c) and not c.isspace())


def parse_level(word: str) -> Level | None:
    """The level named by `word` ("Programmé", "sous 48 h", "soon"…), or None if unknown."""
    return _WORDS.get(_squash(word))


def max_level(levels: list[Level]) -> Level:
    """The most urgent of `levels` (routine when empty)."""
    return max(levels, key=lambda level: level.rank, default=Level.ROUTINE)
