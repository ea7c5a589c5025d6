"""Immutable values of the callers service."""

from __future__ import annotations

from dataclasses import dataclass

from permanence.core.phone import format_for_display

CALLER_KINDS: dict[str, str] = {
    "patient": "Patient",
    "tiers": "Tiers (proche, aidant)",
    "confrere": "Confrère",
    "laboratoire": "Laboratoire",
    "pharmacie": "Pharmacie",
    "fournisseur": "Fournisseur",
    "demarcheur": "Démarcheur",
    "autre": "Autre",
}


def caller_kind_label(kind: str) -> str:
    return CALLER_KINDS.get(kind, kind)


@dataclass(frozen=True, slots=True)
class CallerInfo:
    id: int
    last_name: str
    first_name: str
    kind: str
    notes: str
    phones: tuple[str, ...]  # lookup keys (E.164 when the number parses)
    practice_ids: tuple[int, ...]

    @property
    def display_name(self) -> str:
        """ "DUPONT Marie": the surname in capitals, as on a message slip."""
        return " ".join(part for part in (self.last_name.upper(), self.first_name) if part)

    @property
    def kind_label(self) -> str:
        return caller_kind_label(self.kind)

    @property
    def display_phones(self) -> tuple[str, ...]:
        """ "06 12 34 56 78" for numbers that parse; others as stored."""
        return tuple(format_for_display(p) if p.startswith("+") else p for p in self.phones)


@dataclass(frozen=True, slots=True)
class CallerMatch:
    """A caller found by name, with how well the typed words match (0–100)."""

    caller: CallerInfo
    score: float
