"""Practices (cabinets) and their practitioners."""

from permanence.core.practices.kinds import PRACTICE_KINDS, kind_label
from permanence.core.practices.values import PracticeInfo, PractitionerInfo

__all__ = ["PRACTICE_KINDS", "PracticeInfo", "PractitionerInfo", "kind_label"]
