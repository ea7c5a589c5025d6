"""`permanence export-callbacks --practitioner NOM [--from DATE] --ics FICHIER [--events]
[--privacy full|initials|minimal]`.

The practitioner's open callbacks as an iCalendar file (a VTODO each, or a VEVENT at the
callback window with --events); the UIDs are stable, so importing again updates.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from permanence.commands.digest import (
    UsageError,
    guarded,
    open_workspace,
    parse_day,
    practitioner_named,
)
from permanence.core.messages import export_callbacks_ics
from permanence.core.security.audit import EXPORTED


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "export-callbacks",
        help="rappels à faire d'un praticien, en fichier agenda (ICS)",
        description="Exporte les rappels promis et non faits d'un praticien en fichier "
        "iCalendar (tâches avec échéance, ou événements avec --events).",
    )
    parser.add_argument(
        "--practitioner", required=True, metavar="NOM", help="praticien (« martin », « Dr Martin »)"
    )
    parser.add_argument(
        "--from",
        dest="from_day",
        metavar="AAAA-MM-JJ",
        help="seulement les rappels promis depuis ce jour",
    )
    parser.add_argument("--ics", required=True, type=Path, metavar="FICHIER", help="ICS à écrire")
    parser.add_argument(
        "--events", action="store_true", help="des événements au créneau de rappel (pas des tâches)"
    )
    parser.add_argument(
        "--privacy",
        choices=("full", "initials", "minimal"),
        default="initials",
        help="full : nom, motif, numéro ; initials : initiales et numéro (défaut) ; "
        "minimal : « Rappel patient »",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return guarded(_run, args, "l'export des rappels")


def _run(args: argparse.Namespace) -> int:
    start = parse_day(args.from_day) if args.from_day else None
    workspace = open_workspace(args)
    try:
        practitioner = practitioner_named(workspace, args.practitioner)
        callbacks = workspace.messages.callbacks(practitioner_id=practitioner.id)
        workspace.audit.record(
            EXPORTED, "praticien", practitioner.id, f"Rappels à faire (ICS, {args.privacy})"
        )
    finally:
        workspace.close()
    if start is not None:
        zone = ZoneInfo(practitioner.timezone or "Europe/Paris")
        since = datetime.combine(start, time(0), tzinfo=zone).astimezone(UTC)
        callbacks = [c for c in callbacks if c.created_at >= since]
    data = export_callbacks_ics(
        callbacks, privacy=args.privacy, as_events=args.events, practitioner=practitioner
    )
    try:
        args.ics.write_bytes(data)
    except OSError as error:
        raise UsageError(f"Impossible d'écrire « {args.ics} » : {error.strerror}.") from None
    late = sum(1 for c in callbacks if c.overdue)
    print(
        f"{len(callbacks)} rappel(s) à faire pour {practitioner.display_name}"
        f"{f', dont {late} en retard' if late else ''}. Fichier écrit : {args.ics}"
    )
    return 0
