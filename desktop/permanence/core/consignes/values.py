"""Immutable values of the consignes service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from permanence.core.consignes.sections import section_label


@dataclass(frozen=True, slots=True)
class SectionText:
    """The current text of one section as she should read it for a practitioner.

    `from_practice` is true when the text is the practice-wide one (the practitioner has
    no section of their own).
    """

    section: str
    body: str
    version: int
    updated_at: datetime | None
    author: str
    from_practice: bool

    @property
    def label(self) -> str:
        return section_label(self.section)

    @property
    def is_empty(self) -> bool:
        return not self.body.strip()


@dataclass(frozen=True, slots=True)
class SectionVersion:
    section: str
    version: int
    body: str
    author: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Consignes:
    practice_id: int
    practitioner_id: int | None
    sections: tuple[SectionText, ...]

    def section(self, key: str) -> SectionText:
        return next(s for s in self.sections if s.section == key)
