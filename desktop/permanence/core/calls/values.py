"""Immutable values handed out by the calls service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from permanence.core.calls.outcomes import outcome_label
from permanence.core.french import MONTH_NAMES
from permanence.core.phone import format_for_display


@dataclass(frozen=True, slots=True)
class CallInfo:
    """One call of the "cahier d'appels" (a draft while it is in progress)."""

    id: int
    practice_id: int | None
    practitioner_id: int | None
    caller_id: int | None
    from_number: str  # as typed or as sent by the softphone
    from_e164: str  # lookup key: E.164, or the digits when the number does not parse
    to_number: str
    started_at: datetime  # aware, UTC
    ended_at: datetime | None
    status: str  # "draft" | "closed"
    outcome: str | None
    reason: str
    notes: str
    billable: bool | None  # None while the call is a draft
    billing_reason: str  # "facturé", "démarchage : non facturé"…
    tension: bool
    triage_level: str | None
    triage_rule: str
    triage_override_level: str | None
    triage_override_reason: str
    draft_owner: str
    created_at: datetime
    updated_at: datetime
    practice_name: str
    practitioner_name: str  # "Dr Claire Martin"; empty for "le cabinet"
    caller_name: str  # "DUPONT Marie"; empty when the caller is not identified

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @property
    def duration(self) -> timedelta | None:
        return self.ended_at - self.started_at if self.ended_at is not None else None

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.outcome)

    @property
    def level(self) -> str | None:
        """The triage level that applies: the secretary's override, else the computed one."""
        return self.triage_override_level or self.triage_level

    @property
    def from_display(self) -> str:
        """ "06 12 34 56 78" when the number parses, else as typed."""
        if self.from_e164.startswith("+"):
            return format_for_display(self.from_e164)
        return self.from_number.strip()


@dataclass(frozen=True, slots=True)
class HistoryItem:
    """One line of a caller's history: a past call, a message or an appointment."""

    kind: str  # "appel" | "message" | "rendez-vous"
    when: datetime  # aware, UTC
    practice_name: str
    practitioner_name: str
    summary: str
    id: int = 0  # id of the call, message or appointment
    practice_id: int | None = None


@dataclass(frozen=True, slots=True)
class OutcomeCount:
    """The calls of one outcome in a month, split by billing class."""

    outcome: str
    label: str
    billed: int
    unbilled: int
    billed_duration: timedelta
    unbilled_duration: timedelta

    @property
    def total(self) -> int:
        return self.billed + self.unbilled


@dataclass(frozen=True, slots=True)
class PracticeReport:
    """What the telesecretary invoices one practice for the month."""

    practice_id: int | None  # None: calls never assigned to a practice
    practice_name: str
    outcomes: tuple[OutcomeCount, ...]  # every outcome, in OUTCOMES order
    billed_calls: int
    unbilled_calls: int
    billed_duration: timedelta
    unbilled_duration: timedelta
    unbilled_reasons: tuple[tuple[str, int], ...]  # ("démarchage : non facturé", 3), …
    price_eur: Decimal | None
    amount_eur: Decimal | None  # billed_calls × price_eur, when a price is set

    @property
    def total_calls(self) -> int:
        return self.billed_calls + self.unbilled_calls


@dataclass(frozen=True, slots=True)
class MonthlyReport:
    year: int
    month: int
    timezone: str
    starts_at: datetime  # first instant of the month, local time zone
    ends_at: datetime  # first instant of the next month
    practices: tuple[PracticeReport, ...]

    @property
    def label(self) -> str:
        """ "novembre 2026"."""
        return f"{MONTHS[self.month - 1]} {self.year}"

    @property
    def billed_calls(self) -> int:
        return sum(p.billed_calls for p in self.practices)

    @property
    def unbilled_calls(self) -> int:
        return sum(p.unbilled_calls for p in self.practices)

    @property
    def billed_duration(self) -> timedelta:
        return sum((p.billed_duration for p in self.practices), timedelta())


MONTHS = MONTH_NAMES


def format_duration(value: timedelta) -> str:
    """ "1 h 05 min 12 s", "4 min 03 s", "45 s" (the report's wording)."""
    seconds = int(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min {seconds:02d} s"
    if minutes:
        return f"{minutes} min {seconds:02d} s"
    return f"{seconds} s"
