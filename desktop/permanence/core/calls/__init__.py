"""Calls: the draft in progress, its outcome and billing class, the log, the monthly report,
follow-ups of promises, and the "appelant mécontent" phrase book."""

from permanence.core.calls.billing import BillingRules, classify
from permanence.core.calls.outcomes import OUTCOME_LABELS, OUTCOMES, outcome_label
from permanence.core.calls.values import (
    CallInfo,
    HistoryItem,
    MonthlyReport,
    OutcomeCount,
    PracticeReport,
)

__all__ = [
    "OUTCOMES",
    "OUTCOME_LABELS",
    "BillingRules",
    "CallInfo",
    "HistoryItem",
    "MonthlyReport",
    "OutcomeCount",
    "PracticeReport",
    "classify",
    "outcome_label",
]
