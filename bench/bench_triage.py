"""Triage benchmark: catalog load time, time of one assessment, evaluation figures.

Budget (DESIGN.md): triage of one reason, median ≤ 1 ms.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from permanence.core.triage import load_catalog
from permanence.core.triage.catalog import Catalog
from permanence.core.triage.evaluation import assess_case, evaluate, format_evaluation, read_cases

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
OWN_CASES = REPO / "tests" / "core" / "triage" / "cases.jsonl"
SAMPLE = SHARED / "triage" / "sample_cases.jsonl"
BUDGET_MS = 1.0
ROUNDS = 20


def _load_times(runs: int = 5) -> tuple[float, Catalog]:
    times: list[float] = []
    catalog = None
    for _ in range(runs):
        started = time.perf_counter()
        catalog = load_catalog()
        times.append(time.perf_counter() - started)
    assert catalog is not None
    return statistics.median(times) * 1000, catalog


def _assessment_times(catalog: Catalog) -> list[float]:
    cases = read_cases(OWN_CASES.read_text(encoding="utf-8").splitlines())
    for case in cases:  # warm-up: spelling cache, per-kind rule sets
        assess_case(case, catalog)
    times: list[float] = []
    for _ in range(ROUNDS):
        for case in cases:
            started = time.perf_counter()
            assess_case(case, catalog)
            times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def _print_evaluation(title: str, path: Path, catalog: Catalog) -> None:
    if not path.is_file():
        print(f"{title} : fichier absent ({path})")
        return
    evaluation = evaluate(read_cases(path.read_text(encoding="utf-8").splitlines()), catalog)
    print(f"\n{title} ({path.name}, {evaluation.total} cas) :")
    print(format_evaluation(evaluation))


def main() -> None:
    load_ms, catalog = _load_times()
    rules = len(catalog.rules)
    print(f"Chargement du catalogue ({rules} règles) : {load_ms:.1f} ms (médiane de 5)")
    times = _assessment_times(catalog)
    median = statistics.median(times)
    p99 = times[int(len(times) * 0.99) - 1]
    verdict = "OK" if median <= BUDGET_MS else "HORS BUDGET"
    print(
        f"Évaluation d'un motif : médiane {median:.3f} ms (budget ≤ {BUDGET_MS:g} ms : {verdict}), "
        f"99e centile {p99:.3f} ms, sur {len(times)} évaluations"
    )
    _print_evaluation("Échantillon partagé", SAMPLE, catalog)
    _print_evaluation("Jeu de cas du projet", OWN_CASES, catalog)


if __name__ == "__main__":
    main()
