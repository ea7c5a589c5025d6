"""The quality bar of issue 4 on the union of our own case files, figures printed per file.

Bar: vital recall 100 %, no vital case assessed routine, exact level >= 90 %.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from permanence.core.triage import Level, default_catalog
from permanence.core.triage.evaluation import Case, evaluate, format_evaluation, read_cases

HERE = Path(__file__).parent
CASE_FILES = sorted(HERE.glob("cases*.jsonl"))


def _cases(path: Path) -> list[Case]:
    return read_cases(path.read_text(encoding="utf-8").splitlines())


def test_case_files_are_present() -> None:
    names = {p.name for p in CASE_FILES}
    # cases_blind9.jsonl: 240 cases written blind (never tuned on), all practice kinds.
    # cases_blind10.jsonl: 200 more blind cases, kept as written (no relabelling).
    # cases_blind11..23.jsonl: 160 or 200 cases each, written blind at the evaluation's balance
    # (25 % vital, 25 % urgent, 20 % soon, 30 % routine, about 15 % hard), kept as written.
    blind = {f"cases_blind{n}.jsonl" for n in range(9, 24)}
    required = {"cases.jsonl", "cases_general.jsonl"} | blind
    assert required <= names


def test_general_set_covers_every_kind_and_hard_cases() -> None:
    cases = _cases(HERE / "cases_general.jsonl")
    assert len(cases) >= 250
    assert {c.practice for c in cases} == set(default_catalog().kinds)
    assert sum(c.hard for c in cases) / len(cases) >= 0.15
    assert all(c.expected is not None for c in cases)


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.name)
def test_each_file_never_misses_a_vital_case(path: Path) -> None:
    evaluation = evaluate(_cases(path), default_catalog())
    print(f"\n{path.name} :\n{format_evaluation(evaluation)}")
    missed = [(c.id, got.value) for c, got in evaluation.misses if c.expected is Level.VITAL]
    assert evaluation.recall(Level.VITAL) == 1.0, missed
    assert evaluation.vital_as_routine == 0


def test_quality_bar_on_the_union() -> None:
    cases = [case for path in CASE_FILES for case in _cases(path)]
    evaluation = evaluate(cases, default_catalog())
    title = f"Union de {len(CASE_FILES)} fichiers, {len(cases)} cas"
    print(f"\n{title} :\n{format_evaluation(evaluation)}")
    assert evaluation.recall(Level.VITAL) == 1.0
    assert evaluation.vital_as_routine == 0
    assert evaluation.accuracy >= 0.9, format_evaluation(evaluation)
