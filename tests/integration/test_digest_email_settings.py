"""The digest e-mail with the practice's stored settings: CLI and dialog, real SMTP."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from permanence.core.demo import create_demo_workspace
from permanence.core.errors import ValidationError
from permanence.core.messages import MessageDraft
from permanence.core.messages.smtp import SmtpSettings, load_smtp_settings, save_smtp_settings
from permanence.core.workspace import Workspace

pytest.importorskip("aiosmtpd")
from smtp_server import smtp_server

pytestmark = pytest.mark.integration


def workspace_with_a_message(folder: Path) -> tuple[Workspace, int]:
    ws = create_demo_workspace(folder, today=date.today())
    martin = next(
        p for pr in ws.practices.list() for p in pr.practitioners if p.last_name == "Martin"
    )
    ws.messages.save(
        MessageDraft(
            practice_id=martin.practice_id,
            practitioner_id=martin.id,
            caller_civility="Madame",
            caller_first_name="Marie",
            caller_last_name="Dupont",
            callback_number="06 12 34 56 78",
            reason="Résultats de prise de sang",
        ),
        confirmed=True,
        readback_text="Je récapitule…",
        by="Sophie",
        now=datetime.now(UTC),
    )
    return ws, martin.id


def test_settings_are_validated_and_kept_without_password(tmp_path: Path) -> None:
    ws, martin_id = workspace_with_a_message(tmp_path / "ws")
    practice_id = ws.practices.practitioner(martin_id).practice_id
    with pytest.raises(ValidationError, match="destinataire"):
        save_smtp_settings(ws, practice_id, SmtpSettings(host="smtp.x.fr", sender="a@b.fr"))
    good = SmtpSettings(
        host="127.0.0.1",
        port=2525,
        sender="secretariat@exemple.fr",
        recipients=("dr.martin@exemple.fr",),
        starttls=False,
        username="sophie",
    )
    save_smtp_settings(ws, practice_id, good)
    assert load_smtp_settings(ws, practice_id) == good
    assert "password" not in ws.setting(f"smtp.practice.{practice_id}")
    ws.close()


def test_cli_digest_email_uses_the_practice_settings(tmp_path: Path) -> None:
    ws, martin_id = workspace_with_a_message(tmp_path / "ws")
    practice_id = ws.practices.practitioner(martin_id).practice_id
    pdf = tmp_path / "jour.pdf"
    with smtp_server() as (port, inbox):
        save_smtp_settings(
            ws,
            practice_id,
            SmtpSettings(
                host="127.0.0.1",
                port=port,
                sender="secretariat@exemple.fr",
                recipients=("dr.martin@exemple.fr",),
                starttls=False,
            ),
        )
        ws.close()
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "permanence",
                "--workspace",
                str(tmp_path / "ws"),
                "digest",
                "--practitioner",
                "martin",
                "--pdf",
                str(pdf),
                "--email",
                "--privacy",
                "summary",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            env=dict(os.environ),
        )
        assert result.returncode == 0, result.stderr
        [(recipients, mail)] = inbox.messages
    assert recipients == ["dr.martin@exemple.fr"]
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert "1 message" in text and "Dupont" not in text and "prise de sang" not in text
    assert not list(mail.iter_attachments())


def test_cli_without_settings_says_so(tmp_path: Path) -> None:
    ws, _ = workspace_with_a_message(tmp_path / "ws")
    ws.close()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "permanence",
            "--workspace",
            str(tmp_path / "ws"),
            "digest",
            "--practitioner",
            "martin",
            "--pdf",
            str(tmp_path / "x.pdf"),
            "--email",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )
    assert result.returncode == 2 and "Aucun réglage e-mail" in result.stderr
    assert "Traceback" not in result.stderr


def test_dialog_sends_in_the_background(qtbot: QtBot, tmp_path: Path) -> None:
    from permanence.ui.messages.email_dialog import EmailDigestDialog

    ws, martin_id = workspace_with_a_message(tmp_path / "ws")
    martin = ws.practices.practitioner(martin_id)
    with smtp_server() as (port, inbox):
        dialog = EmailDigestDialog(ws, martin, date.today())
        qtbot.addWidget(dialog)
        dialog.host.setText("127.0.0.1")
        dialog.port.setValue(port)
        dialog.starttls.setChecked(False)
        dialog.sender_edit.setText("secretariat@exemple.fr")
        dialog.recipients.setText("pas-une-adresse")
        assert not dialog.send()
        assert "adresse e-mail" in dialog.status.text()
        dialog.recipients.setText("dr.martin@exemple.fr")
        dialog.privacy.setCurrentIndex(dialog.privacy.findData("full"))
        assert dialog.send()
        qtbot.waitUntil(lambda: "envoyé" in dialog.status.text(), timeout=20_000)
        [(_, mail)] = inbox.messages
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None and "Dupont".upper() in body.get_content().upper()
    ws.close()
