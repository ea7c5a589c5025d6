"""Triage panel: the motif typed as the caller speaks, assessed live, with what to do."""

from permanence.ui.triage.panel import TriagePanel

__all__ = ["TriagePanel"]
