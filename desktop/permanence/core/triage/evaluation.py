"""Reading case files (JSONL like shared/triage/sample_cases.jsonl) and scoring the engine.

A case line holds `id`, `practice`, `text`, `age_years` and optionally `expected`; other
fields are kept and passed through.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from permanence.core.triage.assessment import Assessment
from permanence.core.triage.catalog import Catalog
from permanence.core.triage.engine import assess
from permanence.core.triage.levels import LEVELS_BY_RANK, Level


class CaseError(ValueError):
    """A case line cannot be used; the message names the line, in French."""


@dataclass(frozen=True)
class Case:
    """One caller request to assess, with the expected level when known."""

    id: str
    practice: str
    text: str
    age_years: float | None
    expected: Level | None
    fields: dict[str, Any] = field(default_factory=dict)
    hard: bool = False


def _age(value: Any, number: int) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise CaseError(f"ligne {number} : « age_years » doit être un nombre positif ou null")
    return float(value)


def _expected(value: Any, number: int) -> Level | None:
    if value is None:
        return None
    try:
        return Level(value)
    except ValueError:
        raise CaseError(f"ligne {number} : niveau attendu « {value} » inconnu") from None


def parse_case(line: str, number: int) -> Case:
    """One JSONL line as a Case; raises CaseError with a French message."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CaseError(
            f"ligne {number} : JSON invalide ({exc.msg}, colonne {exc.colno})"
        ) from None
    if not isinstance(data, dict):
        raise CaseError(f"ligne {number} : un objet JSON {{…}} est attendu")
    text = data.get("text")
    if not isinstance(text, str):
        raise CaseError(f"ligne {number} : champ « text » manquant ou non textuel")
    practice = data.get("practice")
    return Case(
        id=str(data.get("id", number)),
        practice=practice if isinstance(practice, str) else "",
        text=text,
        age_years=_age(data.get("age_years"), number),
        expected=_expected(data.get("expected"), number),
        fields=data,
        hard=bool(data.get("hard", False)),
    )


def read_cases(lines: Iterable[str]) -> list[Case]:
    """Every non-blank line as a case; the first bad line raises CaseError."""
    return [parse_case(line, n) for n, line in enumerate(lines, start=1) if line.strip()]


def assess_case(case: Case, catalog: Catalog) -> Assessment:
    return assess(case.text, case.practice, age_years=case.age_years, catalog=catalog)


@dataclass
class Evaluation:
    """Accuracy, per-level recall and confusion table over cases with an expected level."""

    total: int = 0
    correct: int = 0
    hard_total: int = 0
    hard_correct: int = 0
    confusion: dict[Level, dict[Level, int]] = field(
        default_factory=lambda: {e: dict.fromkeys(Level, 0) for e in Level}
    )
    misses: list[tuple[Case, Level]] = field(default_factory=list)

    def add(self, case: Case, got: Level) -> None:
        if case.expected is None:
            return
        self.total += 1
        self.confusion[case.expected][got] += 1
        ok = got is case.expected
        self.correct += ok
        self.hard_total += case.hard
        self.hard_correct += case.hard and ok
        if not ok:
            self.misses.append((case, got))

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def recall(self, level: Level) -> float | None:
        row = self.confusion[level]
        expected = sum(row.values())
        return row[level] / expected if expected else None

    @property
    def vital_as_routine(self) -> int:
        return self.confusion[Level.VITAL][Level.ROUTINE]


def evaluate(cases: Iterable[Case], catalog: Catalog) -> Evaluation:
    evaluation = Evaluation()
    for case in cases:
        evaluation.add(case, assess_case(case, catalog).level)
    return evaluation


def format_evaluation(evaluation: Evaluation) -> str:
    """French summary: accuracy, recall per level, vital→routine count, confusion table."""
    if not evaluation.total:
        return "Évaluation : aucune ligne avec « expected »."
    lines = [
        f"Exactitude : {evaluation.correct}/{evaluation.total} = {evaluation.accuracy:.1%}",
    ]
    if evaluation.hard_total:
        share = evaluation.hard_correct / evaluation.hard_total
        lines.append(
            f"Cas difficiles : {evaluation.hard_correct}/{evaluation.hard_total} = {share:.1%}"
        )
    for level in LEVELS_BY_RANK:
        recall = evaluation.recall(level)
        shown = "—" if recall is None else f"{recall:.1%}"
        lines.append(f"Rappel {level.value:<8}: {shown}")
    lines.append(f"Vital classé routine : {evaluation.vital_as_routine}")
    header = "attendu \\ obtenu".ljust(18) + "".join(f"{lv.value:>9}" for lv in LEVELS_BY_RANK)
    lines.append(header)
    for expected in LEVELS_BY_RANK:
        row = evaluation.confusion[expected]
        lines.append(expected.value.ljust(18) + "".join(f"{row[g]:>9}" for g in LEVELS_BY_RANK))
    return "\n".join(lines)
