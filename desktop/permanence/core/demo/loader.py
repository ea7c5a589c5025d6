"""Writing a validated demo plan into a fresh workspace, dated around today."""

from __future__ import annotations

import hashlib
import random
import shutil
import tempfile
import time as clock
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from permanence.core.callers.service import search_key
from permanence.core.db.engine import DB_FILENAME
from permanence.core.db.migrate import HEAD_REVISION
from permanence.core.db.models import (
    Absence,
    Appointment,
    AppointmentType,
    Call,
    Caller,
    CallerPhone,
    InstructionVersion,
    Message,
    Practice,
    PracticeNumber,
    Practitioner,
    Setting,
    WorkingPeriod,
    caller_practices,
)
from permanence.core.demo.schema import (
    CallerPlan,
    DemoPlan,
    PracticePlan,
    PractitionerPlan,
    read_demo,
)
from permanence.core.paths import demo_root
from permanence.core.phone import parse_phone
from permanence.core.resources import resource_path
from permanence.core.workspace import Workspace

DEMO_AUTHOR = "Démo"
GENERATED_PATIENTS = 160
#: Bump when the loader writes the demo differently, so cached demo templates are rebuilt.
LOADER_VERSION = 2
_STALE_DEMO_SECONDS = 2 * 24 * 3600


def create_demo_workspace(
    target: Path | None = None, *, today: date | None = None, source: Path | None = None
) -> Workspace:
    """A fresh copy of the demo in `target` (default: a new folder in the cache).

    The demo files are read and checked before any folder is created, so a mistake in them
    leaves nothing behind.
    """
    source = source or resource_path("demo")
    day = today or date.today()
    template = _template_path(source, day)
    if template.exists():  # same files, same day, same schema: copy the pristine build
        folder = target or _new_demo_folder()
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, folder / DB_FILENAME)
        return Workspace.open(folder, is_demo=True)
    plan = read_demo(source)
    folder = target or _new_demo_folder()
    workspace = Workspace.open(folder, is_demo=True)
    try:
        load_demo(workspace, plan, today=day)
        _save_template(workspace, template)
    except BaseException:
        workspace.close()
        if target is None:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return workspace


def _template_path(source: Path, day: date) -> Path:
    """Where the built demo of these files, for this day and schema, is kept."""
    digest = hashlib.sha256(
        f"{HEAD_REVISION}|{day.isoformat()}|{GENERATED_PATIENTS}|{LOADER_VERSION}".encode()
    )
    for path in sorted(source.glob("*.toml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return demo_root() / "modeles" / f"{digest.hexdigest()[:24]}.sqlite3"


def _save_template(workspace: Workspace, template: Path) -> None:
    """Keep a compact copy of the fresh demo so the next `--demo` only copies a file."""
    template.parent.mkdir(parents=True, exist_ok=True)
    for old in template.parent.glob("*.sqlite3"):
        old.unlink(missing_ok=True)
    partial = template.with_suffix(".tmp")
    partial.unlink(missing_ok=True)
    with workspace.engine.connect() as connection:
        connection.exec_driver_sql("VACUUM INTO ?", (str(partial),))
    partial.replace(template)


def _new_demo_folder() -> Path:
    root = demo_root()
    root.mkdir(parents=True, exist_ok=True)
    for old in root.glob("demo-*"):  # earlier demo copies: nobody needs them for long
        if clock.time() - old.stat().st_mtime > _STALE_DEMO_SECONDS:
            shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix="demo-", dir=root))


@dataclass
class _Ids:
    practices: dict[str, int] = field(default_factory=dict)
    practitioners: dict[tuple[str, str], int] = field(default_factory=dict)
    callers_by_practice: dict[str, list[int]] = field(default_factory=dict)


def load_demo(workspace: Workspace, plan: DemoPlan, *, today: date) -> None:
    """Write the whole demo in one transaction (all or nothing)."""
    with workspace.sessions.begin() as session:
        session.add_all(
            [
                Setting(key="workspace.name", value=plan.name),
                Setting(key="workspace.secretary", value=plan.secretary),
                Setting(key="workspace.demo", value="1"),
            ]
        )
        ids = _Ids()
        for position, practice in enumerate(plan.practices):
            _add_practice(session, practice, position, today, ids)
        for caller in plan.callers:
            _add_caller(session, caller, today, ids)
        _add_generated_patients(session, plan, ids)
        for practice in plan.practices:
            for practitioner in practice.practitioners:
                _add_appointments(session, practice, practitioner, today, ids)


