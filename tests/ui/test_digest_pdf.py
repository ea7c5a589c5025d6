"""The PDF digest: written offscreen, its text extracted with pypdf; and `permanence digest`."""

from __future__ import annotations

import argparse
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from permanence.commands import digest as digest_command
from permanence.core.demo import create_demo_workspace
from permanence.core.messages import MessageDraft, build_digest
from permanence.core.practices.values import PractitionerInfo
from permanence.core.workspace import Workspace
from permanence.ui.digest_pdf import write_digest_pdf


def pdf_text(path: Path) -> str:
    raw = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    # pypdf separates words with tabs and keeps the font's ligatures ("ﬁ")
    return " ".join(unicodedata.normalize("NFKC", raw).split())


def martin_of(ws: Workspace) -> PractitionerInfo:
    return next(
        p
        for practice in ws.practices.list()
        for p in practice.practitioners
        if p.last_name == "Martin"
    )


def take_messages(ws: Workspace, now: datetime) -> None:
    martin = martin_of(ws)
    base = MessageDraft(
        practice_id=martin.practice_id,
        practitioner_id=martin.id,
        caller_civility="Madame",
        caller_first_name="Marie",
        caller_last_name="Dupont",
        callback_number="06 12 34 56 78",
        reason="Résultats de prise de sang",
    )
    ws.messages.save(
        base, confirmed=True, readback_text="Je récapitule : bilan thyroïdien.", by="S", now=now
    )
    urgent = MessageDraft(
        practice_id=martin.practice_id,
        practitioner_id=martin.id,
        caller_civility="Monsieur",
        caller_first_name="Yannick",
        caller_last_name="Le Goff-Martin",
        callback_number="+44 20 7946 0958",
        reason="Fièvre chez le nourrisson",
        urgent=True,
    )
    ws.messages.save(
        urgent,
        confirmed=True,
        readback_text="Je récapitule : fièvre à 39.",
        by="S",
        now=now + timedelta(minutes=1),
    )


def test_pdf_holds_the_messages_urgent_first(
    qtbot: QtBot, demo_ws: Workspace, tmp_path: Path
) -> None:
    now = datetime.now(UTC) - timedelta(minutes=10)
    take_messages(demo_ws, now)
    digest = build_digest(demo_ws, martin_of(demo_ws).id, since=now)
    path = tmp_path / "recap.pdf"
    write_digest_pdf(digest, path)
    text = pdf_text(path)
    assert digest.title in text and "Dr Claire Martin" in text
    assert "2 messages, dont 1 urgent" in text
    assert "Je récapitule : bilan thyroïdien." in text
    assert "Monsieur Yannick LE GOFF-MARTIN" in text and "+44 20 7946 0958" in text
    assert text.index("URGENT") < text.index("fièvre à 39") < text.index("bilan thyroïdien")
    reader = PdfReader(path)
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)


def test_summary_pdf_has_no_medical_content(
    qtbot: QtBot, demo_ws: Workspace, tmp_path: Path
) -> None:
    now = datetime.now(UTC) - timedelta(minutes=10)
    take_messages(demo_ws, now)
    digest = build_digest(demo_ws, martin_of(demo_ws).id, since=now, privacy="summary")
    path = tmp_path / "recap.pdf"
    write_digest_pdf(digest, path)
    text = pdf_text(path)
    assert "2 messages, dont 1 urgent" in text
    assert "thyro" not in text and "DUPONT" not in text


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="permanence")
    parser.add_argument("--workspace", type=Path)
    parser.add_argument("--demo", action="store_true")
    digest_command.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(list(argv))
    return int(args.func(args))


def test_digest_command(qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "ws"
    now = datetime.now(UTC) - timedelta(minutes=10)
    with create_demo_workspace(folder) as ws:
        take_messages(ws, now)
        day = now.astimezone(ZoneInfo("Europe/Paris")).date().isoformat()
    out = tmp_path / "recap.pdf"
    code = run(
        "--workspace",
        str(folder),
        "digest",
        "--practitioner",
        "martin",
        "--date",
        day,
        "--pdf",
        str(out),
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "2 messages, dont 1 urgent" in captured.out
    assert "bilan thyroïdien" in pdf_text(out)
    assert (
        run("--workspace", str(folder), "digest", "--practitioner", "Inconnu", "--pdf", str(out))
        == 2
    )
    assert capsys.readouterr().err.startswith("Praticien inconnu : « Inconnu ».")
    assert (
        run(
            "--workspace",
            str(folder),
            "digest",
            "--practitioner",
            "martin",
            "--date",
            "demain",
            "--pdf",
            str(out),
        )
        == 2
    )
    assert "Date illisible" in capsys.readouterr().err
