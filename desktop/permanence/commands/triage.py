"""`permanence triage`: assess call reasons from the command line, one text or a JSONL file.

    permanence triage --practice dentiste "joue gonflée depuis hier, 38,5"
    permanence triage --practice pediatre --age 0.1 --json "il a 38,2"
    permanence triage --jsonl cas.jsonl --evaluate > resultats.jsonl

Errors (empty text, unknown file, bad JSON line, broken catalog) print one line on the error
output and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from permanence.core.triage import (
    Assessment,
    Catalog,
    CatalogError,
    ParsedOverrides,
    assess,
    default_catalog,
    load_catalog,
    parse_overrides,
)
from permanence.core.triage.assessment import delay_hours
from permanence.core.triage.evaluation import (
    Case,
    CaseError,
    Evaluation,
    format_evaluation,
    read_cases,
)

EXIT_OK, EXIT_USAGE = 0, 2
_EPILOG = """\
Niveaux : vital, urgent, soon (sous 48 h), routine (programmé).
Types de cabinet : generaliste, pediatre, dentiste, kine, psy, sage_femme, infirmier,
ophtalmo, dermato, autre ; un type inconnu utilise les règles générales + generaliste.

Avec --jsonl, chaque ligne d'entrée ({"id", "practice", "text", "age_years", …}) donne une
ligne de sortie : les champs d'entrée, plus level, rule, evidence, disposition,
emergency_number, max_delay_hours, appointment_type, matched, notes.
Avec --evaluate, le bilan (exactitude, rappel par niveau, tableau de confusion) est écrit
sur la sortie d'erreur, après toutes les lignes, pour garder la sortie standard en JSONL.
"""


class UsageError(Exception):
    """A command-line mistake; the message is French and fits on one line."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `triage` subcommand to the `permanence` command line."""
    parser = subparsers.add_parser(
        "triage",
        help="évaluer l'urgence d'un motif d'appel",
        description="Évalue l'urgence d'un motif d'appel (texte libre) pour un type de cabinet.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    configure(parser)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", nargs="*", metavar="TEXTE", help="motif de l'appel")
    parser.add_argument(
        "--practice",
        "-p",
        default="generaliste",
        metavar="TYPE",
        help="type de cabinet (défaut : generaliste)",
    )
    parser.add_argument("--age", metavar="ANS", help="âge en années, ex. 45 ou 0,2 (10 semaines)")
    parser.add_argument("--json", action="store_true", help="un objet JSON au lieu du texte")
    parser.add_argument(
        "--jsonl", metavar="FICHIER", help="cas à évaluer, un JSON par ligne (- : entrée standard)"
    )
    parser.add_argument(
        "--evaluate",
        action="store_true",
        help="avec --jsonl : comparer à « expected », bilan sur la sortie d'erreur",
    )
    parser.add_argument(
        "--consignes",
        metavar="FICHIER",
        help="consignes « urgences » du praticien (« motif » → niveau : consigne)",
    )
    parser.add_argument(
        "--catalog", metavar="DOSSIER", help="autre catalogue (dossier de catalog.toml)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the subcommand; returns the exit status (2 on any input or catalog error)."""
    try:
        return _run(args, sys.stdout, sys.stderr)
    except (UsageError, CatalogError, CaseError) as exc:
        print(f"permanence triage : {exc}", file=sys.stderr)
        return EXIT_USAGE


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.evaluate and not args.jsonl:
        raise UsageError("--evaluate s'utilise avec --jsonl")
    if args.jsonl and args.text:
        raise UsageError("donnez soit un texte, soit --jsonl, pas les deux")
    age = _age(args.age)
    text = " ".join(args.text)
    if not args.jsonl and not text.strip():
        raise UsageError("motif vide : indiquez le texte à évaluer entre guillemets")
    catalog = load_catalog(args.catalog) if args.catalog else default_catalog()
    overrides = _overrides(args.consignes)
    if args.jsonl:
        return _run_cases(_read_lines(args.jsonl), catalog, overrides, args.evaluate, out, err)
    assessment = assess(text, args.practice, age_years=age, overrides=overrides, catalog=catalog)
    _write(out, _json(assessment.to_dict()) if args.json else format_assessment(assessment))
    return EXIT_OK


def _age(raw: str | None) -> float | None:
    if raw is None:
        return None
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise UsageError(f"âge « {raw} » illisible (ex. 45 ou 0,25)") from None
    if not 0 <= value <= 130:
        raise UsageError(f"âge « {raw} » hors limites (0 à 130 ans)")
    return value


def _read_text(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    path = Path(name)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"fichier introuvable : {path}") from None
    except IsADirectoryError:
        raise UsageError(f"{path} est un dossier, pas un fichier") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path} n'est pas un fichier texte UTF-8") from None
    except OSError as exc:
        raise UsageError(f"lecture impossible de {path} ({exc.strerror})") from None


