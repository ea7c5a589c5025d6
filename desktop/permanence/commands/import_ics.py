"""`permanence import-ics FICHIER --dry-run [--json]`: what a calendar file gives as busy time;
`permanence [--workspace DOSSIER] import-ics FICHIER --practitioner NOM`: into her agenda.

Exit 0 when at least one event was accepted, 2 otherwise, with one line in French on
stderr and never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from permanence.commands.common import UsageError, guarded
from permanence.core.calendars import (
    CalendarImportError,
    ComponentCache,
    ImportResult,
    Skipped,
    Window,
    default_window,
    import_calendar,
)
from permanence.core.calendars.zones import iana_key

DEFAULT_TZ = "Europe/Paris"
HOW = {
    "iana": "nom IANA",
    "windows": "nom Windows (CLDR)",
    "prefix": "préfixe d'éditeur retiré",
    "case": "nom IANA à la casse corrigée",
    "offset": "d'après le décalage « (UTC±hh:mm) »",
    "vtimezone": "défini dans le fichier",
    "unknown": "inconnu : fuseau du praticien",
    "x-wr-timezone": "X-WR-TIMEZONE",
    "floating": "heures flottantes : fuseau du praticien",
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `import-ics` subcommand."""
    parser = subparsers.add_parser(
        "import-ics",
        help="lire un fichier iCalendar (.ics) comme temps occupé",
        description="Lit un fichier iCalendar et dit ce qu'il donne comme temps occupé.",
    )
    parser.add_argument("file", metavar="FICHIER", help="fichier .ics (« - » : entrée standard)")
    parser.add_argument(
        "--from",
        dest="start",
        metavar="DATE",
        help="début de la fenêtre (AAAA-MM-JJ ; défaut : il y a 30 jours)",
    )
    parser.add_argument(
        "--to",
        dest="end",
        metavar="DATE",
        help="fin de la fenêtre, jour compris (défaut : dans 12 mois)",
    )
    parser.add_argument(
        "--tz",
        default=DEFAULT_TZ,
        metavar="FUSEAU",
        help=f"fuseau du praticien, pour les heures flottantes ({DEFAULT_TZ})",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="ne rien enregistrer : afficher ce que donnerait l'import",
    )
    parser.add_argument("--json", action="store_true", help="un objet JSON sur la sortie")
    parser.add_argument("--list", action="store_true", help="lister aussi les créneaux occupés")
    parser.add_argument("--practitioner", metavar="NOM", help="praticien à qui importer")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """The subcommand; never raises, returns the exit code."""
    return guarded(_run, args, "l'import", interrupted="Import interrompu.")


def import_file(
    path: Path, tz: ZoneInfo, window: Window | None = None, cache: ComponentCache | None = None
) -> ImportResult:
    """Import a file (`-` for stdin); CalendarImportError when it cannot be read or used."""
    try:
        data = sys.stdin.buffer.read() if str(path) == "-" else Path(path).read_bytes()
    except OSError as error:
        message = f"Impossible de lire le fichier {path} : {_why(error)}."
        raise CalendarImportError(message) from error
    return import_calendar(data, tz=tz, window=window, cache=cache)