def _add_practice(
    session: Session, plan: PracticePlan, position: int, today: date, ids: _Ids
) -> None:
    row = Practice(
        key=plan.key,
        name=plan.name,
        kind=plan.kind,
        greeting=plan.greeting,
        address=plan.address,
        email=plan.email,
        position=position,
    )
    for raw in plan.phone_numbers:
        row.numbers.append(PracticeNumber(e164=parse_phone(raw).key, label="Standard"))
    session.add(row)
    session.flush()
    ids.practices[plan.key] = row.id
    _add_consignes(session, row.id, None, plan.consignes)
    for index, practitioner in enumerate(plan.practitioners):
        doctor = Practitioner(
            practice_id=row.id,
            key=practitioner.key,
            title=practitioner.title,
            first_name=practitioner.first_name,
            last_name=practitioner.last_name,
            kind=practitioner.kind,
            timezone=practitioner.timezone,
            position=index,
        )
        session.add(doctor)
        session.flush()
        ids.practitioners[(plan.key, practitioner.key)] = doctor.id
        _add_consignes(session, row.id, doctor.id, practitioner.consignes)
        _add_agenda_setup(session, doctor.id, practitioner, today)


def _add_consignes(
    session: Session, practice_id: int, practitioner_id: int | None, sections: dict[str, str]
) -> None:
    for section, body in sections.items():
        session.add(
            InstructionVersion(
                practice_id=practice_id,
                practitioner_id=practitioner_id,
                section=section,
                version=1,
                body=body,
                author=DEMO_AUTHOR,
            )
        )


def _add_agenda_setup(
    session: Session, practitioner_id: int, plan: PractitionerPlan, today: date
) -> None:
    zone = ZoneInfo(plan.timezone)
    for weekday, start, end in plan.hours:
        session.add(
            WorkingPeriod(
                practitioner_id=practitioner_id, weekday=weekday, start_time=start, end_time=end
            )
        )
    for position, kind in enumerate(plan.appointment_types):
        session.add(
            AppointmentType(
                practitioner_id=practitioner_id,
                name=kind.name,
                duration_min=kind.duration,
                bookable_by_secretary=kind.bookable_by_secretary,
                buffer_after_min=kind.buffer_after,
                urgent_only=kind.urgent_only,
                windows=";".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in kind.windows),
                weekdays=",".join(str(d) for d in kind.weekdays),
                position=position,
            )
        )
    for absence in plan.absences:
        away = datetime.combine(today + timedelta(days=absence.start_day), time(0), zone)
        back = datetime.combine(today + timedelta(days=absence.end_day + 1), time(0), zone)
        session.add(
            Absence(
                practitioner_id=practitioner_id,
                starts_at=away,
                ends_at=back,
                reason=absence.reason,
                replacement=absence.replacement,
            )
        )