def _read_lines(name: str) -> list[str]:
    return _read_text(name).splitlines()


def _overrides(name: str | None) -> ParsedOverrides:
    if name is None:
        return ParsedOverrides((), ())
    parsed = parse_overrides(_read_text(name))
    for problem in parsed.problems:
        print(f"permanence triage : consignes, {problem}", file=sys.stderr)
    return parsed


def _run_cases(
    lines: Sequence[str],
    catalog: Catalog,
    overrides: ParsedOverrides,
    evaluate: bool,
    out: TextIO,
    err: TextIO,
) -> int:
    cases = read_cases(lines)  # every line is checked before anything is written
    evaluation = Evaluation()
    for case in cases:
        assessment = assess(
            case.text, case.practice, age_years=case.age_years, overrides=overrides, catalog=catalog
        )
        evaluation.add(case, assessment.level)
        _write(out, _json(case_output(case, assessment)))
    if evaluate:
        _write(err, format_evaluation(evaluation))
    return EXIT_OK


def case_output(case: Case, assessment: Assessment) -> dict[str, Any]:
    """The input fields, then the assessment (the practice used is `practice_used`)."""
    output = dict(case.fields)
    output["id"] = case.id
    result = assessment.to_dict()
    output["practice_used"] = result.pop("practice")
    output.update(result)
    return output


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False)


def _write(stream: TextIO, text: str) -> None:
    try:
        print(text, file=stream)
    except UnicodeEncodeError:  # a terminal that is not UTF-8
        print(text.encode("ascii", "backslashreplace").decode("ascii"), file=stream)


def _hours(hours: float) -> str:
    if hours >= 48 and hours % 24 == 0:
        return f"{hours / 24:g} jours"
    return f"{hours:g} h"


def format_assessment(assessment: Assessment) -> str:
    """A readable French summary for the terminal."""
    level = assessment.level
    lines = [f"Niveau : {level.value.upper()} ({level.label})"]
    rule = assessment.rule
    if rule is not None:
        lines.append(f"Motif reconnu : {rule.label} [{rule.id}]")
        words = ", ".join(f"« {e.text} »" for e in assessment.evidence)
        lines.append(f"Mots déclencheurs : {words or '—'}")
    lines.append(f"À faire : {assessment.disposition}")
    if assessment.emergency_numbers:
        lines.append(f"Numéro d'urgence : {', '.join(assessment.emergency_numbers)}")
    if not assessment.booking_allowed:
        lines.append("Rendez-vous : aucun (urgence vitale)")
    elif assessment.appointment_type:
        delay = delay_hours(assessment.max_delay)
        suffix = f" — délai maximal : {_hours(delay)}" if delay is not None else ""
        lines.append(f"Rendez-vous suggéré : {assessment.appointment_type}{suffix}")
    others = [m for m in assessment.matched if m is not rule]
    if others:
        lines.append("Autres motifs : " + ", ".join(f"{m.label} ({m.level.label})" for m in others))
    lines.extend(f"Note : {note}" for note in assessment.notes)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m permanence.commands.triage …` (same options as `permanence triage`)."""
    parser = argparse.ArgumentParser(
        prog="permanence triage",
        description="Évalue l'urgence d'un motif d'appel (texte libre) pour un type de cabinet.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    configure(parser)
    args = parser.parse_args(argv)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
