"""The held-out style case set (written from public guidance) and the shared sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from permanence.core.triage import Level, default_catalog
from permanence.core.triage.evaluation import evaluate, format_evaluation, read_cases

CASES = Path(__file__).with_name("cases.jsonl")


@pytest.fixture(scope="module")
def own_evaluation():  # type: ignore[no-untyped-def]
    return evaluate(read_cases(CASES.read_text(encoding="utf-8").splitlines()), default_catalog())


def test_case_set_is_large_and_balanced() -> None:
    cases = read_cases(CASES.read_text(encoding="utf-8").splitlines())
    assert len(cases) >= 250
    kinds = {case.practice for case in cases}
    assert kinds == set(default_catalog().kinds)
    shares = {level: sum(c.expected is level for c in cases) / len(cases) for level in Level}
    assert 0.2 <= shares[Level.VITAL] <= 0.3
    assert 0.2 <= shares[Level.URGENT] <= 0.3
    assert 0.15 <= shares[Level.SOON] <= 0.25
    assert 0.25 <= shares[Level.ROUTINE] <= 0.35
    assert sum(c.hard for c in cases) / len(cases) >= 0.15


def test_vital_recall_is_total(own_evaluation) -> None:  # type: ignore[no-untyped-def]
    missed = [c.id for c, got in own_evaluation.misses if c.expected is Level.VITAL]
    assert own_evaluation.recall(Level.VITAL) == 1.0, missed


def test_no_vital_case_is_routine(own_evaluation) -> None:  # type: ignore[no-untyped-def]
    assert own_evaluation.vital_as_routine == 0


def test_exact_level_at_least_90_percent(own_evaluation) -> None:  # type: ignore[no-untyped-def]
    assert own_evaluation.accuracy >= 0.9, format_evaluation(own_evaluation)


def test_shared_sample_never_misses_a_vital_case(shared_dir: Path) -> None:
    lines = (shared_dir / "triage" / "sample_cases.jsonl").read_text(encoding="utf-8").splitlines()
    evaluation = evaluate(read_cases(lines), default_catalog())
    print("\nÉchantillon partagé :\n" + format_evaluation(evaluation))
    assert evaluation.recall(Level.VITAL) == 1.0
    assert evaluation.vital_as_routine == 0
