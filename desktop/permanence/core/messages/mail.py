"""E-mail of the digest through the practice's SMTP server (smtplib), with a privacy choice:
"full" sends the messages (and the PDF), "summary" only "N messages, dont X urgents"."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path

from permanence.core.errors import PermanenceError
from permanence.core.messages.digest import Digest, DigestPrivacy


class MailError(PermanenceError):
    """The digest could not be sent; the message says why, in French."""


def subject(digest: Digest) -> str:
    return f"Messages du jour — {digest.practitioner_name} ({digest.period})"


def compose(
    digest: Digest,
    *,
    sender: str,
    recipients: list[str],
    privacy: DigestPrivacy,
    pdf: Path | None = None,
) -> EmailMessage:
    """The e-mail; with "summary" no medical content and never the PDF (it holds the texts)."""
    mail = EmailMessage()
    mail["Subject"] = subject(digest)
    mail["From"] = sender
    mail["To"] = ", ".join(recipients)
    mail.set_content(_body(digest, privacy))
    if privacy == "full" and pdf is not None:
        try:
            data = pdf.read_bytes()
        except OSError as error:
            raise MailError(f"Impossible de lire le PDF « {pdf} » : {error.strerror}.") from None
        mail.add_attachment(data, maintype="application", subtype="pdf", filename=pdf.name)
    return mail


def send_digest_email(
    digest: Digest,
    *,
    host: str,
    port: int,
    sender: str,
    recipients: list[str],
    privacy: DigestPrivacy,
    starttls: bool = False,
    username: str | None = None,
    password: str | None = None,
    pdf: Path | None = None,
    timeout: float = 30.0,
) -> None:
    if not recipients:
        raise MailError("Aucun destinataire : indiquez l'adresse du praticien.")
    mail = compose(digest, sender=sender, recipients=recipients, privacy=privacy, pdf=pdf)
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as client:
            if starttls:
                client.starttls(context=ssl.create_default_context())
            if username:
                client.login(username, password or "")
            client.send_message(mail)
    except smtplib.SMTPAuthenticationError:
        raise MailError("Le serveur d'envoi a refusé l'identifiant ou le mot de passe.") from None
    except (smtplib.SMTPException, OSError) as error:
        raise MailError(
            f"Envoi impossible par {host}:{port} : {error}. Le récapitulatif n'a pas été envoyé."
        ) from None


def _body(digest: Digest, privacy: DigestPrivacy) -> str:
    lines = ["Bonjour,", "", f"{digest.counts} pour {digest.practitioner_name}, {digest.period}."]
    if privacy == "summary":
        lines += ["", "Le détail est à consulter dans Permanence."]
        return "\n".join(lines) + "\n"
    for entry in digest.entries:
        head = f"{'URGENT — ' if entry.urgent else ''}{entry.time_label} — {entry.caller}"
        lines += ["", head]
        if entry.number:
            lines.append(f"Rappel : {entry.number}, {entry.callback}")
        lines.append(entry.text)
        if entry.note:
            lines.append(f"Note : {entry.note}")
    return "\n".join(lines) + "\n"
