"""Reading resources/demo/ into a validated plan, before anything is written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from permanence.core.callers.values import CALLER_KINDS
from permanence.core.consignes.sections import SECTIONS
from permanence.core.demo.reader import Entry, load_toml, parse_period, parse_weekday
from permanence.core.practices.kinds import PRACTICE_KINDS

OUTCOMES = ("rdv", "message", "transfert", "information", "demarchage", "faux_numero", "raccroche")
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class AppointmentTypePlan:
    name: str
    duration: int
    bookable_by_secretary: bool
    buffer_after: int
    urgent_only: bool
    windows: tuple[tuple[time, time], ...]
    weekdays: tuple[int, ...]


@dataclass(frozen=True)
class AbsencePlan:
    start_day: int
    end_day: int
    reason: str
    replacement: str


@dataclass(frozen=True)
class PractitionerPlan:
    key: str
    title: str
    first_name: str
    last_name: str
    kind: str
    timezone: str
    consignes: dict[str, str]
    hours: tuple[tuple[int, time, time], ...]
    appointment_types: tuple[AppointmentTypePlan, ...]
    absences: tuple[AbsencePlan, ...]
    fill_rate: float
    weeks_before: int
    weeks_after: int


@dataclass(frozen=True)
class PracticePlan:
    key: str
    name: str
    kind: str
    greeting: str
    address: str
    email: str
    phone_numbers: tuple[str, ...]
    consignes: dict[str, str]
    practitioners: tuple[PractitionerPlan, ...]


@dataclass(frozen=True)
class HistoryPlan:
    day: int
    time: time
    practice: str
    practitioner: str
    outcome: str
    duration: int
    reason: str
    message: str


@dataclass(frozen=True)
class CallerPlan:
    key: str
    last_name: str
    first_name: str
    kind: str
    phones: tuple[str, ...]
    notes: str
    practices: tuple[str, ...]
    history: tuple[HistoryPlan, ...]


@dataclass(frozen=True)
class DemoPlan:
    name: str
    secretary: str
    practices: tuple[PracticePlan, ...]
    callers: tuple[CallerPlan, ...]
    surnames: tuple[str, ...]
    first_names: tuple[str, ...]


def read_demo(folder: Path) -> DemoPlan:
    """Parse and check every demo file; raises DataFileError naming the file and entry."""
    root = Entry("workspace.toml", "[workspace]", load_toml(folder / "workspace.toml"))
    workspace = root.table("workspace")
    practices = tuple(
        _practice(folder, name) for name in workspace.texts("practices", required=True)
    )
    _unique(workspace, [p.key for p in practices], "clé de cabinet")
    callers_file = workspace.text("callers")
    callers = _callers(folder / callers_file, callers_file, practices)
    names_file = workspace.text("names", "noms.toml")
    names = Entry(names_file, "[noms]", load_toml(folder / names_file)).table("noms")
    return DemoPlan(
        name=workspace.text("name"),
        secretary=workspace.text("secretary"),
        practices=practices,
        callers=callers,
        surnames=tuple(names.texts("surnames", required=True)),
        first_names=tuple(names.texts("first_names", required=True)),
    )


def _practice(folder: Path, file_name: str) -> PracticePlan:
    data = load_toml(folder / file_name)
    practice = Entry(file_name, "[practice]", data).table("practice")
    practice = Entry(file_name, "[practice]", practice.data)
    kind = practice.text("kind")
    if kind not in PRACTICE_KINDS:
        raise practice.fail(f"type de cabinet « {kind} » inconnu ({', '.join(PRACTICE_KINDS)})")
    practitioners = tuple(
        _practitioner(entry) for entry in Entry(file_name, "fichier", data).tables("practitioners")
    )
    if not practitioners:
        raise practice.fail("au moins un praticien ([[practitioners]]) est nécessaire")
    _unique(practice, [p.key for p in practitioners], "clé de praticien")
    return PracticePlan(
        key=_key(practice),
        name=practice.text("name"),
        kind=kind,
        greeting=practice.text("greeting"),
        address=practice.text("address", ""),
        email=practice.text("email", ""),
        phone_numbers=tuple(practice.texts("phone_numbers", required=True)),
        consignes=_consignes(practice.table("consignes")),
        practitioners=practitioners,
    )


def _practitioner(entry: Entry) -> PractitionerPlan:
    kind = entry.text("kind")
    if kind not in PRACTICE_KINDS:
        raise entry.fail(f"type de praticien « {kind} » inconnu")
    zone = entry.text("timezone", "Europe/Paris")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise entry.fail(f"fuseau horaire « {zone} » inconnu") from exc
    agenda = entry.table("agenda")
    fill_rate = agenda.get("fill_rate", float, 0.6)
    if not 0 <= fill_rate <= 0.95:
        raise agenda.fail("« fill_rate » doit être compris entre 0 et 0,95")
    return PractitionerPlan(
        key=_key(entry),
        title=entry.text("title", ""),
        first_name=entry.text("first_name", ""),
        last_name=entry.text("last_name"),
        kind=kind,
        timezone=zone,
        consignes=_consignes(entry.table("consignes")),
        hours=_hours(entry),
        appointment_types=tuple(_appointment_type(t) for t in entry.tables("appointment_types")),
        absences=tuple(_absence(a) for a in entry.tables("absences")),
        fill_rate=fill_rate,
        weeks_before=agenda.get("weeks_before", int, 2),
        weeks_after=agenda.get("weeks_after", int, 3),
    )


def _hours(entry: Entry) -> tuple[tuple[int, time, time], ...]:
    periods: list[tuple[int, time, time]] = []
    for block in entry.tables("hours"):
        for day in block.texts("days", required=True):
            weekday = parse_weekday(block, day)
            for text in block.texts("periods", required=True):
                start, end = parse_period(block, text)
                for other_day, other_start, other_end in periods:
                    if other_day == weekday and start < other_end and other_start < end:
                        raise block.fail(f"la plage « {text} » du {day} chevauche une autre plage")
                periods.append((weekday, start, end))
    if not periods:
        raise entry.fail("aucun horaire de travail ([[practitioners.hours]])")
    return tuple(sorted(periods))


def _appointment_type(entry: Entry) -> AppointmentTypePlan:
    duration = entry.get("duration", int)
    if not 0 < duration <= 8 * 60:
        raise entry.fail(f"durée de {duration} min absurde (entre 1 et 480 minutes)")
    buffer_after = entry.get("buffer_after", int, 0)
    if not 0 <= buffer_after <= 120:
        raise entry.fail("« buffer_after » doit être entre 0 et 120 minutes")
    return AppointmentTypePlan(
        name=entry.text("name"),
        duration=duration,
        bookable_by_secretary=entry.get("bookable_by_secretary", bool, True),
        buffer_after=buffer_after,
        urgent_only=entry.get("urgent_only", bool, False),
        windows=tuple(parse_period(entry, w) for w in entry.texts("windows")),
        weekdays=tuple(parse_weekday(entry, d) for d in entry.texts("days")),
    )


def _absence(entry: Entry) -> AbsencePlan:
    start, end = entry.get("start_day", int), entry.get("end_day", int)
    if end < start:
        raise entry.fail("« end_day » précède « start_day »")
    return AbsencePlan(start, end, entry.text("reason", "Absence"), entry.text("replacement", ""))


def _callers(
    path: Path, file_name: str, practices: tuple[PracticePlan, ...]
) -> tuple[CallerPlan, ...]:
    known = {p.key: {d.key for d in p.practitioners} for p in practices}
    callers = []
    for entry in Entry(file_name, "fichier", load_toml(path)).tables("callers"):
        kind = entry.text("kind", "patient")
        if kind not in CALLER_KINDS:
            raise entry.fail(f"type d'appelant « {kind} » inconnu ({', '.join(CALLER_KINDS)})")
        linked = tuple(entry.texts("practices"))
        for key in linked:
            if key not in known:
                raise entry.fail(f"cabinet « {key} » inconnu")
        callers.append(
            CallerPlan(
                key=_key(entry),
                last_name=entry.text("last_name"),
                first_name=entry.text("first_name", ""),
                kind=kind,
                phones=tuple(entry.texts("phones")),
                notes=entry.text("notes", ""),
                practices=linked,
                history=tuple(_history(h, known) for h in entry.tables("history")),
            )
        )
    _unique(Entry(file_name, "fichier", {}), [c.key for c in callers], "clé d'appelant")
    return tuple(callers)


def _history(entry: Entry, known: dict[str, set[str]]) -> HistoryPlan:
    practice = entry.text("practice")
    if practice not in known:
        raise entry.fail(f"cabinet « {practice} » inconnu")
    practitioner = entry.text("practitioner", "")
    if practitioner and practitioner not in known[practice]:
        raise entry.fail(f"praticien « {practitioner} » inconnu dans le cabinet « {practice} »")
    outcome = entry.text("outcome")
    if outcome not in OUTCOMES:
        raise entry.fail(f"issue d'appel « {outcome} » inconnue ({', '.join(OUTCOMES)})")
    clock = _CLOCK.match(entry.text("time"))
    if not clock or int(clock.group(1)) > 23 or int(clock.group(2)) > 59:
        raise entry.fail(f"heure « {entry.data.get('time')} » illisible (attendu « 09:12 »)")
    duration = entry.get("duration", int, 60)
    if not 0 <= duration <= 3600:
        raise entry.fail("durée d'appel absurde (entre 0 et 3600 secondes)")
    return HistoryPlan(
        day=entry.get("day", int),
        time=time(int(clock.group(1)), int(clock.group(2))),
        practice=practice,
        practitioner=practitioner,
        outcome=outcome,
        duration=duration,
        reason=entry.text("reason", ""),
        message=entry.text("message", ""),
    )


def _consignes(entry: Entry) -> dict[str, str]:
    unknown = sorted(set(entry.data) - set(SECTIONS))
    if unknown:
        raise entry.fail(
            f"section(s) inconnue(s) : {', '.join(unknown)} ; attendu : {', '.join(SECTIONS)}"
        )
    return {key: entry.text(key, "") for key in SECTIONS if key in entry.data}


def _key(entry: Entry) -> str:
    key = entry.text("key")
    if not _KEY.match(key):
        raise entry.fail(f"clé « {key} » invalide (minuscules, chiffres, tirets)")
    return key


def _unique(entry: Entry, keys: list[str], what: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise entry.fail(f"{what} « {key} » en double")
        seen.add(key)
