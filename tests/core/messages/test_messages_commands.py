"""`permanence export-callbacks` through a parser like cli.py's, on a demo in tmp_path."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from permanence.commands import export_callbacks
from permanence.core.demo import create_demo_workspace
from permanence.core.messages import MessageDraft


def parser() -> argparse.ArgumentParser:
    built = argparse.ArgumentParser(prog="permanence")
    built.add_argument("--workspace", type=Path)
    built.add_argument("--demo", action="store_true")
    export_callbacks.register(built.add_subparsers(dest="command"))
    return built


def run(*argv: str) -> int:
    args = parser().parse_args(list(argv))
    return int(args.func(args))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "ws"
    with create_demo_workspace(target) as ws:
        martin = next(
            p
            for practice in ws.practices.list()
            for p in practice.practitioners
            if p.last_name == "Martin"
        )
        ws.messages.save(
            MessageDraft(
                practice_id=martin.practice_id,
                practitioner_id=martin.id,
                caller_civility="Madame",
                caller_first_name="Marie",
                caller_last_name="Dupont",
                callback_number="0612345678",
                reason="Résultats",
            ),
            confirmed=True,
            readback_text="…",
            by="Sophie",
            now=datetime.now(UTC) - timedelta(minutes=5),
        )
    return target


def test_export_callbacks(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "rappels.ics"
    code = run(
        "--workspace",
        str(folder),
        "export-callbacks",
        "--practitioner",
        "Dr MARTIN",
        "--ics",
        str(out),
    )
    assert code == 0, capsys.readouterr().err
    todos = Calendar.from_ical(out.read_bytes()).walk("VTODO")
    summaries = [str(todo["SUMMARY"]) for todo in todos]
    assert "Rappel M. D. — 06 12 34 56 78" in summaries  # the message saved above
    assert len({str(todo["UID"]) for todo in todos}) == len(todos)
    assert f"{len(todos)} rappel(s) à faire pour Dr Claire Martin" in capsys.readouterr().out
    code = run(
        "--workspace",
        str(folder),
        "export-callbacks",
        "--practitioner",
        "claire martin",
        "--ics",
        str(out),
        "--events",
        "--privacy",
        "full",
        "--from",
        "2999-01-01",
    )
    assert code == 0 and not Calendar.from_ical(out.read_bytes()).walk("VEVENT")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Zorro", "Praticien inconnu : « Zorro »."),
        ("Martine", "Suggestions : « Dr Claire Martin »"),
        ("rou", "Plusieurs praticiens correspondent à « rou » : « Dr Rémi Roux »"),
    ],
)
def test_unknown_or_ambiguous_practitioner(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, expected: str
) -> None:
    code = run(
        "--workspace",
        str(folder),
        "export-callbacks",
        "--practitioner",
        name,
        "--ics",
        str(tmp_path / "x.ics"),
    )
    err = capsys.readouterr().err
    assert code == 2 and expected in err and err.count("\n") == 1 and "Traceback" not in err


def test_bad_date_and_unwritable_file(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run(
            "--workspace",
            str(folder),
            "export-callbacks",
            "--practitioner",
            "martin",
            "--from",
            "23/11",
            "--ics",
            "x.ics",
        )
        == 2
    )
    assert "Date illisible : « 23/11 »" in capsys.readouterr().err
    assert (
        run(
            "--workspace",
            str(folder),
            "export-callbacks",
            "--practitioner",
            "martin",
            "--ics",
            "/nonexistent/x.ics",
        )
        == 2
    )
    assert "Impossible d'écrire « /nonexistent/x.ics »" in capsys.readouterr().err
