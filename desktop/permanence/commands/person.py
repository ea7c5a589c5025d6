"""`permanence person export CALLER_ID --to FICHIER` and `permanence person erase CALLER_ID`.

RGPD: everything the workspace holds about one caller as a printable HTML file (right of
access), and erasing that person (right to erasure). Erasing asks, on a terminal, to type
the person's last name; `--yes` skips the question (scripts). Exit 0 on success, 1 when
the erasure is not confirmed, 2 with one French line on stderr otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from permanence.commands.common import UsageError, fail, guarded, open_workspace


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "person",
        help="RGPD : exporter ou effacer les données d'une personne",
        description="Droits des personnes (RGPD) : exporter tout ce que l'espace de travail "
        "contient sur un appelant, ou l'effacer.",
    )
    actions = parser.add_subparsers(dest="person_action", metavar="ACTION")
    export = actions.add_parser(
        "export",
        help="écrire toutes les données d'un appelant dans un fichier HTML imprimable",
        description="Écrit dans un fichier HTML (à ouvrir dans un navigateur et à imprimer) "
        "l'identité, les numéros, les appels, messages, rappels, rendez-vous d'un appelant "
        "et les entrées du journal d'audit qui le concernent.",
    )
    export.add_argument("caller_id", type=int, metavar="N_APPELANT", help="numéro de l'appelant")
    export.add_argument(
        "--to", required=True, type=Path, metavar="FICHIER", help="fichier HTML à écrire"
    )
    export.set_defaults(func=run_export)
    erase = actions.add_parser(
        "erase",
        help="effacer un appelant et ses appels, messages, rappels et rendez-vous à venir",
        description="Efface un appelant : fiche, numéros, appels, messages, rappels, liste "
        "d'attente et rendez-vous à venir. Les rendez-vous passés gardent leur créneau sous "
        "le nom « Personne effacée ». Sans --yes, il faut taper le nom de la personne.",
    )
    erase.add_argument("caller_id", type=int, metavar="N_APPELANT", help="numéro de l'appelant")
    erase.add_argument(
        "--yes", action="store_true", help="ne pas demander de confirmation (scripts)"
    )
    erase.set_defaults(func=run_erase)
    parser.set_defaults(func=_usage(parser))


def _usage(parser: argparse.ArgumentParser) -> object:
    def show(_args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return 2

    return show


def run_export(args: argparse.Namespace) -> int:
    return guarded(_export, args, "l'export des données de la personne")


def run_erase(args: argparse.Namespace) -> int:
    return guarded(
        _erase, args, "l'effacement", interrupted="Effacement annulé : rien n'a été effacé."
    )


def _export(args: argparse.Namespace) -> int:
    from permanence.core.security.privacy import export_person, holdings

    workspace = open_workspace(args)
    try:
        held = holdings(workspace, args.caller_id)
        export_person(workspace, args.caller_id, args.to)
    finally:
        workspace.close()
    print(
        f"Données de {held.caller.display_name} (appelant n° {held.caller.id}) écrites : {args.to}"
    )
    print(
        f"{held.calls} appel(s), {held.messages} message(s), {held.followups} rappel(s), "
        f"{held.future_appointments + held.past_appointments} rendez-vous, "
        f"{held.audit_entries} entrée(s) du journal d'audit."
    )
    return 0


def _erase(args: argparse.Namespace) -> int:
    from permanence.core.security.privacy import confirms_erasure, erase_person, holdings

    workspace = open_workspace(args, exclusive=True)
    try:
        held = holdings(workspace, args.caller_id)
        if not args.yes:
            if not sys.stdin.isatty():
                raise UsageError(
                    "Effacement non confirmé : ajoutez --yes (la commande ne tourne pas dans "
                    "un terminal). Rien n'a été effacé."
                )
            print(f"Effacer {held.caller.display_name} (appelant n° {held.caller.id}) ?")
            print("Seront supprimés :")
            for line in held.lines():
                print(f"  - {line}")
            print("Cette opération est définitive.")
            typed = input(f"Pour confirmer, tapez le nom de famille ({held.caller.last_name}) : ")
            if not confirms_erasure(held.caller, typed):
                return fail("Le nom ne correspond pas : rien n'a été effacé.", 1)
        report = erase_person(workspace, args.caller_id)
    finally:
        workspace.close()
    print(f"Appelant n° {report.caller_id} effacé.")
    print(
        f"Supprimés : {report.phones} numéro(s), {report.calls} appel(s), "
        f"{report.messages} message(s), {report.followups} rappel(s), "
        f"{report.waitlist} inscription(s) en liste d'attente, "
        f"{report.future_appointments} rendez-vous à venir."
    )
    print(f"Rendez-vous passés gardés sous « Personne effacée » : {report.past_appointments}.")
    if report.calendar_items:
        print(
            f"Attention : {report.calendar_items} rendez-vous avaient été envoyés dans un agenda "
            "CalDAV ; supprimez-les aussi dans cet agenda."
        )
    return 0
