"""Motif-based urgency triage: from what the caller says to the level, the rule and what to do.

    >>> from permanence.core.triage import assess
    >>> assess("douleur dans la poitrine depuis 20 min", "generaliste").level
    <Level.VITAL: 'vital'>

The catalog is data (`resources/triage/*.toml`), validated and compiled once at load time.
"""

from permanence.core.triage.ages import format_age, parse_age_text
from permanence.core.triage.assessment import Assessment, Evidence, MatchedRule
from permanence.core.triage.catalog import Catalog, default_catalog, load_catalog, practice_kinds
from permanence.core.triage.engine import assess, resolve_kind
from permanence.core.triage.errors import CatalogError
from permanence.core.triage.levels import LEVELS_BY_RANK, Level, parse_level
from permanence.core.triage.overrides import Override, ParsedOverrides, parse_overrides

__all__ = [
    "LEVELS_BY_RANK",
    "Assessment",
    "Catalog",
    "CatalogError",
    "Evidence",
    "Level",
    "MatchedRule",
    "Override",
    "ParsedOverrides",
    "assess",
    "default_catalog",
    "format_age",
    "load_catalog",
    "parse_age_text",
    "parse_level",
    "parse_overrides",
    "practice_kinds",
    "resolve_kind",
]
