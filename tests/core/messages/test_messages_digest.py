from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from permanence.core.messages import MessageDraft, build_digest, counts_label
from permanence.core.messages.mail import compose, subject
from permanence.core.practices.values import PractitionerInfo
from permanence.core.workspace import Workspace

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_counts_in_french() -> None:
    assert counts_label(0, 0) == "Aucun message"
    assert counts_label(1, 0) == "1 message"
    assert counts_label(3, 1) == "3 messages, dont 1 urgent"
    assert counts_label(5, 2) == "5 messages, dont 2 urgents"


def test_digest_of_the_day(
    ws: Workspace, draft: MessageDraft, martin: PractitionerInfo, roux: PractitionerInfo
) -> None:
    ws.messages.save(draft, confirmed=True, readback_text="Je récapitule : A.", by="S", now=NOW)
    ws.messages.save(
        replace(draft, urgent=True, caller_last_name="N'Diaye"),
        confirmed=False,
        readback_text="",
        unconfirmed_reason="a raccroché",
        by="S",
        now=NOW + timedelta(hours=1),
    )
    ws.messages.save(
        replace(draft, practitioner_id=roux.id, copy_to_practitioner_id=martin.id, private=True),
        confirmed=True,
        readback_text="Secret médical",
        by="S",
        now=NOW + timedelta(hours=2),
    )
    digest = build_digest(ws, martin.id, day=TODAY, now=NOW + timedelta(hours=8))
    assert digest.title == "Messages du lundi 23 novembre 2026"
    assert digest.practitioner_name == "Dr Claire Martin"
    assert digest.counts == "3 messages, dont 1 urgent"
    urgent, confirmed, copy = digest.entries
    assert urgent.urgent and urgent.time_label == "11 h" and urgent.caller == "Madame Marie N'DIAYE"
    assert urgent.text.endswith("(Non confirmé par l'appelant : a raccroché.)")
    assert urgent.text.startswith("Résultats de prise de sang — Souhaite")
    assert confirmed.text == "Je récapitule : A." and confirmed.number == "06 12 34 56 78"
    assert confirmed.callback == "aujourd'hui"
    assert copy.is_copy and "Secret" not in copy.text
    summary = build_digest(ws, martin.id, day=TODAY, privacy="summary")
    assert summary.entries == () and summary.counts == "3 messages, dont 1 urgent"
    since = build_digest(ws, martin.id, since=NOW + timedelta(minutes=30))
    assert since.period == "depuis le lundi 23 novembre 2026 à 10 h 30"
    assert since.total == 2


def test_summary_mail_has_no_medical_content(
    ws: Workspace, draft: MessageDraft, martin: PractitionerInfo, tmp_path: Path
) -> None:
    ws.messages.save(draft, confirmed=True, readback_text="Bilan thyroïdien", by="S", now=NOW)
    pdf = tmp_path / "d.pdf"
    pdf.write_bytes(b"%PDF-1.4 fake")
    full = build_digest(ws, martin.id, day=TODAY)
    mail = compose(full, sender="a@b.fr", recipients=["c@d.fr"], privacy="full", pdf=pdf)
    assert (
        mail["Subject"]
        == subject(full)
        == ("Messages du jour — Dr Claire Martin (lundi 23 novembre 2026)")
    )
    assert "Bilan thyroïdien" in mail.get_body().get_content()  # type: ignore[union-attr]
    assert [p.get_filename() for p in mail.iter_attachments()] == ["d.pdf"]
    short = build_digest(ws, martin.id, day=TODAY, privacy="summary")
    mail = compose(short, sender="a@b.fr", recipients=["c@d.fr"], privacy="summary", pdf=pdf)
    text = mail.as_string()
    assert "1 message pour Dr Claire Martin" in mail.get_body().get_content()  # type: ignore[union-attr]
    assert "thyro" not in text and "DUPONT" not in text and not list(mail.iter_attachments())
