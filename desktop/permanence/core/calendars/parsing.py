"""Read one UID group with icalendar, component by component, keeping what can be kept.

Only the properties that shape busy time reach icalendar (DESCRIPTION, ATTENDEE and
the like are left out: they are most of the parsing time and none of the answer). Each
VEVENT is parsed on its own so that a broken one is reported and the others kept; a
broken VALARM is reported and the event kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import icalendar

from permanence.core.calendars.grouping import DATETIME_PROPERTIES, TZID_PARAMETER, EventGroup
from permanence.core.calendars.model import Skipped
from permanence.core.calendars.splitter import Block, property_name

#: The VEVENT properties busy time depends on.
KEEP = frozenset(
    {
        "DTSTART",
        "DTEND",
        "DURATION",
        "RRULE",
        "RDATE",
        "EXDATE",
        "RECURRENCE-ID",
        "UID",
        "SEQUENCE",
        "SUMMARY",
        "STATUS",
        "TRANSP",
        "X-MICROSOFT-CDO-BUSYSTATUS",
    }
)
#: Values that change nothing to busy time, not worth handing to icalendar.
_DEFAULTS = {
    "TRANSP": ("OPAQUE",),
    "STATUS": ("CONFIRMED", "TENTATIVE"),
    "X-MICROSOFT-CDO-BUSYSTATUS": ("BUSY", "TENTATIVE", "OOF", "WORKINGELSEWHERE"),
}
#: A bad value in one of these makes the occurrences unknowable: the event is skipped.
STRUCTURAL = frozenset(
    {"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"}
)
MAX_MESSAGE = 160
_DATE_ONLY = re.compile(r"^([A-Za-z-]+)(;[^:]*)?:(\d{8}(?:,\d{8})*)\s*$")


@dataclass(slots=True)
class ParseCounter:
    """Number of components handed to icalendar (VEVENT, VALARM, VTIMEZONE)."""

    parses: int = 0


@dataclass(slots=True)
class ParsedGroup:
    events: list[icalendar.Event] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def short(error: BaseException | str) -> str:
    """A one-line technical detail for a French message."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


def parse_group(
    group: EventGroup, rewrite_tzid: Callable[[str], str], counter: ParseCounter
) -> ParsedGroup:
    """The group's usable VEVENTs; the others and the broken alarms are reported."""
    result = ParsedGroup()
    for block in group.blocks:
        text, alarms = event_text(block, rewrite_tzid, several=len(group.blocks) > 1)
        for alarm in alarms:
            problem = _alarm_problem(alarm, counter)
            if problem:
                reason = f"Alarme illisible ({problem}) : alarme ignorée, l'événement est gardé."
                result.skipped.append(Skipped(group.uid, reason, "VALARM"))
        counter.parses += 1
        try:
            event = icalendar.Event.from_ical(text)
        except Exception as error:
            reason = f"Événement illisible ({short(error)}) : ignoré."
            result.skipped.append(Skipped(group.uid, reason))
            continue
        if not isinstance(event, icalendar.Event):
            result.skipped.append(Skipped(group.uid, "Composant inattendu : ignoré."))
            continue
        problem = _event_problem(event, result.warnings, group.uid)
        if problem:
            result.skipped.append(Skipped(group.uid, problem))
        else:
            result.events.append(event)
    return result


def event_text(
    block: Block, rewrite_tzid: Callable[[str], str], *, several: bool = False
) -> tuple[str, list[str]]:
    """The VEVENT reduced to the KEEP properties, TZIDs rewritten; and its VALARM texts.

    UID and SEQUENCE only matter between components of one UID (`several`); TRANSP, STATUS and
    Outlook's busy status only when they say something else than "busy".
    """
    kept = ["BEGIN:VEVENT"]
    alarms: list[str] = []
    sub: list[str] | None = None
    depth = 0
    for line in block.lines[1:-1]:
        name = property_name(line)
        if name == "BEGIN":
            if depth == 0:
                sub = [] if line[6:].strip().upper() == "VALARM" else None
            depth += 1
        if depth > 0:
            if sub is not None:
                sub.append(line)
            if name == "END":
                depth -= 1
                if depth == 0 and sub is not None:
                    alarms.append("".join(item + "\r\n" for item in sub))
                    sub = None
            continue
        if name in KEEP and _worth_parsing(name, line, several):
            if name in DATETIME_PROPERTIES:
                line = _date_form(line) or TZID_PARAMETER.sub(
                    lambda m: ";TZID=" + rewrite_tzid(m.group(1)), line
                )
            kept.append(line)
    if sub is not None:
        alarms.append("".join(item + "\r\n" for item in sub))
    kept.append("END:VEVENT")
    return "".join(line + "\r\n" for line in kept), alarms


def _worth_parsing(name: str, line: str, several: bool) -> bool:
    if name in ("UID", "SEQUENCE"):
        return several
    defaults = _DEFAULTS.get(name)
    return defaults is None or line.rpartition(":")[2].strip().upper() not in defaults


def _date_form(line: str) -> str | None:
    """A date value written without VALUE=DATE (old Thunderbird adds a TZID) as a date.

    icalendar would read "DTSTART;TZID=US/Eastern:20060102" as midnight-to-midnight busy
    time; the producer meant an all-day event.
    """
    match = _DATE_ONLY.match(line)
    if match is None:
        return None
    parameters = (match.group(2) or "").upper().split(";")
    if "VALUE=DATE" in parameters and not any(p.startswith("TZID=") for p in parameters):
        return None
    return f"{match.group(1)};VALUE=DATE:{match.group(3)}"


def _alarm_problem(text: str, counter: ParseCounter) -> str | None:
    counter.parses += 1
    try:
        icalendar.Alarm.from_ical(text)
    except Exception as error:
        return short(error)
    return None


def _event_problem(event: icalendar.Event, warnings: list[str], uid: str | None) -> str | None:
    """Why the event cannot be used, or None. Broken minor properties are dropped."""
    for name, message in event.errors:
        if name is None or name in STRUCTURAL:
            where = f" de {name}" if name else ""
            return f"Valeur illisible{where} ({short(message)}) : événement ignoré."
    for name, _message in event.errors:
        if name is not None and name in event:
            event.pop(name)
            warnings.append(f"Propriété {name} illisible dans l'événement {uid} : ignorée.")
    start = event.get("DTSTART")
    if start is None:
        return "Événement sans date de début (DTSTART) : ignoré."
    for name in ("DTSTART", "DTEND", "DURATION", "RECURRENCE-ID"):
        if isinstance(event.get(name), list):
            return f"Plusieurs {name} dans le même événement : ignoré."
    if not isinstance(getattr(start, "dt", None), date):
        return "DTSTART n'est pas une date : événement ignoré."
    return None
