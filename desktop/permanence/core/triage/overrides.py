"""Practitioner overrides written in the "urgences" section of the consignes.

One rule per line, readable by the secretary too:

    « rage de dent » → urgent : proposer le créneau d'urgence de 11 h 45.
    « fièvre enfant » → urgent : me transférer sur le 06 12 34 56 78.
    « renouvellement » → = : déposer l'ordonnance à l'accueil.

Level words: vital, urgent, sous 48 h (or soon), programmé (or routine), or `=` to keep the
level and only set what to do. Lines without an arrow are prose and ignored; a line with an
arrow that cannot be read is reported as a problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from permanence.core.triage.levels import Level, parse_level

_ARROW_RE = re.compile(r"→|->|=>|⇒|⟶|➔|➜")
_MOTIF_RE = re.compile(r"^[\s\-*•·–]*[«“\"‹]\s*(?P<motif>.*?)\s*[»”\"›]\s*$")
KEEP_LEVEL = "="


@dataclass(frozen=True)
class Override:
    """One practitioner rule: a motif, a new level (None keeps it) and/or a disposition."""

    motif: str
    level: Level | None
    disposition: str | None
    line: int = 0


@dataclass(frozen=True)
class ParsedOverrides:
    """The overrides read from a consignes text and French messages for unreadable lines."""

    overrides: tuple[Override, ...]
    problems: tuple[str, ...]


def parse_overrides(text: str) -> ParsedOverrides:
    """Read every `« motif » → niveau : consigne` line of `text`."""
    overrides: list[Override] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not _ARROW_RE.search(line):
            continue
        result = _parse_line(line, number)
        if isinstance(result, Override):
            overrides.append(result)
        else:
            problems.append(result)
    return ParsedOverrides(tuple(overrides), tuple(problems))


def _parse_line(line: str, number: int) -> Override | str:
    left, right = _ARROW_RE.split(line, maxsplit=1)
    quoted = _MOTIF_RE.match(left)
    if quoted is None:
        return f"ligne {number} : le motif doit être écrit entre guillemets, ex. « rage de dent »"
    motif = quoted.group("motif").strip()
    if not motif:
        return f"ligne {number} : le motif entre guillemets est vide"
    level_word, _, disposition = right.partition(":")
    level_word, consigne = level_word.strip(), disposition.strip() or None
    if level_word == KEEP_LEVEL:
        if consigne is None:
            return f"ligne {number} : « = » garde le niveau ; ajoutez la consigne après « : »"
        return Override(motif, None, consigne, number)
    level = parse_level(level_word)
    if level is None:
        return (
            f"ligne {number} : niveau « {level_word} » inconnu "
            "(attendu : vital, urgent, sous 48 h, programmé ou =)"
        )
    return Override(motif, level, consigne, number)
