"""Consignes: the versioned instruction sheet of a practitioner or of a whole practice."""

from permanence.core.consignes.sections import SECTIONS, section_label
from permanence.core.consignes.values import Consignes, SectionText, SectionVersion

__all__ = ["SECTIONS", "Consignes", "SectionText", "SectionVersion", "section_label"]
