"""The lexicon file (`lexicon.toml`): abbreviations, cue words, units, measures, concepts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from permanence.core.triage.errors import CatalogError
from permanence.core.triage.text import fold_phrase

_WORD_LISTS = {
    "stopwords": "stopwords",
    "negation_before": "negation_pre",
    "negation_after": "negation_post",
    "scope_transparent": "scope_transparent",
    "scope_end": "scope_end",
    "blockers": "blockers",
    "clause_breaks": "clause_breaks",
    "and_breaks": "and_breaks",
    "history_stops": "history_stops",
    "history": "history_phrases",
    "history_forward": "history_forward_phrases",
    "current": "current_phrases",
    "recurrence": "recurrence_phrases",
    "hypotheses": "hypothesis_phrases",
    "persons": "persons",
    "age_words": "age_words",
    "common": "common",
    "spelling": "spelling",
    "fillers": "fillers",
    "inability": "inability",
    "comparatives": "comparatives",
    "lasting_concepts": "lasting_concepts",
    "recent_events": "recent_events",
    "idioms": "idiom_phrases",
}
_SECTIONS = {
    "abbreviations",
    "words",
    "units",
    "numbers",
    "measure",
    "concepts",
    "concept_measures",
}


@dataclass(frozen=True, slots=True)
class Measure:
    """A quantity read from a number near one of `words` (temperature, tension, glycemia)."""

    name: str
    words: frozenset[str]
    low: float
    high: float
    implicit: tuple[float, float] | None
    divide_above: float | None
    not_before: frozenset[str] = frozenset()  # "40 mg" is not a temperature


@dataclass(frozen=True)
class Lexicon:
    """Everything the text analysis needs to read French as typed on the phone."""

    abbreviations: dict[str, tuple[str, ...]]
    words: dict[str, frozenset[str]]
    history_phrases: tuple[str, ...]
    history_forward_phrases: tuple[str, ...]
    current_phrases: tuple[str, ...]
    recurrence_phrases: tuple[str, ...]
    hypothesis_phrases: tuple[str, ...]
    idiom_phrases: tuple[str, ...]
    units: dict[str, float]
    numbers: dict[str, float]
    measures: tuple[Measure, ...]
    concepts: dict[str, tuple[str, ...]]
    concept_measures: dict[str, tuple[str, float]]  # concept → (measure name, minimum)

    def word_set(self, name: str) -> frozenset[str]:
        return self.words[name]


def _str_list(value: Any, file: Path, entry: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise CatalogError(file, "une liste de textes non vides est attendue", entry)
    return [str(v) for v in value]


def _table(data: Mapping[str, Any], key: str, file: Path) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise CatalogError(file, f"la table [{key}] est absente ou mal formée", key)
    return value


def _number(value: Any, file: Path, entry: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CatalogError(file, f"un nombre est attendu (trouvé : {value!r})", entry)
    return float(value)


def _range(value: Any, file: Path, entry: str) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) != 2:
        raise CatalogError(file, "une plage [min, max] est attendue", entry)
    low, high = _number(value[0], file, entry), _number(value[1], file, entry)
    if low >= high:
        raise CatalogError(file, "plage vide (min ≥ max)", entry)
    return low, high


def _measure(raw: Any, file: Path, index: int) -> Measure:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise CatalogError(file, "chaque [[measure]] doit avoir un « name »", f"measure n° {index}")
    name = raw["name"]
    unknown = set(raw) - {"name", "words", "range", "implicit_range", "divide_above", "not_before"}
    if unknown:
        raise CatalogError(file, f"clé inconnue : {', '.join(sorted(unknown))}", name)
    implicit = raw.get("implicit_range")
    divide = raw.get("divide_above")
    low, high = _range(raw.get("range"), file, name)
    return Measure(
        name=name,
        words=frozenset(fold_phrase(w) for w in _str_list(raw.get("words"), file, name)),
        low=low,
        high=high,
        implicit=None if implicit is None else _range(implicit, file, name),
        divide_above=None if divide is None else _number(divide, file, name),
        not_before=frozenset(
            fold_phrase(w) for w in _str_list(raw.get("not_before", []), file, name)
        ),
    )


def _units(data: Mapping[str, Any], file: Path) -> dict[str, float]:
    units: dict[str, float] = {}
    for name, raw in _table(data, "units", file).items():
        if not isinstance(raw, dict):
            raise CatalogError(file, "une table { days, words } est attendue", f"units.{name}")
        days = _number(raw.get("days"), file, f"units.{name}")
        for word in _str_list(raw.get("words"), file, f"units.{name}"):
            units[fold_phrase(word)] = days
    return units


def lexicon_from_toml(data: Mapping[str, Any], file: Path) -> Lexicon:
    """Validate the parsed lexicon file; errors name the file and the key."""
    unknown = set(data) - _SECTIONS
    if unknown:
        raise CatalogError(file, f"section inconnue : {', '.join(sorted(unknown))}")
    abbreviations: dict[str, tuple[str, ...]] = {}
    for key, value in _table(data, "abbreviations", file).items():
        folded = fold_phrase(key)
        if folded in abbreviations:  # "mé" and "me" would both be "me"
            raise CatalogError(
                file, "deux abréviations identiques sans accents", f"abbreviations.{key}"
            )
        abbreviations[folded] = tuple(fold_phrase(str(value)).split())
    words_table = _table(data, "words", file)
    missing = set(_WORD_LISTS) - set(words_table)
    if missing:
        raise CatalogError(file, f"liste absente : {', '.join(sorted(missing))}", "words")
    words = {
        attr: frozenset(fold_phrase(w) for w in _str_list(words_table[key], file, f"words.{key}"))
        for key, attr in _WORD_LISTS.items()
    }
    measures = data.get("measure", [])
    if not isinstance(measures, list):
        raise CatalogError(file, "[[measure]] doit être une liste de tables", "measure")
    concepts = {
        name: tuple(_str_list(value, file, f"concepts.{name}"))
        for name, value in _table(data, "concepts", file).items()
    }
    measure_names = {m.get("name") for m in measures if isinstance(m, dict)}
    return Lexicon(
        abbreviations=abbreviations,
        words=words,
        history_phrases=tuple(_str_list(words_table["history"], file, "words.history")),
        history_forward_phrases=tuple(
            _str_list(words_table["history_forward"], file, "words.history_forward")
        ),
        current_phrases=tuple(_str_list(words_table["current"], file, "words.current")),
        recurrence_phrases=tuple(_str_list(words_table["recurrence"], file, "words.recurrence")),
        hypothesis_phrases=tuple(_str_list(words_table["hypotheses"], file, "words.hypotheses")),
        idiom_phrases=tuple(_str_list(words_table["idioms"], file, "words.idioms")),
        units=_units(data, file),
        numbers={
            fold_phrase(k): _number(v, file, f"numbers.{k}")
            for k, v in _table(data, "numbers", file).items()
        },
        measures=tuple(_measure(raw, file, i + 1) for i, raw in enumerate(measures)),
        concepts=concepts,
        concept_measures=_concept_measures(data, concepts, measure_names, file),
    )


def _concept_measures(
    data: Mapping[str, Any], concepts: Mapping[str, Any], measures: set[Any], file: Path
) -> dict[str, tuple[str, float]]:
    found: dict[str, tuple[str, float]] = {}
    for concept, raw in data.get("concept_measures", {}).items():
        entry = f"concept_measures.{concept}"
        if concept not in concepts:
            raise CatalogError(file, "concept inconnu", entry)
        if not isinstance(raw, dict) or raw.get("name") not in measures:
            raise CatalogError(
                file, "table { name, min } avec un nom de mesure connu attendue", entry
            )
        found[concept] = (str(raw["name"]), _number(raw.get("min"), file, entry))
    return found
