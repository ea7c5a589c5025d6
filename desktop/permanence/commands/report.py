"""`permanence report calls [--month AAAA-MM] [--practice NOM] [--csv FICHIER]`.

What the telesecretary invoices each practice for a month: billed and unbilled calls by
outcome, with their total duration. Exit 0 on success, 2 with one French line on stderr
(bad month, unknown practice, unwritable file, unusable workspace), never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz, process

from permanence.commands.common import UsageError, guarded, open_workspace
from permanence.core.calls.billing import format_euros
from permanence.core.calls.values import MonthlyReport, PracticeReport, format_duration
from permanence.core.practices import PracticeInfo
from permanence.core.security.audit import EXPORTED
from permanence.core.text import fold

PARIS = ZoneInfo("Europe/Paris")
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
CSV_HEADERS = (
    "Mois",
    "Cabinet",
    "Issue",
    "Appels facturés",
    "Durée facturée",
    "Appels non facturés",
    "Durée non facturée",
    "Montant HT (€)",
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `report` and its `calls` report."""
    parser = subparsers.add_parser(
        "report",
        help="rapports (appels du mois à facturer)",
        description="Rapports tirés du cahier d'appels.",
    )
    reports = parser.add_subparsers(dest="report", metavar="RAPPORT")
    calls = reports.add_parser(
        "calls",
        help="appels du mois par cabinet : facturés et non facturés, par issue, avec la durée",
        description="Appels d'un mois par cabinet : facturés et non facturés par issue, "
        "avec leur durée totale (ce que vous facturez à chaque cabinet).",
    )
    calls.add_argument(
        "--month", metavar="AAAA-MM", help="mois du rapport (défaut : le mois en cours)"
    )
    calls.add_argument("--practice", metavar="NOM", help="un seul cabinet (nom ou partie du nom)")
    calls.add_argument(
        "--csv",
        type=Path,
        metavar="FICHIER",
        help="écrire aussi le rapport en CSV (UTF-8, séparateur « ; », pour Excel)",
    )
    calls.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """The subcommand; never raises, returns the exit code."""
    return guarded(_run, args, "le rapport", interrupted="Rapport interrompu.")


def _run(args: argparse.Namespace) -> int:
    year, month = parse_month(args.month) if args.month else _this_month()
    workspace = open_workspace(args)
    try:
        practice = (
            find_practice(workspace.practices.list(), args.practice) if args.practice else None
        )
        report = workspace.calls.monthly_report(
            year, month, practice_id=practice.id if practice else None, tz=PARIS
        )
        workspace.audit.record(EXPORTED, "appel", "", f"Rapport des appels {year:04d}-{month:02d}")
    finally:
        workspace.close()
    if args.csv is not None:
        write_csv(report, args.csv)
    print(render(report))
    if args.csv is not None:
        print(f"\nFichier CSV écrit : {args.csv}")
    return 0


def _this_month() -> tuple[int, int]:
    today = date.today()
    return today.year, today.month


def parse_month(text: str) -> tuple[int, int]:
    """ "2026-11" → (2026, 11); UsageError in French otherwise."""
    match = _MONTH.match(text)
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise UsageError(f"Mois illisible : « {text} » (attendu : AAAA-MM, par exemple 2026-11).")
    return int(match.group(1)), int(match.group(2))


def find_practice(practices: Sequence[PracticeInfo], wanted: str) -> PracticeInfo:
    """The practice named (accents and case ignored; a unique part of the name is enough)."""
    folded = fold(wanted)
    exact = [p for p in practices if folded in (fold(p.name), fold(p.key))]
    if exact:
        return exact[0]
    partial = [p for p in practices if folded and folded in fold(p.name)]
    if len(partial) == 1:
        return partial[0]
    if len(partial) > 1:
        names = ", ".join(f"« {p.name} »" for p in partial)
        raise UsageError(f"Plusieurs cabinets correspondent à « {wanted} » : {names}. Précisez.")
    by_fold = {fold(p.name): p.name for p in practices}
    best = process.extractOne(folded, list(by_fold), scorer=fuzz.WRatio, score_cutoff=60)
    hint = f" Vouliez-vous dire « {by_fold[best[0]]} » ?" if best else ""
    known = ", ".join(p.name for p in practices) or "aucun"
    raise UsageError(f"Cabinet inconnu : « {wanted} ».{hint} (Cabinets : {known}.)")


