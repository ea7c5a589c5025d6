"""Decide which time zone each TZID of a file means, before icalendar reads any value.

Order: an IANA name; a Windows name through the CLDR windowsZones table that icalendar
ships; a "globally unique" /vendor/…/Area/City TZID; an IANA name in the wrong case;
a VTIMEZONE defined by the file; an Outlook display name "(UTC+hh:mm) …"; otherwise the
practitioner's zone, with a warning (khal does the same). Every TZID is then rewritten
to the chosen IANA name, or to a content-addressed name for a VTIMEZONE of the file, so
icalendar never guesses and its process-wide zone cache never mixes two files'
"Customized Time Zone".
"""

from __future__ import annotations

import hashlib
import re
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from permanence.core.calendars.model import Skipped, ZoneMapping
from permanence.core.calendars.splitter import Block, property_name

_DISPLAY_OFFSET = re.compile(r"^\((?:UTC|GMT)\s*([+-])(\d{1,2})(?::?(\d{2}))?\)")
SYNTHETIC_PREFIX = "Permanence-"


@dataclass(frozen=True, slots=True)
class ZoneChoice:
    """What a TZID becomes: `key` is written in its place before parsing."""

    key: str
    how: str
    zone: str


@dataclass(frozen=True, slots=True)
class FileTimezone:
    """A VTIMEZONE of the file, renamed to `synthetic` (a hash of its content)."""

    tzid: str
    synthetic: str
    text: str


def clean_tzid(raw: str) -> str:
    """A TZID without quotes, surrounding blanks or the trailing colon some producers add."""
    return raw.strip().strip('"').strip().rstrip(":").strip()


def iana_key(name: str) -> str | None:
    """`name` when zoneinfo knows it, else None (never raises)."""
    if not name or len(name) > 200 or name.startswith(("/", ".")):
        return None
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None
    return name


@cache
def _casefolded_keys() -> dict[str, str]:
    return {key.casefold(): key for key in zoneinfo.available_timezones()}


def name_choice(name: str) -> ZoneChoice | None:
    """The zone a TZID or X-WR-TIMEZONE names by itself (IANA, Windows, prefix, case)."""
    if key := iana_key(name):
        return ZoneChoice(key, "iana", key)
    if (windows := WINDOWS_TO_OLSON.get(name)) and iana_key(windows):
        return ZoneChoice(windows, "windows", windows)
    if name.startswith("/"):
        parts = name.strip("/").split("/")
        for start in range(1, len(parts)):
            if key := iana_key("/".join(parts[start:])):
                return ZoneChoice(key, "prefix", key)
    folded = _casefolded_keys().get(name.casefold().replace(" ", "_"))
    if folded:
        return ZoneChoice(folded, "case", folded)
    return None


def offset_choice(name: str, practitioner: zoneinfo.ZoneInfo) -> ZoneChoice | None:
    """Outlook display names "(UTC+01:00) Bruxelles, Paris…" read from their offset.

    The practitioner's zone when its winter offset matches (so summer time stays right),
    else the fixed Etc/GMT zone of a whole-hour offset.
    """
    match = _DISPLAY_OFFSET.match(name)
    if not match:
        return None
    sign = -1 if match.group(1) == "-" else 1
    offset = sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(3) or 0))
    if _winter_offset(practitioner) == offset:
        return ZoneChoice(practitioner.key, "offset", practitioner.key)
    hours, rest = divmod(offset, timedelta(hours=1))
    if rest or not -14 <= hours <= 12:
        return None
    key = "Etc/GMT" if hours == 0 else f"Etc/GMT{-hours:+d}"
    return ZoneChoice(key, "offset", key)


def _winter_offset(zone: zoneinfo.ZoneInfo) -> timedelta | None:
    january = datetime(2025, 1, 15, 12, tzinfo=zone).utcoffset()
    july = datetime(2025, 7, 15, 12, tzinfo=zone).utcoffset()
    if january is None or july is None:
        return None
    return min(january, july)


def file_timezones(blocks: list[Block]) -> tuple[dict[str, FileTimezone], list[Skipped]]:
    """The file's VTIMEZONEs by cleaned TZID; those without a TZID are reported."""
    found: dict[str, FileTimezone] = {}
    skipped: list[Skipped] = []
    for block in blocks:
        if block.name != "VTIMEZONE":
            continue
        tzid_lines = [line for line in block.lines if property_name(line) == "TZID"]
        tzid = clean_tzid(_unescape(tzid_lines[0].partition(":")[2])) if tzid_lines else ""
        if not tzid:
            reason = "Fuseau horaire (VTIMEZONE) sans identifiant TZID : ignoré."
            skipped.append(Skipped(None, reason, "VTIMEZONE"))
            continue
        if tzid in found or not block.complete:
            continue
        found[tzid] = _renamed(tzid, block)
    return found, skipped


def _unescape(text: str) -> str:
    """TEXT escapes of a TZID value ("Kuala Lumpur\\, Singapore")."""
    return re.sub(r"\\([\\;,])", r"\1", text)


def _renamed(tzid: str, block: Block) -> FileTimezone:
    body = [line for line in block.lines if property_name(line) != "TZID"]
    digest = hashlib.sha256("\n".join(body).encode("utf-8", "surrogatepass")).hexdigest()
    synthetic = SYNTHETIC_PREFIX + digest[:20]
    lines = [body[0].strip().upper(), f"TZID:{synthetic}", *body[1:-1], body[-1].strip().upper()]
    return FileTimezone(tzid, synthetic, "".join(line + "\r\n" for line in lines))


def mapping(raw: str, choice: ZoneChoice) -> ZoneMapping:
    """The report line of a TZID as written in the file."""
    return ZoneMapping(clean_tzid(raw) or "(vide)", choice.zone, choice.how)
