"""The compiled triage catalog: every wording turned into a pattern once, at load time."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from permanence.core.resources import resource_path
from permanence.core.triage.analysis import Analyzer, Document
from permanence.core.triage.errors import CatalogError
from permanence.core.triage.levels import Level
from permanence.core.triage.loading import (
    MANIFEST,
    CatalogData,
    LevelDefaults,
    read_catalog,
    read_toml,
)
from permanence.core.triage.patterns import (
    Hit,
    Matcher,
    Pattern,
    PatternError,
    PatternWords,
    compile_pattern,
    pattern_vocabulary,
)
from permanence.core.triage.rules import Rule
from permanence.core.triage.spelling import Speller

SYNONYM, CONTEXT, UNLESS, CONCEPT = range(4)
# A company ("autre") whose caller describes an injury or an illness (an employee who fell,
# a pupil with a deformed arm) gets the general practitioner's symptom motifs too, never
# his administrative ones: the level says how fast to seek care.
HEALTH_RULES_FROM = {"autre": "generaliste"}
_LEXICON_SETS = (
    "stopwords",
    "fillers",
    "common",
    "persons",
    "age_words",
    "scope_transparent",
    "scope_end",
    "negation_pre",
    "negation_post",
    "clause_breaks",
    "and_breaks",
    "history_stops",
)


class Catalog:
    """Rules, lexicon and the matcher built from them; immutable once built."""

    def __init__(self, data: CatalogData, year: int) -> None:
        self.rules: tuple[Rule, ...] = data.rules
        self.lexicon = data.lexicon
        self.kinds: dict[str, str] = data.kinds
        self.levels: dict[Level, LevelDefaults] = data.levels
        self.files: tuple[Path, ...] = data.files
        self.concepts: tuple[str, ...] = tuple(sorted(self.lexicon.concepts))
        self._words = PatternWords(
            stopwords=self.lexicon.word_set("stopwords"),
            negations=self.lexicon.word_set("negation_pre")
            | self.lexicon.word_set("negation_post"),
            abbreviations=self.lexicon.abbreviations,
        )
        self.blockers = self.lexicon.word_set("blockers")
        patterns, self.owners = self._compile_all(data.files[1])
        self.matcher = Matcher(patterns)
        self.speller = self._speller(patterns)
        self.analyzer = Analyzer(self.lexicon, self.speller, year)
        self._by_id = {rule.id: rule for rule in self.rules}
        self._index = {rule.id: i for i, rule in enumerate(self.rules)}
        self._by_kind: dict[str, frozenset[int]] = {}
        # Rules without wordings fire on concepts or measures alone (e.g. infant fever).
        self.condition_rules = frozenset(i for i, r in enumerate(self.rules) if not r.synonyms)
        if any(r.level_if_intense for r in self.rules) and "intense" not in self.lexicon.concepts:
            raise CatalogError(data.files[1], "concept « intense » requis par level_if_intense")

    def _compile_all(self, lexicon_file: Path) -> tuple[list[Pattern], list[tuple[int, int]]]:
        patterns: list[Pattern] = []
        owners: list[tuple[int, int]] = []
        for index, rule in enumerate(self.rules):
            for role, wordings in (
                (SYNONYM, rule.synonyms),
                (CONTEXT, rule.context),
                (UNLESS, rule.unless),
            ):
                for wording in wordings:
                    patterns.append(self._compile(wording, rule.file, rule.id))
                    owners.append((role, index))
        for index, name in enumerate(self.concepts):
            for wording in self.lexicon.concepts[name]:
                patterns.append(self._compile(wording, lexicon_file.name, f"concepts.{name}"))
                owners.append((CONCEPT, index))
        return patterns, owners

    def _compile(self, wording: str, file: str, entry: str) -> Pattern:
        try:
            return compile_pattern(wording, self._words)
        except PatternError as exc:
            raise CatalogError(file, str(exc), entry) from None

    def _speller(self, patterns: list[Pattern]) -> Speller:
        words, stems = pattern_vocabulary(patterns)
        known: set[str] = set(self.lexicon.units) | set(self.lexicon.numbers)
        known |= set(self.lexicon.abbreviations)
        for name in _LEXICON_SETS:
            known |= self.lexicon.word_set(name)
        for phrases in (
            self.lexicon.history_phrases,
            self.lexicon.history_forward_phrases,
            self.lexicon.current_phrases,
            self.lexicon.recurrence_phrases,
            self.lexicon.hypothesis_phrases,
        ):
            for phrase in phrases:
                known.update(phrase.split())
        for measure in self.lexicon.measures:
            known |= measure.words
        targets = words | self.lexicon.word_set("spelling")
        targets |= known - self.lexicon.word_set("common")
        return Speller(targets, stems, known)

    def compile_wording(self, wording: str) -> Pattern:
        """A pattern for a practitioner's own motif (raises PatternError if meaningless)."""
        return compile_pattern(wording, self._words)

    def rule(self, rule_id: str) -> Rule:
        return self._by_id[rule_id]

    def rule_index(self, rule_id: str) -> int:
        return self._index[rule_id]

    def rules_for(self, kind: str) -> frozenset[int]:
        """Indexes of the rules that apply to a practice kind (known kinds only)."""
        found = self._by_kind.get(kind)
        if found is None:
            health = HEALTH_RULES_FROM.get(kind)
            found = frozenset(
                i
                for i, rule in enumerate(self.rules)
                if rule.applies_to(kind)
                or (
                    health is not None
                    and rule.applies_to(health)
                    and rule.level is not Level.ROUTINE
                )
            )
            self._by_kind[kind] = found
        return found

    def analyse(self, text: str) -> Document:
        return self.analyzer.analyse(text)

    def find(self, document: Document) -> list[Hit]:
        tokens = document.tokens
        return self.matcher.find(tokens.words, tokens.brk, document.stop, self.blockers)


def load_catalog(path: Path | str | None = None, *, year: int | None = None) -> Catalog:
    """Load, validate and compile a catalog: a folder holding catalog.toml, or that file.

    Raises CatalogError (French message naming the file and the entry) when anything is wrong.
    """
    target = Path(path) if path is not None else resource_path("triage")
    manifest = target / MANIFEST if target.is_dir() else target
    return Catalog(read_catalog(manifest), year or dt.date.today().year)


@cache
def practice_kinds() -> dict[str, str]:
    """Practice kinds and their French labels, read without loading the whole catalog."""
    manifest = resource_path("triage", MANIFEST)
    kinds = read_toml(manifest).get("kinds")
    if not isinstance(kinds, dict):
        raise CatalogError(manifest, "la table [kinds] est absente ou mal formée", "kinds")
    return {str(kind): str(label) for kind, label in kinds.items()}


@cache
def default_catalog() -> Catalog:
    """The catalog shipped under resources/triage/, loaded once per process."""
    return load_catalog()
