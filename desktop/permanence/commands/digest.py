"""`permanence digest --practitioner NOM [--date AAAA-MM-JJ] --pdf FICHIER [--privacy …]`.

The practitioner's messages of a day as a printable PDF. Exit 0 on success, 2 with one
French line on stderr (unknown practitioner, bad date, unwritable file), never a traceback.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from permanence.commands.common import UsageError, fail, guarded, open_workspace

__all__ = ["UsageError", "fail", "guarded", "open_workspace", "parse_day", "practitioner_named"]
from permanence.core.messages import find_practitioner
from permanence.core.practices.values import PractitionerInfo
from permanence.core.security.audit import EXPORTED

if TYPE_CHECKING:
    from permanence.core.workspace import Workspace


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "digest",
        help="récapitulatif PDF des messages d'un praticien pour une journée",
        description="Récapitulatif imprimable (PDF) des messages d'un praticien pour une "
        "journée, urgents en tête, avec le texte confirmé par l'appelant.",
    )
    parser.add_argument(
        "--practitioner", required=True, metavar="NOM", help="praticien (« martin », « Dr Martin »)"
    )
    parser.add_argument("--date", metavar="AAAA-MM-JJ", help="journée (défaut : aujourd'hui)")
    parser.add_argument("--pdf", required=True, type=Path, metavar="FICHIER", help="PDF à écrire")
    parser.add_argument(
        "--email",
        action="store_true",
        help="envoyer aussi le récapitulatif par e-mail avec les réglages e-mail du cabinet "
        "(mot de passe éventuel lu dans la variable PERMANENCE_SMTP_PASSWORD)",
    )
    parser.add_argument(
        "--privacy",
        choices=("full", "summary"),
        default="full",
        help="full : texte des messages ; summary : seulement le nombre de messages et d'urgents",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """The subcommand; never raises, returns the exit code."""
    return guarded(_run, args, "le récapitulatif")


def _run(args: argparse.Namespace) -> int:
    from permanence.core.messages import build_digest

    day = parse_day(args.date) if args.date else date.today()
    workspace = open_workspace(args)
    try:
        practitioner = practitioner_named(workspace, args.practitioner)
        digest = build_digest(workspace, practitioner.id, day=day, privacy=args.privacy)
        workspace.audit.record(
            EXPORTED,
            "praticien",
            practitioner.id,
            f"Récapitulatif des messages du {day.isoformat()} (PDF, {args.privacy})",
        )
        settings = None
        stored_password: str | None = None
        if getattr(args, "email", False):
            from permanence.core.messages.smtp import load_smtp_settings

            settings = load_smtp_settings(workspace, practitioner.practice_id)
            if settings is None:
                raise UsageError(
                    "Aucun réglage e-mail pour ce cabinet : renseignez-les dans Permanence "
                    "(Messages des praticiens › Envoyer par e-mail)."
                )
            stored_password = workspace.secrets.get(f"smtp:{practitioner.practice_id}")
    finally:
        workspace.close()
    from permanence.ui.digest_pdf import write_digest_pdf

    try:
        write_digest_pdf(digest, args.pdf)
    except OSError as error:
        raise UsageError(f"Impossible d'écrire le PDF « {args.pdf} » : {error.strerror}.") from None
    print(f"{digest.title} — {digest.practitioner_name} : {digest.counts}.")
    print(f"PDF écrit : {args.pdf}")
    if settings is not None:
        import os

        from permanence.core.messages import send_digest_email

        send_digest_email(
            digest,
            host=settings.host,
            port=settings.port,
            sender=settings.sender,
            recipients=list(settings.recipients),
            privacy=args.privacy,
            starttls=settings.starttls,
            username=settings.username or None,
            password=os.environ.get("PERMANENCE_SMTP_PASSWORD") or stored_password,
            pdf=args.pdf,
        )
        print(f"E-mail envoyé à {', '.join(settings.recipients)}.")
    return 0


# -- shared with export-callbacks -------------------------------------------------------------
def practitioner_named(workspace: Workspace, wanted: str) -> PractitionerInfo:
    return find_practitioner(workspace.practices.list(), wanted)


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"Date illisible : « {text} » (attendu : AAAA-MM-JJ, par exemple 2026-11-24)."
        ) from None
