"""`permanence triage` through the argparse parser built around `register`."""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from permanence.commands.triage import register
from permanence.core.resources import resource_path


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="permanence")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_readable_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["triage", "--practice", "dentiste", "joue gonflée depuis hier"], capsys)
    assert code == 0
    assert "Niveau : URGENT (urgent)" in out
    assert "« joue gonflée »" in out and "Rendez-vous suggéré" in out


def test_vital_readable_output_forbids_booking(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["triage", "-p", "generaliste", "il", "ne", "respire", "plus"], capsys)
    assert code == 0 and "VITAL" in out and "Numéro d'urgence : 15" in out
    assert "Rendez-vous : aucun" in out


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        ["triage", "--practice", "pediatre", "--age", "0,1", "--json", "il a 38,2"], capsys
    )
    data = json.loads(out)
    assert code == 0 and data["level"] == "urgent" and data["rule"] == "fievre_nourrisson"
    assert {
        "evidence",
        "disposition",
        "emergency_number",
        "max_delay_hours",
        "appointment_type",
        "matched",
        "notes",
    } <= set(data)


def test_unknown_kind_falls_back(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["triage", "-p", "garagiste", "--json", "mal dans la poitrine"], capsys)
    data = json.loads(out)
    assert code == 0 and data["level"] == "vital"
    assert any("type de cabinet inconnu" in n for n in data["notes"])


def test_jsonl_and_evaluate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = tmp_path / "cas.jsonl"
    lines = [
        {
            "id": "a",
            "practice": "generaliste",
            "text": "douleur thoracique",
            "age_years": None,
            "expected": "vital",
            "source": "x",
        },
        {
            "id": "b",
            "practice": "autre",
            "text": "devis 🙂",
            "age_years": None,
            "expected": "routine",
        },
        {
            "id": "c",
            "practice": "pediatre",
            "text": "il a 38,5",
            "age_years": 0.1,
            "expected": "soon",
        },
    ]
    cases.write_text(
        "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\n", encoding="utf-8"
    )
    code, out, err = run_cli(["triage", "--jsonl", str(cases), "--evaluate"], capsys)
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["id"] for r in rows] == ["a", "b", "c"]
    assert [r["level"] for r in rows] == ["vital", "routine", "urgent"]
    assert rows[0]["source"] == "x" and rows[0]["expected"] == "vital"
    assert "Exactitude : 2/3" in err and "Rappel vital" in err and "attendu \\ obtenu" in err


def test_jsonl_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        sys, "stdin", io.StringIO('{"id": 1, "practice": "psy", "text": "facture"}\n')
    )
    code, out, _ = run_cli(["triage", "--jsonl", "-"], capsys)
    assert code == 0 and json.loads(out)["id"] == "1"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["triage", "-p", "generaliste", "   "], "motif vide"),
        (["triage", "--jsonl", "/nulle/part.jsonl"], "fichier introuvable"),
        (["triage", "--evaluate", "texte"], "--evaluate"),
        (["triage", "--age", "vieux", "texte"], "âge"),
        (["triage", "--catalog", "/nulle/part", "texte"], "Catalogue de tri invalide"),
    ],
)
def test_errors_are_one_line_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(argv, capsys)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_bad_json_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = tmp_path / "cas.jsonl"
    cases.write_text(
        '{"id": "a", "practice": "psy", "text": "ok"}\n{pas du json\n', encoding="utf-8"
    )
    code, out, err = run_cli(["triage", "--jsonl", str(cases)], capsys)
    assert code == 2 and out == "" and "ligne 2 : JSON invalide" in err


def test_broken_catalog(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "triage"
    shutil.copytree(resource_path("triage"), folder)
    (folder / "psy.toml").write_text("[[rule]]\nid = 'x'\nlevel = 'bof'\n", encoding="utf-8")
    code, _, err = run_cli(["triage", "--catalog", str(folder), "texte"], capsys)
    assert code == 2 and "psy.toml" in err and "« x »" in err


def test_consignes_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    consignes = tmp_path / "urgences.txt"
    consignes.write_text("« rage de dent » → urgent : créneau de 11 h 45\n", encoding="utf-8")
    code, out, _ = run_cli(
        ["triage", "-p", "dentiste", "--consignes", str(consignes), "--json", "rage de dent"],
        capsys,
    )
    assert code == 0 and json.loads(out)["disposition"] == "créneau de 11 h 45"


def test_long_paste(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["triage", "--json", "é🙂 " * 4000 + "vomit du sang"], capsys)
    assert code == 0 and json.loads(out)["level"] == "vital"


def test_python_dash_m() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "permanence.commands.triage", "-p", "kine", "lumbago"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=60,
    )
    assert done.returncode == 0 and "sous 48 h" in done.stdout


def test_a_reader_that_leaves_early_gets_no_traceback(tmp_path: Path) -> None:
    # "permanence triage --jsonl big.jsonl | head -1": the pipe closes under the writer.
    lines = [
        json.dumps({"id": str(i), "practice": "generaliste", "text": "mal de gorge depuis hier"})
        for i in range(3000)
    ]
    source = tmp_path / "big.jsonl"
    source.write_text("\n".join(lines), encoding="utf-8")
    command = [sys.executable, "-m", "permanence", "triage", "--jsonl", str(source)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()
        error = process.stderr.read().decode()
        code = process.wait(timeout=120)
    assert json.loads(first)["id"] == "0"
    assert "Traceback" not in error
    assert code in (0, 141)
