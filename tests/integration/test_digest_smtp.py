"""The digest e-mail through a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from permanence.core.demo import create_demo_workspace
from permanence.core.messages import (
    Digest,
    MailError,
    MessageDraft,
    build_digest,
    send_digest_email,
)

pytest.importorskip("aiosmtpd")
from aiosmtpd.controller import Controller

pytestmark = pytest.mark.integration

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@dataclass
class Inbox:
    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        mail = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(mail, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), mail))
        return "250 OK"


@dataclass
class Server:
    port: int
    inbox: Inbox


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[Server]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield Server(controller.port, inbox)
    finally:
        controller.stop()


@pytest.fixture
def digests(tmp_path: Path) -> tuple[Digest, Digest]:
    with create_demo_workspace(tmp_path / "ws", today=TODAY) as ws:
        martin = next(
            p for pr in ws.practices.list() for p in pr.practitioners if p.last_name == "Martin"
        )
        draft = MessageDraft(
            practice_id=martin.practice_id,
            practitioner_id=martin.id,
            caller_civility="Madame",
            caller_first_name="Marie",
            caller_last_name="Dupont",
            callback_number="06 12 34 56 78",
            reason="Résultats de prise de sang",
            urgent=True,
        )
        ws.messages.save(
            draft,
            confirmed=True,
            readback_text="Je récapitule : bilan thyroïdien.",
            by="S",
            now=NOW,
        )
        full = build_digest(ws, martin.id, day=TODAY)
        summary = build_digest(ws, martin.id, day=TODAY, privacy="summary")
    return full, summary


def test_full_digest_with_pdf(smtp: Server, digests: tuple[Digest, Digest], tmp_path: Path) -> None:
    pdf = tmp_path / "recap.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%fake\n")
    send_digest_email(
        digests[0],
        host="127.0.0.1",
        port=smtp.port,
        sender="permanence@example.org",
        recipients=["dr.martin@example.org"],
        privacy="full",
        pdf=pdf,
    )
    [(rcpt, mail)] = smtp.inbox.messages
    assert rcpt == ["dr.martin@example.org"]
    assert mail["Subject"] == "Messages du jour — Dr Claire Martin (lundi 23 novembre 2026)"
    body = mail.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "1 message, dont 1 urgent pour Dr Claire Martin" in text
    assert "URGENT — 10 h — Madame Marie DUPONT" in text
    assert "Je récapitule : bilan thyroïdien." in text
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename() == "recap.pdf"
    assert attachment.get_content() == b"%PDF-1.4\n%fake\n"


def test_summary_digest_has_no_medical_content(
    smtp: Server, digests: tuple[Digest, Digest], tmp_path: Path
) -> None:
    pdf = tmp_path / "recap.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    send_digest_email(
        digests[1],
        host="127.0.0.1",
        port=smtp.port,
        sender="permanence@example.org",
        recipients=["dr.martin@example.org", "secretariat@example.org"],
        privacy="summary",
        pdf=pdf,
    )
    [(rcpt, mail)] = smtp.inbox.messages
    assert len(rcpt) == 2
    body = mail.get_body(("plain",))
    assert body is not None
    text = str(mail["Subject"]) + "\n" + body.get_content()
    assert "1 message, dont 1 urgent pour Dr Claire Martin, lundi 23 novembre 2026." in text
    for secret in ("thyro", "DUPONT", "Dupont", "prise de sang", "06 12"):
        assert secret not in text and secret not in mail.as_string()
    assert not list(mail.iter_attachments())


def test_unreachable_server_says_so_in_french(digests: tuple[Digest, Digest]) -> None:
    with pytest.raises(MailError, match=r"Envoi impossible par 127\.0\.0\.1:"):
        send_digest_email(
            digests[1],
            host="127.0.0.1",
            port=free_port(),
            sender="a@example.org",
            recipients=["b@example.org"],
            privacy="summary",
            timeout=5,
        )
    with pytest.raises(MailError, match="Aucun destinataire"):
        send_digest_email(
            digests[1],
            host="127.0.0.1",
            port=1,
            sender="a@example.org",
            recipients=[],
            privacy="summary",
        )
