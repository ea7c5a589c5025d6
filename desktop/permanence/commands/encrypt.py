"""`permanence encrypt --user NOM`: encrypt a workspace that is still in clear.

For a workspace created before encryption existed, or with `--workspace` on a fresh
folder. The password is asked twice on the terminal, or read from PERMANENCE_PASSWORD.
"""

from __future__ import annotations

import argparse
import os
import sys

from permanence.commands.common import UsageError, guarded


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "encrypt",
        help="chiffrer un espace de travail encore en clair et créer son administrateur",
        description="Chiffre (SQLCipher) l'espace de travail en clair et crée son premier "
        "compte, administrateur. Le mot de passe est demandé deux fois, ou lu dans "
        "PERMANENCE_PASSWORD. Le fichier en clair est ensuite supprimé.",
    )
    parser.add_argument("--nom", default="", help="nom affiché de l'administrateur")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return guarded(_run, args, "le chiffrement", interrupted="Chiffrement interrompu.")


def _run(args: argparse.Namespace) -> int:
    import getpass

    from permanence.core.security.encrypt import encrypt_workspace
    from permanence.core.workspace import resolve_location

    folder = resolve_location(getattr(args, "workspace", None)).directory
    if folder is None:
        raise UsageError("Seul un espace de travail dans un dossier (SQLite) peut être chiffré.")
    username = getattr(args, "user", None) or os.environ.get("PERMANENCE_USER", "")
    if not username:
        raise UsageError("Indiquez l'identifiant de l'administrateur avec --user.")
    password = os.environ.get("PERMANENCE_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise UsageError("Le mot de passe est lu dans PERMANENCE_PASSWORD hors d'un terminal.")
        password = getpass.getpass(f"Nouveau mot de passe de {username} : ")
        if getpass.getpass("Le même, à nouveau : ") != password:
            raise UsageError(
                "Les deux mots de passe ne sont pas identiques ; rien n'a été modifié."
            )
    counts = encrypt_workspace(folder, username, password, display_name=args.nom)
    rows = sum(counts.values())
    print(f"Espace de travail chiffré : {folder} ({rows} lignes, {len(counts)} tables).")
    print(f"Compte administrateur : {username}. Le fichier en clair a été supprimé.")
    print(
        "Sur un disque SSD, d'anciens blocs peuvent subsister : activez aussi le chiffrement "
        "du disque de l'ordinateur."
    )
    return 0
