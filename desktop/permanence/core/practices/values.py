"""Immutable values handed out by the practices service."""

from __future__ import annotations

from dataclasses import dataclass

from permanence.core.practices.kinds import kind_label

_FORMAL_TITLES = {"Dr": "le docteur", "Pr": "le professeur", "M.": "monsieur", "Mme": "madame"}


@dataclass(frozen=True, slots=True)
class PractitionerInfo:
    id: int
    practice_id: int
    key: str
    title: str
    first_name: str
    last_name: str
    kind: str
    timezone: str

    @property
    def display_name(self) -> str:
        """ "Dr Claire Martin"."""
        return " ".join(part for part in (self.title, self.first_name, self.last_name) if part)

    @property
    def spoken_name(self) -> str:
        """How she names the practitioner on the phone: "le docteur Martin"."""
        formal = _FORMAL_TITLES.get(self.title)
        return f"{formal} {self.last_name}" if formal else self.display_name

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


@dataclass(frozen=True, slots=True)
class PracticeInfo:
    id: int
    key: str
    name: str
    kind: str
    greeting: str
    address: str
    email: str
    numbers: tuple[str, ...]  # E.164
    practitioners: tuple[PractitionerInfo, ...]

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    def practitioner(self, practitioner_id: int) -> PractitionerInfo | None:
        return next((p for p in self.practitioners if p.id == practitioner_id), None)
