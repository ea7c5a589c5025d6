"""`permanence import-ics`: one JSON object or a French summary, exit 0 / 2, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from ics_helpers import FIXTURES, PARIS, YEAR_2027, utc

from permanence.commands import import_ics
from permanence.core.calendars import CalendarImportError

Cli = Callable[..., tuple[int, str, str]]
IN_2027 = ("--from", "2027-01-01", "--to", "2027-12-31")


def fixture(name: str) -> str:
    return str(FIXTURES / name)


def test_dry_run_json_is_one_object_with_the_counts(run_cli: Cli) -> None:
    code, out, err = run_cli(fixture("salvage.ics"), "--dry-run", "--json", *IN_2027)
    assert (code, err) == (0, "")
    assert out.count("\n") == 1
    payload = json.loads(out)
    assert payload["events"] == 5
    assert payload["occurrences"] == 5
    assert {"uid": "sans-debut", "component": "VEVENT"}.items() <= payload["skipped"][3].items()
    assert all(set(item) == {"uid", "component", "reason"} for item in payload["skipped"])
    assert {"tzid": "Europe/Paris", "zone": "Europe/Paris", "how": "iana"} in payload["zones"]
    assert payload["window"] == {
        "from": "2026-12-31T23:00:00+00:00",
        "to": "2027-12-31T23:00:00+00:00",
    }
    assert "busy" not in payload


def test_list_adds_the_busy_intervals(run_cli: Cli) -> None:
    code, out, _ = run_cli(fixture("floating.ics"), "--dry-run", "--json", "--list", *IN_2027)
    assert code == 0
    busy = json.loads(out)["busy"]
    assert busy[0] == {
        "uid": "flottant-hiver",
        "start": "2027-01-12T08:00:00+00:00",
        "end": "2027-01-12T09:00:00+00:00",
        "summary": "Flottant hiver",
        "recurrence_id": None,
    }


def test_the_practitioner_zone_option(run_cli: Cli) -> None:
    code, out, _ = run_cli(
        fixture("floating.ics"),
        "--dry-run",
        "--json",
        "--list",
        "--tz",
        "America/New_York",
        *IN_2027,
    )
    assert code == 0
    assert json.loads(out)["busy"][0]["start"] == "2027-01-12T14:00:00+00:00"


def test_without_json_a_french_summary(run_cli: Cli) -> None:
    code, out, err = run_cli(fixture("windows_zones.ics"), "--dry-run", *IN_2027)
    assert (code, err) == (0, "")
    assert "Événements acceptés : 6" in out
    assert "Créneaux occupés dans la fenêtre : 6" in out
    assert "Romance Standard Time → Europe/Paris (nom Windows (CLDR))" in out


def test_nothing_usable_exits_2_with_one_french_line(run_cli: Cli) -> None:
    code, out, err = run_cli(fixture("nothing_usable.ics"), "--dry-run", "--json")
    assert (code, out) == (2, "")
    assert err.startswith("Aucun événement exploitable") and err.count("\n") == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("/nulle/part.ics", "--dry-run"), "fichier introuvable"),
        ((".", "--dry-run"), "c'est un dossier"),
        (("{salvage}", "--dry-run", "--from", "demain"), "Date illisible pour --from"),
        (("{salvage}", "--dry-run", "--tz", "Mars/Olympus"), "Fuseau horaire inconnu"),
        (("{salvage}", "--dry-run", "--from", "2027-02-01", "--to", "2027-01-01"), "vide"),
        (("{salvage}",), "--practitioner NOM"),
        (("{salvage}", "--practitioner", "Dr Martin"), "Praticien inconnu"),
    ],
    ids=[
        "missing",
        "directory",
        "bad-date",
        "bad-zone",
        "empty-window",
        "no-dry-run",
        "unknown-practitioner",
    ],
)
def test_bad_usage_exits_2_with_one_french_line(
    run_cli: Cli, arguments: tuple[str, ...], message: str
) -> None:
    arguments = tuple(a.replace("{salvage}", fixture("salvage.ics")) for a in arguments)
    code, out, err = run_cli(*arguments)
    assert (code, out) == (2, "")
    assert message in err and err.count("\n") == 1


def test_an_unexpected_error_is_one_line_not_a_traceback(
    run_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("panne")

    monkeypatch.setattr(import_ics, "import_calendar", broken)
    code, out, err = run_cli(fixture("salvage.ics"), "--dry-run", "--json")
    assert (code, out) == (2, "")
    assert err == "Erreur inattendue pendant l'import : RuntimeError : panne\n"


def test_to_includes_the_whole_day(run_cli: Cli) -> None:
    code, out, _ = run_cli(
        fixture("recurrences.ics"),
        "--dry-run",
        "--json",
        "--from",
        "2027-03-29",
        "--to",
        "2027-03-29",
    )
    assert code == 0
    assert json.loads(out)["occurrences"] == 1


def test_import_file_is_the_door_for_the_workspace_path(tmp_path: Path) -> None:
    result = import_ics.import_file(FIXTURES / "recurrences.ics", PARIS, YEAR_2027)
    assert result.events == 8 and result.busy[0].start == utc(2027, 3, 2, 9)
    with pytest.raises(CalendarImportError, match="fichier introuvable"):
        import_ics.import_file(tmp_path / "absent.ics", PARIS, YEAR_2027)


def _process(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )


def test_the_real_command_line() -> None:
    done = _process(
        "-m",
        "permanence",
        "import-ics",
        fixture("google_x_wr_timezone.ics"),
        "--dry-run",
        "--json",
        *IN_2027,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    payload = json.loads(done.stdout)
    assert (payload["events"], payload["occurrences"]) == (4, 7)
    refused = _process(
        "-m", "permanence.commands.import_ics", fixture("nothing_usable.ics"), "--dry-run", "--json"
    )
    assert refused.returncode == 2
    assert refused.stdout == ""
    assert refused.stderr.startswith("Aucun événement exploitable")
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
