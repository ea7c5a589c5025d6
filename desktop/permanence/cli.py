"""Command line: `permanence` starts the GUI; subcommands script the core.

Subcommand modules are imported only when used, so the GUI starts without them.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

import permanence

#: subcommand → module exposing `register(subparsers)`; the module sets `func=run`.
COMMANDS: dict[str, str] = {
    "triage": "permanence.commands.triage",
    "import-ics": "permanence.commands.import_ics",
    "call": "permanence.commands.call",
    "report": "permanence.commands.report",
    "digest": "permanence.commands.digest",
    "export-callbacks": "permanence.commands.export_callbacks",
    "purge": "permanence.commands.purge",
    "person": "permanence.commands.person",
    "backup": "permanence.commands.backup",
    "restore": "permanence.commands.backup",
    "encrypt": "permanence.commands.encrypt",
}


def _global_parser(add_help: bool) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="permanence",
        description="Permanence téléphonique : accueil, consignes, urgences, agenda, messages.",
        add_help=False,
    )
    parser._positionals.title = "commandes"
    parser._optionals.title = "options"
    if add_help:
        parser.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")
    parser.add_argument(
        "--version",
        action="version",
        version=f"Permanence {permanence.__version__}",
        help="afficher la version et quitter",
    )
    parser.add_argument(
        "--workspace",
        type=Path,
        metavar="DOSSIER",
        help="dossier de l'espace de travail (sinon PERMANENCE_DB_URL, "
        "sinon le dossier de données de l'utilisateur)",
    )
    parser.add_argument(
        "--user",
        metavar="IDENTIFIANT",
        help="compte pour ouvrir un espace chiffré (sinon PERMANENCE_USER, sinon demandé) ; "
        "le mot de passe est demandé, ou lu dans PERMANENCE_PASSWORD",
    )
    parser.add_argument(
        "--demo", action="store_true", help="ouvrir une copie neuve de l'espace de démonstration"
    )
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="FICHIER.png",
        help="enregistrer une capture de la fenêtre dès qu'elle est affichée, puis quitter",
    )
    parser.add_argument("--exit-when-ready", action="store_true", help=argparse.SUPPRESS)
    return parser


def build_parser(commands: list[str] | None = None) -> argparse.ArgumentParser:
    parser = _global_parser(add_help=True)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMANDE")
    for name in commands if commands is not None else list(COMMANDS):
        importlib.import_module(COMMANDS[name]).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args_in = sys.argv[1:] if argv is None else argv
    known, rest = _global_parser(add_help=False).parse_known_args(args_in)
    if not rest:
        from permanence.ui.app import run_gui

        return run_gui(known)
    command = rest[0]
    parser = build_parser([command] if command in COMMANDS else None)
    args = parser.parse_args(args_in)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        return int(func(args))
    except BrokenPipeError:
        # "permanence triage … | head": the reader left; stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
