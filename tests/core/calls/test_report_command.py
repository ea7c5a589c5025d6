"""`permanence report calls`: through a parser like cli.py's, and as a real process."""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from calls_setup import add_practices

from permanence.commands import report
from permanence.core.workspace import Workspace

PARIS = ZoneInfo("Europe/Paris")


def parser() -> argparse.ArgumentParser:
    """The global options cli.py parses before the subcommand, then `register`."""
    built = argparse.ArgumentParser(prog="permanence")
    built.add_argument("--workspace", type=Path)
    built.add_argument("--demo", action="store_true")
    report.register(built.add_subparsers(dest="command"))
    return built


def run(*argv: str) -> int:
    args = parser().parse_args(list(argv))
    return int(args.func(args))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A workspace with a month of calls for two practices."""
    with Workspace.open(tmp_path / "ws") as ws:
        setup = add_practices(ws)
        start = datetime(2026, 11, 3, 9, 0, tzinfo=PARIS)
        plan = [
            (setup.martin, "rdv", "0611111111", 0, 150),
            (setup.martin, "rdv", "0611111111", 4, 60),  # a repeat: not billed
            (setup.martin, "message", "0622222222", 60, 95),
            (setup.martin, "demarchage", "0970000000", 90, 30),
            (setup.dentist, "rdv", "0633333333", 120, 125),
        ]
        for practice, outcome, number, minutes, seconds in plan:
            moment = start + timedelta(minutes=minutes)
            call = ws.calls.start(practice_id=practice, from_number=number, started_at=moment)
            ws.calls.close(call.id, outcome, ended_at=moment + timedelta(seconds=seconds))
    return tmp_path / "ws"


def test_the_month_per_practice(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--workspace", str(folder), "report", "calls", "--month", "2026-11") == 0
    out = capsys.readouterr().out
    assert out.startswith("Appels de novembre 2026")
    martin = out.split("Dentiste Bellecour")[0]
    assert "Rendez-vous" in martin and "Démarchage" in martin
    total = next(line for line in martin.splitlines() if line.startswith("Total"))
    assert total.split()[1] == "2" and "4 min 05 s" in total  # 150 + 95 s billed
    assert "démarchage (1), rappel du même numéro en moins de 10 min (1)" in martin
    assert "Tous cabinets : 3 appel(s) facturé(s)" in out
    lines = [line for line in martin.splitlines() if line.startswith(("Issue", "Rendez"))]
    assert len({len(line) for line in lines}) == 1  # columns aligned


def test_one_practice_by_part_of_its_name(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run(
            "--workspace",
            str(folder),
            "report",
            "calls",
            "--month",
            "2026-11",
            "--practice",
            "dentiste",
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Dentiste Bellecour" in out and "Cabinet Martin" not in out


def test_csv_for_excel(folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "novembre.csv"
    assert (
        run(
            "--workspace",
            str(folder),
            "report",
            "calls",
            "--month",
            "2026-11",
            "--csv",
            str(target),
        )
        == 0
    )
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == list(report.CSV_HEADERS)
    total = next(r for r in rows if r[1] == "Cabinet Martin" and r[2] == "Total")
    assert total[3:7] == ["2", "0:04:05", "2", "0:01:30"]
    assert any(r[2] == "Faux numéro" for r in rows)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--month", "2026-13"], "Mois illisible : « 2026-13 » (attendu : AAAA-MM"),
        (["--month", "novembre"], "Mois illisible"),
        (["--practice", "Cabinet Martine"], "Cabinet inconnu : « Cabinet Martine »."),
        (["--practice", "dentsite"], "Vouliez-vous dire « Dentiste Bellecour » ?"),
        (["--csv", "/nonexistent/dir/x.csv"], "Impossible d'écrire le fichier CSV"),
    ],
)
def test_bad_input_is_one_french_line(
    folder: Path, capsys: pytest.CaptureFixture[str], options: list[str], message: str
) -> None:
    assert run("--workspace", str(folder), "report", "calls", *options) == 2
    captured = capsys.readouterr()
    assert message in captured.err and len(captured.err.strip().splitlines()) == 1
    assert "Traceback" not in captured.err


def test_an_unusable_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    assert run("--workspace", str(blocker / "ws"), "report", "calls") == 2
    assert "Impossible de créer le dossier" in capsys.readouterr().err


def test_the_demo_as_a_real_process(tmp_path: Path) -> None:
    month = date.today().strftime("%Y-%m")
    target = tmp_path / "demo.csv"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "permanence.commands.report",
            "--demo",
            "calls",
            "--month",
            month,
            "--csv",
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ.copy(),
    )
    assert result.returncode == 0, result.stderr
    assert "Cabinet médical des Tilleuls" in result.stdout and "Total" in result.stdout
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")


def test_through_the_permanence_command() -> None:
    from permanence import cli

    if "report" not in cli.COMMANDS:
        pytest.skip("`report` n'est pas encore branché dans cli.py")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "permanence",
            "--demo",
            "report",
            "calls",
            "--month",
            date.today().strftime("%Y-%m"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Appels de" in result.stdout and "Tous cabinets" in result.stdout
