"""The result of triage: plain immutable values, easy to show, store and print as JSON."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from permanence.core.triage.levels import Level


@dataclass(frozen=True, slots=True)
class Evidence:
    """Words of the original text that triggered a rule: text[start:end] == text."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class MatchedRule:
    """A rule that fired on the text, with its level after practitioner overrides."""

    id: str
    label: str
    level: Level
    red_flag: bool
    evidence: tuple[Evidence, ...]
    disposition: str
    emergency_numbers: tuple[str, ...]
    appointment_type: str | None
    max_delay: timedelta | None
    source: str
    specific: bool = False  # written for this practice kind, not for every kind
    overridden: bool = False  # level or disposition set by the practitioner's consignes

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "level": self.level.value,
            "red_flag": self.red_flag,
            "evidence": [e.to_dict() for e in self.evidence],
            "source": self.source,
            "overridden": self.overridden,
        }


def delay_hours(delay: timedelta | None) -> float | None:
    return None if delay is None else delay.total_seconds() / 3600


@dataclass(frozen=True)
class Assessment:
    """Level, winning rule, evidence and what to do for one call reason."""

    text: str
    practice_kind: str  # the kind whose rules were used (after fallback)
    level: Level
    rule: MatchedRule | None
    matched: tuple[MatchedRule, ...]
    disposition: str
    emergency_numbers: tuple[str, ...]
    appointment_type: str | None
    max_delay: timedelta | None
    notes: tuple[str, ...]
    age_years: float | None = None
    temperature: float | None = None

    @property
    def booking_allowed(self) -> bool:
        """A vital assessment must never lead to a booking."""
        return self.level is not Level.VITAL

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        return self.rule.evidence if self.rule else ()

    @property
    def emergency_number(self) -> str | None:
        return self.emergency_numbers[0] if self.emergency_numbers else None

    @property
    def level_label(self) -> str:
        return self.level.label

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (the CLI's `--json` output)."""
        return {
            "level": self.level.value,
            "level_label": self.level.label,
            "rule": self.rule.id if self.rule else None,
            "rule_label": self.rule.label if self.rule else None,
            "evidence": [e.to_dict() for e in self.evidence],
            "disposition": self.disposition,
            "emergency_number": self.emergency_number,
            "emergency_numbers": list(self.emergency_numbers),
            "appointment_type": self.appointment_type,
            "max_delay_hours": delay_hours(self.max_delay),
            "booking_allowed": self.booking_allowed,
            "matched": [m.to_dict() for m in self.matched],
            "notes": list(self.notes),
            "practice": self.practice_kind,
            "age_years": self.age_years,
            "temperature": self.temperature,
        }
