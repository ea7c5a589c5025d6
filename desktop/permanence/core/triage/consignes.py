"""Practitioner overrides bound to a catalog: each motif is a catalog rule or its own pattern."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from permanence.core.triage.catalog import CONCEPT, SYNONYM, Catalog
from permanence.core.triage.overrides import Override
from permanence.core.triage.patterns import Matcher, PatternError
from permanence.core.triage.text import fold_phrase


@dataclass(frozen=True)
class BoundOverrides:
    """Overrides of catalog rules (by rule index) and custom motifs with their matcher."""

    by_rule: dict[int, Override]
    custom: tuple[Override, ...]
    matcher: Matcher
    problems: tuple[str, ...]


def _content_words(catalog: Catalog, text: str) -> tuple[str, ...]:
    document = catalog.analyse(text)
    return tuple(w for w, s in zip(document.tokens.words, document.stop, strict=True) if not s)


def _keyed_rules(catalog: Catalog) -> dict[tuple[str, ...], list[int]]:
    keys: dict[tuple[str, ...], list[int]] = {}
    for index, rule in enumerate(catalog.rules):
        for name in (rule.id.replace("_", " "), fold_phrase(rule.label)):
            keys.setdefault(_content_words(catalog, name), []).append(index)
    return keys


@lru_cache(maxsize=8)
def _rule_keys(catalog: Catalog) -> dict[tuple[str, ...], list[int]]:
    return _keyed_rules(catalog)


def rules_named_by(catalog: Catalog, motif: str) -> list[int]:
    """Catalog rules a motif designates: by id or label, or a wording covering the motif."""
    words = _content_words(catalog, motif)
    if not words:
        return []
    named = _rule_keys(catalog).get(words)
    if named:
        return sorted(set(named))
    document = catalog.analyse(motif)
    content = {i for i, stop in enumerate(document.stop) if not stop}
    found: set[int] = set()
    concepts: set[str] = set()
    for pattern_index, positions in catalog.find(document):
        role, owner = catalog.owners[pattern_index]
        if role == SYNONYM and content <= set(range(positions[0], positions[-1] + 1)):
            found.add(owner)
        elif role == CONCEPT:
            concepts.add(catalog.concepts[owner])
    if not found and concepts:  # "fièvre enfant": the rules built on the fever concept
        found = {
            i
            for i, rule in enumerate(catalog.rules)
            if not rule.synonyms and concepts & set(rule.requires)
        }
    return sorted(found)


@lru_cache(maxsize=64)
def bind_overrides(catalog: Catalog, overrides: tuple[Override, ...]) -> BoundOverrides:
    """Attach each override to the catalog rules it names, and compile its own wording."""
    by_rule: dict[int, Override] = {}
    custom: list[Override] = []
    patterns = []
    problems: list[str] = []
    for override in overrides:
        for index in rules_named_by(catalog, override.motif):
            by_rule[index] = override
        try:  # the motif also counts on its own words, whatever the rule's conditions
            patterns.append(catalog.compile_wording(override.motif))
        except PatternError:
            problems.append(f"consigne « {override.motif} » inutilisable : aucun mot significatif")
            continue
        custom.append(override)
    return BoundOverrides(by_rule, tuple(custom), Matcher(patterns), tuple(problems))