# -- text ------------------------------------------------------------------------------------
def render(report: MonthlyReport) -> str:
    lines = [f"Appels de {report.label} (heure de {report.timezone})", ""]
    for practice in report.practices:
        lines += _practice_lines(practice)
        lines.append("")
    if len(report.practices) > 1:
        lines.append(
            f"Tous cabinets : {report.billed_calls} appel(s) facturé(s) "
            f"({format_duration(report.billed_duration)}), "
            f"{report.unbilled_calls} non facturé(s)."
        )
    return "\n".join(lines).rstrip()


def _practice_lines(practice: PracticeReport) -> list[str]:
    lines = [practice.practice_name, "=" * len(practice.practice_name)]
    if not practice.total_calls:
        return [*lines, "Aucun appel ce mois-ci."]
    header = ("Issue", "Facturés", "Durée facturée", "Non facturés", "Durée non facturée")
    rows = [
        (
            o.label,
            str(o.billed),
            _duration(o.billed_duration),
            str(o.unbilled),
            _duration(o.unbilled_duration),
        )
        for o in practice.outcomes
        if o.total
    ]
    total = (
        "Total",
        str(practice.billed_calls),
        _duration(practice.billed_duration),
        str(practice.unbilled_calls),
        _duration(practice.unbilled_duration),
    )
    widths = [max(len(r[i]) for r in [header, *rows, total]) for i in range(len(header))]
    rule = "  ".join("-" * w for w in widths)
    lines += [
        _row(header, widths),
        rule,
        *(_row(r, widths) for r in rows),
        rule,
        _row(total, widths),
    ]
    if practice.unbilled_reasons:
        reasons = ", ".join(
            f"{reason.removesuffix(' : non facturé')} ({count})"
            for reason, count in practice.unbilled_reasons
        )
        lines.append(f"Non facturés : {reasons}.")
    if practice.amount_eur is not None and practice.price_eur is not None:
        lines.append(
            f"À facturer : {practice.billed_calls} × {format_euros(practice.price_eur)} = "
            f"{format_euros(practice.amount_eur)} HT"
        )
    return lines


def _row(cells: Sequence[str], widths: Sequence[int]) -> str:
    first = cells[0].ljust(widths[0])
    rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
    return "  ".join([first, *rest]).rstrip()


def _duration(value: timedelta) -> str:
    return format_duration(value) if value else "—"


# -- CSV ---------------------------------------------------------------------------------------
def write_csv(report: MonthlyReport, path: Path) -> None:
    """UTF-8 with BOM (Excel opens it with the accents right), `;`, French headers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    month = f"{report.year:04d}-{report.month:02d}"
    for practice in report.practices:
        for line in practice.outcomes:
            writer.writerow(
                [
                    month,
                    practice.practice_name,
                    line.label,
                    line.billed,
                    _clock(line.billed_duration),
                    line.unbilled,
                    _clock(line.unbilled_duration),
                    "",
                ]
            )
        amount = practice.amount_eur
        writer.writerow(
            [
                month,
                practice.practice_name,
                "Total",
                practice.billed_calls,
                _clock(practice.billed_duration),
                practice.unbilled_calls,
                _clock(practice.unbilled_duration),
                f"{amount:.2f}".replace(".", ",") if amount is not None else "",
            ]
        )
    try:
        path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    except OSError as error:
        raise UsageError(
            f"Impossible d'écrire le fichier CSV « {path} » : {_why(error)}."
        ) from None


def _clock(value: timedelta) -> str:
    """ "1:05:12": Excel reads it as a duration."""
    seconds = int(value.total_seconds())
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _why(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "dossier introuvable"
    if isinstance(error, PermissionError):
        return "accès refusé"
    if isinstance(error, IsADirectoryError):
        return "c'est un dossier"
    return error.strerror or type(error).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m permanence.commands.report [--workspace DIR | --demo] calls …`."""
    parser = argparse.ArgumentParser(prog="permanence")
    parser.add_argument("--workspace", type=Path, metavar="DOSSIER")
    parser.add_argument("--demo", action="store_true")
    register(parser.add_subparsers(dest="command"))
    raw = list(sys.argv[1:] if argv is None else argv)
    at = raw.index("calls") if "calls" in raw else len(raw)
    args = parser.parse_args([*raw[:at], "report", *raw[at:]])
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return 2
    return int(func(args))


if __name__ == "__main__":
    sys.exit(main())