def _why(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "fichier introuvable"
    if isinstance(error, PermissionError):
        return "accès refusé"
    if isinstance(error, IsADirectoryError):
        return "c'est un dossier"
    return error.strerror or type(error).__name__


def _run(args: argparse.Namespace) -> int:
    if not args.dry_run:
        return _into_agenda(args)
    tz = _zone(args.tz)
    window = _window(args.start, args.end, tz)
    result = import_file(Path(args.file), tz, window)
    if args.json:
        print(json.dumps(as_json(result, args.file, tz, listed=args.list), ensure_ascii=False))
    else:
        print(summary(result, args.file, tz, listed=args.list))
    return 0


def _into_agenda(args: argparse.Namespace) -> int:
    """Add (or reuse) the file as the practitioner's calendar source and sync it."""
    if not args.practitioner:
        raise UsageError("Sans --dry-run, indiquez le praticien : --practitioner NOM.")
    if str(args.file) == "-":
        raise UsageError("L'import dans un agenda lit un fichier, pas l'entrée standard.")
    if args.start or args.end:
        raise UsageError(
            "--from et --to ne servent qu'avec --dry-run : l'import couvre 30 jours en arrière "
            "et 12 mois en avant."
        )
    from permanence.commands.digest import open_workspace, practitioner_named

    workspace = open_workspace(args)
    try:
        practitioner = practitioner_named(workspace, args.practitioner)
        source = workspace.calendars.add_file_source(practitioner.id, Path(args.file))
        report = workspace.calendars.sync(source.id)
    finally:
        workspace.close()
    if not report.ok:
        raise UsageError(report.message)
    if args.json:
        payload = {
            "practitioner": practitioner.display_name,
            "source": source.id,
            "events": report.events,
            "occurrences": report.busy,
            "skipped": [
                {"uid": s.uid, "component": s.component, "reason": s.reason} for s in report.skipped
            ],
            "warnings": list(report.warnings),
        }
        print(json.dumps(payload, ensure_ascii=False))
    else:
        print(f"Agenda de {practitioner.display_name} ({args.file}) : {report.message}")
    return 0


def _zone(name: str) -> ZoneInfo:
    key = iana_key(name)
    if key is None:
        raise UsageError(f"Fuseau horaire inconnu : {name} (exemple : Europe/Paris).")
    return ZoneInfo(key)


def _window(start: str | None, end: str | None, tz: ZoneInfo) -> Window:
    default_start, default_end = default_window()
    first = _moment(start, tz, "--from") if start else default_start
    last = _moment(end, tz, "--to", whole_day=True) if end else default_end
    if first >= last:
        raise UsageError("La fenêtre est vide : --from doit précéder --to.")
    return first, last


def _moment(text: str, tz: ZoneInfo, option: str, *, whole_day: bool = False) -> datetime:
    """A date (midnight in `tz`; the next midnight for --to) or an ISO date-time."""
    try:
        if len(text.strip()) == 10:
            day = date.fromisoformat(text.strip()) + timedelta(days=1 if whole_day else 0)
            return datetime.combine(day, time(), tzinfo=tz)
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"Date illisible pour {option} : {text} (attendu : AAAA-MM-JJ).") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def as_json(result: ImportResult, file: str, tz: ZoneInfo, *, listed: bool) -> dict[str, Any]:
    """The --json object."""
    payload: dict[str, Any] = {
        "file": file,
        "events": result.events,
        "occurrences": result.occurrences,
        "occurrences_total": result.occurrences_total,
        "skipped": [
            {"uid": item.uid, "component": item.component, "reason": item.reason}
            for item in result.skipped
        ],
        "zones": [{"tzid": z.tzid, "zone": z.zone, "how": z.how} for z in result.zones],
        "warnings": list(result.warnings),
        "window": {"from": result.window[0].isoformat(), "to": result.window[1].isoformat()},
        "timezone": tz.key,
    }
    if listed:
        payload["busy"] = [
            {
                "uid": item.uid,
                "start": item.start.isoformat(),
                "end": item.end.isoformat(),
                "summary": item.summary,
                "recurrence_id": item.recurrence_id.isoformat() if item.recurrence_id else None,
            }
            for item in result.busy
        ]
    return payload


def summary(result: ImportResult, file: str, tz: ZoneInfo, *, listed: bool) -> str:
    """The readable French summary."""
    start, end = (_local(moment, tz) for moment in result.window)
    lines = [
        f"Fichier : {file}",
        f"Fenêtre : du {start} au {end} ({tz.key})",
        f"Événements acceptés : {result.events}",
        f"Créneaux occupés dans la fenêtre : {result.occurrences} "
        f"(sur {result.occurrences_total} occurrences)",
    ]
    lines += _section("Ignorés", [_skipped_line(item) for item in result.skipped])
    lines += _section(
        "Fuseaux horaires",
        [f"{z.tzid} → {z.zone} ({HOW.get(z.how, z.how)})" for z in result.zones],
    )
    lines += _section("Avertissements", list(result.warnings))
    if listed:
        lines += _section(
            "Créneaux occupés",
            [
                f"{_local(item.start, tz)} → {_local(item.end, tz)}  {item.summary}"
                for item in result.busy
            ],
        )
    return "\n".join(lines)


def _skipped_line(item: Skipped) -> str:
    who = f" {item.uid}" if item.uid else ""
    return f"{item.component}{who} : {item.reason}"


def _section(title: str, items: Sequence[str]) -> list[str]:
    return [f"{title} ({len(items)}) :", *(f"  - {item}" for item in items)] if items else []


def _local(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%d/%m/%Y %H:%M")


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m permanence.commands.import_ics FICHIER …` (same options as the subcommand)."""
    parser = argparse.ArgumentParser(prog="permanence")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["import-ics", *(sys.argv[1:] if argv is None else argv)])
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
