"""`permanence backup [--to FICHIER]` and `permanence restore FICHIER [--autre-espace]`.

A backup may be made while Permanence is open (it copies a consistent snapshot); a restore
needs the workspace closed, asks for a password valid when the backup was made, checks the
backup fully before replacing anything and keeps the replaced files beside the workspace.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from permanence.commands.common import UsageError, ask_credentials, guarded, open_workspace


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Both subcommands; each only once (the CLI may call this for either name)."""
    if "backup" not in subparsers.choices:
        parser = subparsers.add_parser(
            "backup",
            help="sauvegarder l'espace de travail dans un fichier (chiffré s'il l'est)",
            description="Écrit une sauvegarde complète de l'espace de travail, possible "
            "pendant que Permanence est ouvert. Sans --to, elle va dans le dossier des "
            "sauvegardes (« sauvegardes » dans l'espace de travail) ; une sauvegarde faite à "
            "la demande n'est jamais supprimée par la rotation des sauvegardes automatiques.",
        )
        parser.add_argument(
            "--to",
            type=Path,
            metavar="FICHIER",
            help="fichier à écrire (ou dossier où l'écrire sous un nom daté)",
        )
        parser.set_defaults(func=run_backup)
    if "restore" not in subparsers.choices:
        parser = subparsers.add_parser(
            "restore",
            help="remplacer l'espace de travail par une sauvegarde",
            description="Restaure une sauvegarde dans l'espace de travail (ou dans un dossier "
            "vide, sur un nouvel ordinateur). Le mot de passe est celui qui était valable "
            "quand la sauvegarde a été faite. Permanence doit être fermé. La sauvegarde est "
            "vérifiée avant tout remplacement ; les fichiers remplacés sont conservés dans "
            "« avant-restauration-… » dans l'espace de travail.",
        )
        parser.add_argument("file", type=Path, metavar="FICHIER", help="fichier de sauvegarde")
        parser.add_argument(
            "--autre-espace",
            dest="other_workspace",
            action="store_true",
            help="accepter une sauvegarde d'un autre espace de travail que celui à remplacer",
        )
        parser.set_defaults(func=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    return guarded(_backup, args, "la sauvegarde")


def run_restore(args: argparse.Namespace) -> int:
    return guarded(_restore, args, "la restauration")


def _backup(args: argparse.Namespace) -> int:
    from permanence.core.db.engine import DB_FILENAME
    from permanence.core.workspace import resolve_location

    if not getattr(args, "demo", False):
        folder = resolve_location(getattr(args, "workspace", None)).directory
        if folder is not None and not (folder / DB_FILENAME).exists():
            raise UsageError(f"Aucun espace de travail dans « {folder} » : rien à sauvegarder.")
    with open_workspace(args) as ws:
        info = ws.backups.create(args.to)
    print(f"Sauvegarde enregistrée : « {info.path} », {info.label}.")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from permanence.core.security.backup import read_backup, restore
    from permanence.core.workspace import resolve_location

    if getattr(args, "demo", False):
        raise UsageError("L'espace de démonstration ne se restaure pas : indiquez --workspace.")
    folder = resolve_location(getattr(args, "workspace", None)).directory
    if folder is None:
        raise UsageError(
            "Cet espace de travail est une base PostgreSQL : restaurez-la avec les outils "
            "du serveur (pg_restore)."
        )
    info = read_backup(args.file)
    username, password = "", ""
    if info.manifest.encrypted:
        username, password = ask_credentials(args, "Mot de passe (à la date de la sauvegarde)")
    result = restore(
        args.file, folder, username, password, allow_other_workspace=args.other_workspace
    )
    print(f"Espace de travail « {folder} » restauré depuis la {info.label}.")
    if result.previous is not None:
        print(f"Les fichiers remplacés sont conservés dans « {result.previous} ».")
    return 0
