"""Calendar sources on a real SQLite workspace: busy time in the agenda, cache, failures."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from permanence.core.agenda.request import propose_for_request
from permanence.core.demo import create_demo_workspace
from permanence.core.errors import ValidationError
from permanence.core.messages.lookup import find_practitioner
from permanence.core.workspace import Workspace

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
FIXTURE = Path(__file__).parents[2] / "fixtures" / "ics" / "practitioner_busy.ics"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Workspace]:
    ws = create_demo_workspace(tmp_path / "demo", today=TODAY)
    yield ws
    ws.close()


@pytest.fixture
def ics(tmp_path: Path) -> Path:
    path = tmp_path / "agenda.ics"
    shutil.copyfile(FIXTURE, path)
    return path


def martin(ws: Workspace) -> int:
    return find_practitioner(ws.practices.list(), "martin").id


def overlaps(start: datetime, end: datetime, busy: tuple[tuple[datetime, datetime], ...]) -> bool:
    return any(start < b_end and b_start < end for b_start, b_end in busy)


def test_file_sync_fills_busy_time_and_proposals_avoid_it(demo: Workspace, ics: Path) -> None:
    doctor = martin(demo)
    kind = next(t for t in demo.bookings.appointment_types(doctor) if not t.urgent_only)
    until = NOW + timedelta(days=28)
    before = propose_for_request(
        demo.bookings.agenda(doctor, since=NOW, until=until), kind.model, now=NOW
    )
    source = demo.calendars.add_file_source(doctor, ics)
    report = demo.calendars.sync(source.id, now=NOW)
    assert report.ok and report.events == 3 and report.busy == 4
    assert "3 événement(s) lu(s)" in report.message
    agenda = demo.bookings.agenda(doctor, since=NOW, until=until)
    assert len(agenda.busy) == 4
    assert any(overlaps(p.start, p.end, agenda.busy) for p in before)  # the test means something
    after = propose_for_request(agenda, kind.model, now=NOW)
    assert after and not any(overlaps(p.start, p.end, agenda.busy) for p in after)
    listed = demo.calendars.list(doctor)
    assert [s.id for s in listed] == [source.id] and listed[0].last_status == "ok"


def test_unchanged_file_is_not_parsed_again(demo: Workspace, ics: Path) -> None:
    source = demo.calendars.add_file_source(martin(demo), ics)
    first = demo.calendars.sync(source.id, now=NOW)
    second = demo.calendars.sync(source.id, now=NOW)
    assert first.stats is not None and first.stats.parsed_groups == 3
    assert second.stats is not None and second.stats.parsed_groups == 0
    assert second.stats.parsed_components == 0 and second.busy == first.busy
    assert "repris du cache" in second.message


def test_a_changed_event_alone_is_parsed_again(demo: Workspace, ics: Path) -> None:
    source = demo.calendars.add_file_source(martin(demo), ics)
    demo.calendars.sync(source.id, now=NOW)
    ics.write_bytes(ics.read_bytes().replace(b"T090000\r\nDTEND", b"T100000\r\nDTEND"))
    report = demo.calendars.sync(source.id, now=NOW)
    assert report.stats is not None and report.stats.parsed_groups == 1
    assert report.stats.reused_groups == 2


def test_broken_file_keeps_the_previous_busy_time(demo: Workspace, ics: Path) -> None:
    doctor = martin(demo)
    source = demo.calendars.add_file_source(doctor, ics)
    demo.calendars.sync(source.id, now=NOW)
    ics.write_text("Ceci n'est pas un agenda.\n", encoding="utf-8")
    report = demo.calendars.sync(source.id, now=NOW)
    assert not report.ok and "ancien temps occupé est conservé" in report.message
    agenda = demo.bookings.agenda(doctor, since=NOW, until=NOW + timedelta(days=28))
    assert len(agenda.busy) == 4
    stored = demo.calendars.get(source.id)
    assert stored.last_status == "erreur" and stored.last_message == report.message
    ics.unlink()
    missing = demo.calendars.sync(source.id, now=NOW)
    assert not missing.ok and "introuvable" in missing.message


def test_same_file_is_reused_and_removal_frees_the_time(demo: Workspace, ics: Path) -> None:
    doctor = martin(demo)
    source = demo.calendars.add_file_source(doctor, ics)
    assert demo.calendars.add_file_source(doctor, str(ics)).id == source.id
    demo.calendars.sync(source.id, now=NOW)
    demo.calendars.remove(source.id)
    assert demo.calendars.list(doctor) == []
    agenda = demo.bookings.agenda(doctor, since=NOW, until=NOW + timedelta(days=28))
    assert agenda.busy == ()


@pytest.mark.parametrize("url", ["ftp://exemple.fr/a.ics", "file:///etc/passwd", "exemple.fr"])
def test_url_source_needs_http(demo: Workspace, url: str) -> None:
    with pytest.raises(ValidationError, match="https://"):
        demo.calendars.add_url_source(martin(demo), url)


def test_webcal_is_https(demo: Workspace) -> None:
    source = demo.calendars.add_url_source(martin(demo), "webcal://exemple.fr/agenda.ics")
    assert source.location == "https://exemple.fr/agenda.ics" and source.kind == "ics_url"


def test_cli_imports_into_the_practitioner_agenda(
    tmp_path: Path, ics: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    from permanence.commands import import_ics

    create_demo_workspace(tmp_path / "ws", today=TODAY).close()
    parser = argparse.ArgumentParser(prog="permanence")
    parser.add_argument("--workspace", type=Path)
    parser.add_argument("--demo", action="store_true")
    import_ics.register(parser.add_subparsers(dest="command"))

    def run(*argv: str) -> tuple[int, str, str]:
        args = parser.parse_args(["--workspace", str(tmp_path / "ws"), *argv])
        code = args.func(args)
        out, err = capsys.readouterr()
        return code, out, err

    code, out, err = run("import-ics", str(ics), "--practitioner", "martin")
    assert code == 0 and err == "" and "Agenda de Dr" in out and "3 événement(s)" in out
    code, out, _ = run("import-ics", str(ics), "--practitioner", "MARTIN")
    assert code == 0 and "repris du cache" in out
    with Workspace.open(tmp_path / "ws") as ws:
        assert len(ws.calendars.list(martin(ws))) == 1
    code, out, err = run("import-ics", str(ics), "--practitioner", "personne")
    assert code == 2 and out == "" and err.startswith("Praticien inconnu") and err.count("\n") == 1
    code, _, err = run("import-ics", str(tmp_path / "absent.ics"), "--practitioner", "martin")
    assert code == 2 and "introuvable" in err and "Traceback" not in err
