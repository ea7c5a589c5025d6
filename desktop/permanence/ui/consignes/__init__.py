"""Consignes: the practitioner's instructions, readable at a glance and editable."""

from permanence.ui.consignes.editor import ConsignesEditor
from permanence.ui.consignes.panel import ConsignesPanel

__all__ = ["ConsignesEditor", "ConsignesPanel"]
