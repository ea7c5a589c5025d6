"""Editing a practice's billing rules."""

from permanence.ui.billing.dialog import BillingRulesDialog

__all__ = ["BillingRulesDialog"]
