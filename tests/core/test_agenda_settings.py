"""Editing the agenda settings on a real demo database: checks first, one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from permanence.core.agenda import Agenda, AgendaError, availability, propose_for_request
from permanence.core.agenda.settings import (
    AbsenceValue,
    AppointmentTypeValue,
    DayExceptionValue,
)
from permanence.core.demo import create_demo_workspace
from permanence.core.errors import NotFoundError, ValidationError
from permanence.core.workspace import Workspace

TODAY = date(2026, 11, 23)  # a Monday
TUESDAY = TODAY + timedelta(days=1)
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Workspace]:
    workspace = create_demo_workspace(tmp_path / "demo", today=TODAY)
    yield workspace
    workspace.close()


def doctor(ws: Workspace) -> int:
    return ws.practices.list()[0].practitioners[0].id


def t(text: str) -> time:
    return time.fromisoformat(text)


def week_agenda(ws: Workspace, pid: int) -> tuple[Agenda, datetime]:
    since = datetime.combine(TODAY, time(0), tzinfo=PARIS)
    return ws.bookings.agenda(pid, since=since, until=since + timedelta(days=7)), since


def tuesday_open(ws: Workspace, pid: int) -> list[tuple[datetime, datetime]]:
    agenda, since = week_agenda(ws, pid)
    start = datetime.combine(TUESDAY, time(0), tzinfo=PARIS)
    spans = availability(agenda, since, since + timedelta(days=7))
    return [(s, e) for s, e in spans.open_periods if start <= s < start + timedelta(days=1)]


def test_load_gives_values_with_ids(demo: Workspace) -> None:
    settings = demo.agenda_settings.load(doctor(demo))
    assert settings.zone == "Europe/Paris"
    assert settings.periods_on(0) == ((t("08:30"), t("12:30")), (t("14:00"), t("19:00")))
    assert settings.appointment_types and all(v.id for v in settings.appointment_types)
    urgent = next(v for v in settings.appointment_types if v.name == "Urgence du jour")
    assert (t("11:45"), t("12:15")) in urgent.windows
    assert all(a.id and a.starts_at.tzinfo for a in settings.absences)


def test_save_template_changes_the_agenda(demo: Workspace) -> None:
    pid = doctor(demo)
    days = demo.agenda_settings.load(pid).template
    days[5] = [(t("09:00"), t("12:00"))]  # now works on Saturday mornings
    saved = demo.agenda_settings.save_template(pid, days)
    assert saved.periods_on(5) == ((t("09:00"), t("12:00")),)
    agenda, _since = week_agenda(demo, pid)
    assert agenda.template.periods_on(5) == [(t("09:00"), t("12:00"))]


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ({0: [(t("08:00"), t("12:00")), (t("11:00"), t("14:00"))]}, "se chevauchent"),
        ({1: [(t("12:00"), t("08:00"))]}, "doit être après le début"),
        ({2: [(t("09:00"), t("09:00"))]}, "doit être après le début"),
        ({9: [(t("09:00"), t("10:00"))]}, "jour de la semaine inconnu"),
        # Every period shorter than the 40 + 15 min home visit: refused, not half-saved.
        ({0: [(t("09:00"), t("09:30"))], 1: [(t("14:00"), t("14:50"))]}, "ne tiennent dans"),
    ],
)
def test_bad_template_is_refused_and_nothing_changes(
    demo: Workspace, days: dict[int, list[tuple[time, time]]], message: str
) -> None:
    pid = doctor(demo)
    before = demo.agenda_settings.load(pid)
    with pytest.raises(AgendaError, match=message):
        demo.agenda_settings.save_template(pid, days)
    assert demo.agenda_settings.load(pid) == before


def test_create_update_and_retire_an_appointment_type(demo: Workspace) -> None:
    pid = doctor(demo)
    created = demo.agenda_settings.save_appointment_type(
        pid,
        AppointmentTypeValue(
            "Certificat sportif",
            10,
            buffer_after_min=5,
            windows=((t("17:30"), t("18:00")),),
            weekdays=frozenset({0, 3}),
        ),
    )
    assert created.id is not None
    names = [v.name for v in demo.bookings.appointment_types(pid)]
    assert "Certificat sportif" in names
    updated = demo.agenda_settings.save_appointment_type(
        pid, AppointmentTypeValue("Certificat sportif", 15, id=created.id)
    )
    assert updated.id == created.id and updated.duration_min == 15 and updated.windows == ()
    demo.agenda_settings.remove_appointment_type(created.id)
    assert "Certificat sportif" not in [v.name for v in demo.bookings.appointment_types(pid)]
    with pytest.raises(NotFoundError):
        demo.agenda_settings.remove_appointment_type(created.id)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (AppointmentTypeValue("Zéro", 0), "strictement positive"),
        (AppointmentTypeValue("Négatif", -10), "strictement positive"),
        (AppointmentTypeValue("Absurde", 6000), "pas plausible"),
        (AppointmentTypeValue("Tampon", 15, buffer_after_min=-5), "temps après"),
        (AppointmentTypeValue("Tampon", 15, buffer_after_min=500), "temps après"),
        (AppointmentTypeValue("  ", 15), "nom est obligatoire"),
        (AppointmentTypeValue("Trop long", 360), "ne tiennent dans aucune plage"),
        (AppointmentTypeValue("Consultation", 20), "même nom"),
        (
            AppointmentTypeValue("Fenêtre", 30, windows=((t("11:45"), t("12:00")),)),
            "plus courte que sa durée",
        ),
        (
            AppointmentTypeValue("Fenêtre", 10, windows=((t("12:00"), t("11:00")),)),
            "doit être après le début",
        ),
        (AppointmentTypeValue("Jour", 10, weekdays=frozenset({8})), "jour de la semaine"),
    ],
)
def test_bad_appointment_type_is_refused(
    demo: Workspace, value: AppointmentTypeValue, message: str
) -> None:
    pid = doctor(demo)
    before = demo.agenda_settings.load(pid)
    with pytest.raises(AgendaError, match=message):
        demo.agenda_settings.save_appointment_type(pid, value)
    assert demo.agenda_settings.load(pid) == before


def test_absence_from_local_days_is_stored_in_utc(demo: Workspace) -> None:
    pid = doctor(demo)
    # Across the DST change of March: local midnights, stored as aware UTC instants.
    absence = demo.agenda_settings.add_absence(
        pid, date(2027, 3, 27), date(2027, 3, 29), "Congés", "Dr Roux"
    )
    assert absence.starts_at == datetime(2027, 3, 26, 23, 0, tzinfo=UTC)
    assert absence.ends_at == datetime(2027, 3, 29, 22, 0, tzinfo=UTC)
    stored = next(a for a in demo.agenda_settings.load(pid).absences if a.id == absence.id)
    assert stored.starts_at == absence.starts_at and stored.replacement == "Dr Roux"
    morning = demo.agenda_settings.add_absence(
        pid, datetime(2026, 11, 25, 8, 0), datetime(2026, 11, 25, 12, 0), "Formation"
    )
    assert morning.starts_at == datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
    assert demo.agenda.absence_at(pid, morning.starts_at + timedelta(hours=1)) is not None
    demo.agenda_settings.remove_absence(morning.id or 0)
    assert demo.agenda.absence_at(pid, morning.starts_at + timedelta(hours=1)) is None


def test_absence_ending_before_it_starts_is_refused(demo: Workspace) -> None:
    pid = doctor(demo)
    before = demo.agenda_settings.load(pid)
    with pytest.raises(AgendaError, match="doit être après le début"):
        demo.agenda_settings.add_absence(pid, date(2026, 12, 10), date(2026, 12, 1))
    with pytest.raises(AgendaError, match="doit être après le début"):
        demo.agenda_settings.add_absence(
            pid, datetime(2026, 12, 1, 14, 0), datetime(2026, 12, 1, 9, 0)
        )
    assert demo.agenda_settings.load(pid) == before


def test_closed_day_exception_removes_that_days_proposals(demo: Workspace) -> None:
    pid = doctor(demo)
    assert tuesday_open(demo, pid)
    exception = demo.agenda_settings.set_day_exception(pid, TUESDAY, (), "Fermé : formation")
    assert exception.summary == "mardi 24 novembre : fermé"
    assert tuesday_open(demo, pid) == []
    agenda, _since = week_agenda(demo, pid)
    kind = next(k for k in agenda.appointment_types if k.name == "Consultation")
    now = datetime.combine(TUESDAY, time(7, 0), tzinfo=PARIS)
    proposals = propose_for_request(agenda, kind, now=now, count=3)
    assert proposals and all(p.start.astimezone(PARIS).date() != TUESDAY for p in proposals)
    demo.agenda_settings.remove_day_exception(exception.id or 0)
    assert tuesday_open(demo, pid)


def test_day_exception_with_other_hours_replaces_the_same_day(demo: Workspace) -> None:
    pid = doctor(demo)
    first = demo.agenda_settings.set_day_exception(pid, TUESDAY, [(t("14:00"), t("17:00"))])
    assert first.summary == "mardi 24 novembre : 14 h–17 h seulement"
    opened = tuesday_open(demo, pid)
    assert [(s.astimezone(PARIS).time(), e.astimezone(PARIS).time()) for s, e in opened] == [
        (t("14:00"), t("17:00"))
    ]
    second = demo.agenda_settings.set_day_exception(pid, TUESDAY, [(t("09:00"), t("12:00"))])
    assert second.id == first.id
    assert len(demo.agenda_settings.load(pid).exceptions) == 1


@pytest.mark.parametrize(
    "periods",
    [
        [(t("17:00"), t("14:00"))],
        [(t("09:00"), t("12:00")), (t("11:00"), t("13:00"))],
    ],
)
def test_bad_day_exception_is_refused(demo: Workspace, periods: list[tuple[time, time]]) -> None:
    pid = doctor(demo)
    with pytest.raises(AgendaError, match="Exception du 24/11/2026"):
        demo.agenda_settings.set_day_exception(pid, TUESDAY, periods)
    assert demo.agenda_settings.load(pid).exceptions == ()


def test_save_all_is_one_transaction(demo: Workspace) -> None:
    pid = doctor(demo)
    before = demo.agenda_settings.load(pid)
    days = before.template
    days[5] = [(t("09:00"), t("12:00"))]
    with pytest.raises(ValidationError, match="strictement positive"):
        demo.agenda_settings.save_all(
            pid,
            template=days,
            appointment_types=[*before.appointment_types, AppointmentTypeValue("Nul", 0)],
            absences=before.absences,
            exceptions=[DayExceptionValue(TUESDAY)],
        )
    assert demo.agenda_settings.load(pid) == before  # the good hours were not saved either

    start = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    saved = demo.agenda_settings.save_all(
        pid,
        template=days,
        appointment_types=[
            *before.appointment_types[1:],
            AppointmentTypeValue("Certificat", 10),
        ],
        absences=[AbsenceValue(start, start + timedelta(hours=4), "Formation")],
        exceptions=[DayExceptionValue(TUESDAY, (), "fermé")],
    )
    assert saved.periods_on(5) == ((t("09:00"), t("12:00")),)
    assert [v.name for v in saved.appointment_types][-1] == "Certificat"
    assert before.appointment_types[0].name not in [v.name for v in saved.appointment_types]
    assert [(a.starts_at, a.reason) for a in saved.absences] == [(start, "Formation")]
    assert [e.day for e in saved.exceptions] == [TUESDAY]


def test_unknown_practitioner(demo: Workspace) -> None:
    with pytest.raises(NotFoundError):
        demo.agenda_settings.load(9999)
    with pytest.raises(NotFoundError):
        demo.agenda_settings.save_template(9999, {})
