"""The demo workspace: complete, dated around today, validated, and never the user's data."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import func, select

from permanence.core.consignes import SECTIONS
from permanence.core.db.models import Absence, Appointment, Call, Caller, Message, WorkingPeriod
from permanence.core.demo import create_demo_workspace, read_demo
from permanence.core.errors import DataFileError
from permanence.core.paths import default_workspace_dir, demo_root
from permanence.core.resources import resource_path
from permanence.core.workspace import Workspace

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return create_demo_workspace(tmp_path_factory.mktemp("demo"), today=TODAY)


def count(ws: Workspace, query: object) -> int:
    with ws.sessions() as session:
        return int(session.scalar(query) or 0)  # type: ignore[call-overload]


def test_demo_has_the_practices_a_newcomer_expects(demo: Workspace) -> None:
    practices = demo.practices.list()
    kinds = [p.kind for p in practices]
    assert len(practices) >= 3
    assert "dentiste" in kinds and ({"kine", "psy"} & set(kinds))
    assert any(p.kind == "generaliste" and len(p.practitioners) >= 2 for p in practices)
    for practice in practices:
        assert practice.greeting and practice.numbers
        assert all(n.startswith("+33") for n in practice.numbers)


def test_every_practitioner_has_full_consignes(demo: Workspace) -> None:
    for practice in demo.practices.list():
        for doctor in practice.practitioners:
            consignes = demo.consignes.current(practice.id, doctor.id)
            empty = [s.section for s in consignes.sections if s.is_empty]
            assert empty == [], f"{doctor.display_name} : sections vides {empty}"
            assert len(consignes.sections) == len(SECTIONS)


def test_agenda_is_around_today(demo: Workspace) -> None:
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    past = count(
        demo, select(func.count()).select_from(Appointment).where(Appointment.starts_at < now)
    )
    future = count(
        demo, select(func.count()).select_from(Appointment).where(Appointment.starts_at >= now)
    )
    assert past > 50 and future > 50
    assert count(demo, select(func.count()).select_from(WorkingPeriod)) > 10
    assert count(demo, select(func.count()).select_from(Absence)) >= 1
    with demo.sessions() as session:
        first = session.scalar(select(func.min(Appointment.starts_at)))
        last = session.scalar(select(func.max(Appointment.starts_at)))
    assert first is not None and last is not None
    assert now - timedelta(days=30) < first < now < last < now + timedelta(days=40)


def test_appointments_never_overlap(demo: Workspace) -> None:
    with demo.sessions() as session:
        rows = session.execute(
            select(
                Appointment.practitioner_id, Appointment.starts_at, Appointment.ends_at
            ).order_by(Appointment.practitioner_id, Appointment.starts_at)
        ).all()
    for before, after in pairwise(rows):
        if before.practitioner_id == after.practitioner_id:
            assert before.ends_at <= after.starts_at


def test_callers_have_history(demo: Workspace) -> None:
    assert count(demo, select(func.count()).select_from(Caller)) > 30
    assert count(demo, select(func.count()).select_from(Call)) > 20
    assert count(demo, select(func.count()).select_from(Message)) > 5
    with demo.sessions() as session:
        caller_id = session.scalar(select(Call.caller_id).where(Call.caller_id.is_not(None)))
    assert caller_id is not None
    caller = demo.callers.get(caller_id)
    assert caller.phones and caller.practice_ids
    assert caller_id in [c.id for c in demo.callers.find_by_number(caller.phones[0])]


def test_demo_is_not_the_user_workspace(demo: Workspace) -> None:
    assert demo.location.is_demo
    assert not default_workspace_dir().exists()


def test_default_demo_goes_to_a_fresh_cache_folder() -> None:
    first = create_demo_workspace(today=TODAY)
    second = create_demo_workspace(today=TODAY)
    try:
        assert first.location.directory != second.location.directory
        assert first.location.directory is not None
        assert first.location.directory.parent == demo_root()
    finally:
        first.close()
        second.close()


def broken_copy(tmp_path: Path) -> Path:
    target = tmp_path / "demo-data"
    shutil.copytree(resource_path("demo"), target)
    return target


def test_demo_file_mistake_names_file_and_entry(tmp_path: Path) -> None:
    source = broken_copy(tmp_path)
    practice_file = sorted(source.glob("cabinet-*.toml"))[0]
    text = practice_file.read_text(encoding="utf-8")
    practice_file.write_text(text.replace("duration = ", "duration = -", 1), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        read_demo(source)
    assert caught.value.file == practice_file.name
    assert "durée" in caught.value.problem and "appointment_types" in caught.value.entry


def test_demo_syntax_error_names_the_file(tmp_path: Path) -> None:
    source = broken_copy(tmp_path)
    (source / "workspace.toml").write_text("[workspace\nname = ", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"workspace\.toml — syntaxe TOML"):
        read_demo(source)


def test_bad_demo_creates_nothing(tmp_path: Path) -> None:
    source = broken_copy(tmp_path)
    (source / "workspace.toml").write_text("[workspace]\nname = 'x'\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"secretary|practices"):
        create_demo_workspace(source=source, today=TODAY)
    assert not demo_root().exists() or list(demo_root().iterdir()) == []
