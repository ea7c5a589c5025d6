"""`permanence purge [--dry-run]`: apply the workspace's retention period now.

Calls and messages older than the period (setting `retention.months`, 12 by default) are
deleted with their events and callbacks; open call drafts, appointments, callers' files
and the audit log are kept. The GUI runs the same purge at start-up.
"""

from __future__ import annotations

import argparse

from permanence.commands.common import guarded, open_workspace


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "purge",
        help="supprimer les appels et messages plus anciens que la durée de conservation",
        description="Supprime les appels et messages plus anciens que la durée de "
        "conservation de l'espace de travail (12 mois par défaut), avec leur historique et "
        "leurs rappels. Les appels en cours, les rendez-vous, les fiches des appelants et le "
        "journal d'audit sont conservés.",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="compter ce qui serait supprimé, sans rien supprimer",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return guarded(_run, args, "la purge", interrupted="Purge interrompue.")


def _run(args: argparse.Namespace) -> int:
    from permanence.core.security.retention import purge

    workspace = open_workspace(args, exclusive=not args.dry_run)
    try:
        report = purge(workspace, dry_run=args.dry_run)
    finally:
        workspace.close()
    day = report.cutoff.date().strftime("%d/%m/%Y")
    if args.dry_run:
        print(f"Simulation (rien n'a été supprimé) — conservation : {report.months} mois.")
        verb = "seraient supprimés"
    else:
        print(f"Conservation : {report.months} mois.")
        verb = "supprimés"
    if report.total == 0:
        print(f"Rien d'antérieur au {day} : aucune donnée à supprimer.")
        return 0
    print(f"Antérieurs au {day}, {verb} :")
    print(f"  {report.calls} appel(s)")
    print(f"  {report.messages} message(s)")
    print(f"  {report.events} événement(s) de message")
    print(f"  {report.followups} rappel(s) ou promesse(s)")
    print("Conservés : appels en cours, rendez-vous, fiches des appelants, journal d'audit.")
    return 0
