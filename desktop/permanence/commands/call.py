"""`permanence call --from NUMBER --to NUMBER`: the softphone's "run on incoming call".

Hands the call to the running Permanence (which comes to the front with the practice
chosen by the dialed number and the caller recognised); starts Permanence when none runs.
"""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "call",
        help="signaler un appel entrant à Permanence (fiche d'appel ouverte)",
        description="Ouvre la fiche d'appel dans Permanence, au nom du cabinet appelé. "
        "À configurer dans le softphone comme commande « à l'appel entrant ».",
    )
    parser.add_argument(
        "--from", dest="from_number", default="", metavar="NUMÉRO", help="numéro de l'appelant"
    )
    parser.add_argument(
        "--to",
        dest="to_number",
        default="",
        metavar="NUMÉRO",
        help="numéro composé par l'appelant (celui du cabinet)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from permanence.ui.single_instance import send_to_running

    message = {"action": "call", "from": args.from_number, "to": args.to_number}
    if send_to_running(message):  # blocking QLocalSocket calls need no QApplication
        return 0
    from permanence.ui.app import run_gui

    return run_gui(args, incoming=message)
