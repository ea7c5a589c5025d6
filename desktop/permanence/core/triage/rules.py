"""One catalog rule (`[[rule]]` in a file under resources/triage/) and its validation."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from permanence.core.triage.errors import CatalogError
from permanence.core.triage.levels import Level

ALL_KINDS = "*"
EMERGENCY_NUMBERS = frozenset({"15", "17", "18", "112", "114", "115", "119", "196", "3114", "3919"})
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_KEYS = frozenset(
    {
        "id",
        "label",
        "level",
        "kinds",
        "synonyms",
        "disposition",
        "numbers",
        "appointment",
        "max_delay_hours",
        "source",
        "requires",
        "context",
        "unless",
        "age_below_years",
        "age_at_least_years",
        "when_age_unknown",
        "measure",
        "min_duration_days",
        "level_if_intense",
        "fallback",
        "synonyms_from",
    }
)


@dataclass(frozen=True, slots=True)
class MeasureCondition:
    """A number read in the text must be at least `low` and/or at most `high`."""

    name: str
    low: float | None
    high: float | None

    def holds(self, value: float) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


@dataclass(frozen=True)
class Rule:
    """A motif of the catalog: how callers word it, its level and what to do."""

    id: str
    label: str
    level: Level
    kinds: frozenset[str]
    disposition: str
    numbers: tuple[str, ...]
    appointment: str | None
    max_delay: timedelta | None
    source: str
    synonyms: tuple[str, ...]
    requires: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    age_below: float | None = None
    age_at_least: float | None = None
    when_age_unknown: str = "skip"
    measure: MeasureCondition | None = None
    min_duration_days: float | None = None
    level_if_intense: Level | None = None
    fallback: bool = False
    # Another rule whose wordings this one shares (added to its own), resolved at load.
    synonyms_from: str | None = None
    file: str = ""

    @property
    def red_flag(self) -> bool:
        """A vital rule: never lowered, never booked."""
        return self.level is Level.VITAL

    def applies_to(self, kind: str) -> bool:
        return ALL_KINDS in self.kinds or kind in self.kinds


class RuleReader:
    """Validates raw `[[rule]]` tables of one file against the catalog's known names."""

    def __init__(
        self,
        file: Path,
        kinds: Mapping[str, frozenset[str]],
        concepts: frozenset[str],
        measures: frozenset[str],
        default_delays: Mapping[Level, float | None],
    ) -> None:
        self.file = file
        self.kinds = kinds
        self.concepts = concepts
        self.measures = measures
        self.default_delays = default_delays

    def fail(self, entry: str, message: str) -> CatalogError:
        return CatalogError(self.file, message, entry)

    def read(self, raw: Any, position: int, default_kinds: list[str] | None) -> Rule:
        entry = f"règle n° {position}"
        if not isinstance(raw, dict):
            raise self.fail(entry, "chaque [[rule]] doit être une table")
        rule_id = raw.get("id")
        if not isinstance(rule_id, str) or not _ID_RE.match(rule_id):
            raise self.fail(entry, "« id » manquant ou mal formé (minuscules, chiffres, _)")
        unknown = set(raw) - _KEYS
        if unknown:
            raise self.fail(rule_id, f"clé inconnue : {', '.join(sorted(unknown))}")
        level = self._level(raw, "level", rule_id)
        if level is None:
            raise self.fail(rule_id, "« level » manquant")
        rule = Rule(
            id=rule_id,
            label=self._text(raw, "label", rule_id),
            level=level,
            kinds=self._kinds(raw.get("kinds", default_kinds), rule_id),
            disposition=self._text(raw, "disposition", rule_id),
            numbers=tuple(self._list(raw, "numbers", rule_id)),
            appointment=self._optional_text(raw, "appointment", rule_id),
            max_delay=self._delay(raw, level, rule_id),
            source=self._text(raw, "source", rule_id),
            synonyms=tuple(self._list(raw, "synonyms", rule_id)),
            requires=tuple(self._list(raw, "requires", rule_id)),
            context=tuple(self._list(raw, "context", rule_id)),
            unless=tuple(self._list(raw, "unless", rule_id)),
            age_below=self._optional_number(raw, "age_below_years", rule_id),
            age_at_least=self._optional_number(raw, "age_at_least_years", rule_id),
            when_age_unknown=self._age_unknown(raw, rule_id),
            measure=self._measure(raw.get("measure"), rule_id),
            min_duration_days=self._optional_number(raw, "min_duration_days", rule_id),
            level_if_intense=self._level(raw, "level_if_intense", rule_id),
            fallback=self._flag(raw, "fallback", rule_id),
            synonyms_from=self._optional_text(raw, "synonyms_from", rule_id),
            file=self.file.name,
        )
        self._check(rule)
        return rule

    def _check(self, rule: Rule) -> None:
        if rule.level is Level.VITAL:
            if not rule.numbers:
                raise self.fail(
                    rule.id, "un motif vital doit donner son numéro d'urgence (numbers)"
                )
            if rule.appointment:
                raise self.fail(rule.id, "un motif vital ne propose jamais de rendez-vous")
        elif rule.numbers:
            raise self.fail(rule.id, "seuls les motifs vitaux ont un numéro d'urgence (numbers)")
        bad = [n for n in rule.numbers if n not in EMERGENCY_NUMBERS]
        if bad:
            raise self.fail(rule.id, f"numéro d'urgence inconnu : {', '.join(bad)}")
        missing = [c for c in rule.requires if c not in self.concepts]
        if missing:
            raise self.fail(rule.id, f"concept inconnu dans « requires » : {', '.join(missing)}")
        if not (rule.synonyms or rule.synonyms_from or rule.requires or rule.measure):
            raise self.fail(rule.id, "il faut des « synonyms » (ou « requires » / « measure »)")
        if rule.fallback and (rule.level is Level.VITAL or rule.level_if_intense is Level.VITAL):
            raise self.fail(
                rule.id, "un signe vital ne peut pas être un motif par défaut (fallback)"
            )
        if rule.level_if_intense is not None and rule.level_if_intense.rank <= rule.level.rank:
            raise self.fail(rule.id, "« level_if_intense » doit être plus urgent que « level »")

    def _text(self, raw: Mapping[str, Any], key: str, entry: str) -> str:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(entry, f"« {key} » manquant ou vide")
        return value.strip()

    def _optional_text(self, raw: Mapping[str, Any], key: str, entry: str) -> str | None:
        return None if raw.get(key) is None else self._text(raw, key, entry)

    def _list(self, raw: Mapping[str, Any], key: str, entry: str) -> list[str]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(entry, f"« {key} » doit être une liste de textes non vides")
        return [v.strip() for v in value]

    def _flag(self, raw: Mapping[str, Any], key: str, entry: str) -> bool:
        value = raw.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(entry, f"« {key} » doit valoir true ou false (trouvé : {value!r})")
        return value

    def _optional_number(self, raw: Mapping[str, Any], key: str, entry: str) -> float | None:
        value = raw.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise self.fail(entry, f"« {key} » doit être un nombre positif (trouvé : {value!r})")
        return float(value)

    def _level(self, raw: Mapping[str, Any], key: str, entry: str) -> Level | None:
        value = raw.get(key)
        if value is None:
            return None
        try:
            return Level(value)
        except ValueError:
            raise self.fail(
                entry, f"niveau « {value} » inconnu (attendu : vital, urgent, soon, routine)"
            ) from None

    def _kinds(self, value: Any, entry: str) -> frozenset[str]:
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise self.fail(entry, "« kinds » doit lister les types de cabinet concernés")
        kinds: set[str] = set()
        for kind in value:
            if kind == ALL_KINDS:
                kinds.add(ALL_KINDS)
            elif kind in self.kinds:
                kinds |= self.kinds[kind]
            else:
                raise self.fail(entry, f"type de cabinet inconnu : « {kind} »")
        return frozenset(kinds)

    def _delay(self, raw: Mapping[str, Any], level: Level, entry: str) -> timedelta | None:
        hours = self._optional_number(raw, "max_delay_hours", entry)
        if hours is None:
            hours = self.default_delays.get(level)
        return None if hours is None else timedelta(hours=hours)

    def _age_unknown(self, raw: Mapping[str, Any], entry: str) -> str:
        has_bound = "age_below_years" in raw or "age_at_least_years" in raw
        value = raw.get("when_age_unknown", "skip" if has_bound else "fire")
        if value not in ("skip", "fire", "only") and value not in self.concepts:
            raise self.fail(entry, "« when_age_unknown » : skip, fire, only ou un nom de concept")
        return str(value)

    def _measure(self, value: Any, entry: str) -> MeasureCondition | None:
        if value is None:
            return None
        if not isinstance(value, dict) or value.get("name") not in self.measures:
            raise self.fail(entry, f"« measure » : nom de mesure inconnu ({value!r})")
        low, high = value.get("min"), value.get("max")
        if low is None and high is None:
            raise self.fail(entry, "« measure » : indiquer min et/ou max")
        for bound in (low, high):
            if bound is not None and (
                isinstance(bound, bool) or not isinstance(bound, int | float)
            ):
                raise self.fail(entry, f"« measure » : borne non numérique ({bound!r})")
        return MeasureCondition(
            str(value["name"]),
            None if low is None else float(low),
            None if high is None else float(high),
        )