def _add_caller(session: Session, plan: CallerPlan, today: date, ids: _Ids) -> None:
    row = Caller(
        last_name=plan.last_name,
        first_name=plan.first_name,
        kind=plan.kind,
        notes=plan.notes,
        search_key=search_key(plan.last_name, plan.first_name),
    )
    for raw in plan.phones:
        row.phones.append(CallerPhone(e164=parse_phone(raw).key, raw=raw))
    session.add(row)
    session.flush()
    for key in plan.practices:
        session.execute(
            caller_practices.insert().values(caller_id=row.id, practice_id=ids.practices[key])
        )
        if plan.kind == "patient":
            ids.callers_by_practice.setdefault(key, []).append(row.id)
    paris = ZoneInfo("Europe/Paris")
    for item in plan.history:
        started = datetime.combine(today + timedelta(days=item.day), item.time, paris)
        practitioner_id = (
            ids.practitioners[(item.practice, item.practitioner)] if item.practitioner else None
        )
        call = Call(
            practice_id=ids.practices[item.practice],
            practitioner_id=practitioner_id,
            caller_id=row.id,
            from_number=plan.phones[0] if plan.phones else "",
            from_e164=parse_phone(plan.phones[0]).key if plan.phones else "",
            started_at=started,
            ended_at=started + timedelta(seconds=item.duration),
            status="closed",
            outcome=item.outcome,
            reason=item.reason,
        )
        session.add(call)
        session.flush()
        if item.outcome == "message":
            # The last days' messages still wait for a callback, as on a real evening.
            status = "transmis" if item.day >= -2 else "lu" if item.day >= -4 else "clos"
            session.add(
                Message(
                    call_id=call.id,
                    practice_id=call.practice_id or 0,
                    practitioner_id=practitioner_id,
                    caller_id=row.id,
                    reason=item.reason,
                    body=item.message,
                    callback_number=call.from_e164,
                    caller_last_name=plan.last_name,
                    caller_first_name=plan.first_name,
                    confirmed=True,
                    taken_by=DEMO_AUTHOR,
                    status=status,
                    created_at=started + timedelta(seconds=item.duration),
                    confirmed_at=started + timedelta(seconds=item.duration),
                )
            )


def _add_generated_patients(session: Session, plan: DemoPlan, ids: _Ids) -> None:
    """Patients behind the generated appointments (names from resources/demo/noms.toml)."""
    rng = random.Random("demo-patients")
    practice_keys = [p.key for p in plan.practices]
    for index in range(GENERATED_PATIENTS):
        last, first = rng.choice(plan.surnames), rng.choice(plan.first_names)
        number = "06" + "".join(str(rng.randrange(10)) for _ in range(8))
        row = Caller(
            last_name=last, first_name=first, kind="patient", search_key=search_key(last, first)
        )
        row.phones.append(CallerPhone(e164=parse_phone(number).key, raw=number))
        session.add(row)
        session.flush()
        key = practice_keys[index % len(practice_keys)]
        session.execute(
            caller_practices.insert().values(caller_id=row.id, practice_id=ids.practices[key])
        )
        ids.callers_by_practice.setdefault(key, []).append(row.id)


def _add_appointments(
    session: Session, practice: PracticePlan, plan: PractitionerPlan, today: date, ids: _Ids
) -> None:
    """Fill `fill_rate` of the working time around today, day by day, deterministically."""
    practitioner_id = ids.practitioners[(practice.key, plan.key)]
    types = [t for t in plan.appointment_types if not t.urgent_only and not t.windows]
    if not types:
        return
    type_ids = dict(
        session.query(AppointmentType.name, AppointmentType.id)
        .filter(AppointmentType.practitioner_id == practitioner_id)
        .all()
    )
    zone = ZoneInfo(plan.timezone)
    patients = ids.callers_by_practice.get(practice.key, [])
    shortest = min(t.duration for t in types)
    for offset in range(-7 * plan.weeks_before, 7 * plan.weeks_after + 1):
        day = today + timedelta(days=offset)
        if any(a.start_day <= offset <= a.end_day for a in plan.absences):
            continue
        rng = random.Random(f"{practice.key}/{plan.key}/{day.isoformat()}")
        for weekday, opens, closes in plan.hours:
            if weekday != day.weekday():
                continue
            cursor = datetime.combine(day, opens, zone)
            period_end = datetime.combine(day, closes, zone)
            while cursor < period_end:
                kind = types[0] if rng.random() < 0.6 else rng.choice(types)
                slot_end = cursor + timedelta(minutes=kind.duration)
                if slot_end <= period_end and rng.random() < plan.fill_rate:
                    session.add(
                        Appointment(
                            practitioner_id=practitioner_id,
                            caller_id=rng.choice(patients) if patients else None,
                            appointment_type_id=type_ids.get(kind.name),
                            starts_at=cursor.astimezone(UTC),
                            ends_at=slot_end.astimezone(UTC),
                            booked_by=DEMO_AUTHOR,
                        )
                    )
                    cursor = slot_end + timedelta(minutes=kind.buffer_after)
                else:
                    cursor += timedelta(minutes=shortest)
