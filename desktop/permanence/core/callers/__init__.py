"""Callers: who calls, their numbers, kind and notes."""

from permanence.core.callers.values import CALLER_KINDS, CallerInfo, caller_kind_label

__all__ = ["CALLER_KINDS", "CallerInfo", "caller_kind_label"]
