"""Group VEVENT blocks by UID (a series with its overrides) and hash them, vdirsyncer-style.

The hash ignores properties that change by themselves: DTSTAMP (Google rewrites it on
every download), LAST-MODIFIED, Radicale's X-RADICALE-NAME and Thunderbird's alarm
bookkeeping (X-MOZ-LASTACK, X-MOZ-SNOOZE-TIME*). SEQUENCE is kept: it only moves with a
real change, and recurring-ical-events uses it to choose between two overrides of the
same instance, so it changes the busy time.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from permanence.core.calendars.model import Skipped
from permanence.core.calendars.splitter import Block, property_name

#: Properties whose TZID parameter matters for busy time (also in _ZONED_LINE).
DATETIME_PROPERTIES = frozenset({"DTSTART", "DTEND", "RDATE", "EXDATE", "RECURRENCE-ID"})
TZID_PARAMETER = re.compile(r';TZID=("[^"]*"|[^;:]*)', re.IGNORECASE)

INCOMPLETE = "Événement incomplet (END:VEVENT manquant, fichier tronqué ?) : ignoré."


@dataclass(frozen=True, slots=True)
class _Facts:
    uid: str | None
    tzids: tuple[str, ...]
    recurring: bool
    normalized: str


@dataclass(frozen=True, slots=True)
class EventGroup:
    """The VEVENTs sharing one UID, in file order, with what the cache needs to know."""

    key: str
    uid: str | None
    blocks: tuple[Block, ...]
    tzids: tuple[str, ...]
    recurring: bool
    normalized: str

    @property
    def raw_text(self) -> str:
        """The group's components (unfolded lines, CRLF)."""
        return "".join(block.text.replace("\n", "\r\n") + "\r\n" for block in self.blocks)

    def digest(self, context: str) -> str:
        """Hash of the normalised text and of everything else that shapes its busy time."""
        payload = f"{context}\x1e{self.normalized}".encode("utf-8", "surrogatepass")
        return hashlib.sha256(payload).hexdigest()


_FLAGS = re.MULTILINE | re.IGNORECASE
_VOLATILE_LINE = re.compile(
    r"^(?:DTSTAMP|LAST-MODIFIED|X-RADICALE-NAME|X-MOZ-LASTACK|X-MOZ-SNOOZE-TIME[A-Z0-9-]*)"
    r"[;:][^\n]*(?:\n|\Z)",
    _FLAGS,
)
_SUB_BEGIN = re.compile(r"\nBEGIN:", re.IGNORECASE)
_UID_LINE = re.compile(r"^UID[;:][^\n]*", _FLAGS)
_RULE_LINE = re.compile(r"^(?:RRULE|RDATE)[;:]", _FLAGS)
_ZONED_LINE = re.compile(
    r'^(?:DTSTART|DTEND|RDATE|EXDATE|RECURRENCE-ID)[^\n]*?;TZID=("[^"]*"|[^;:\n]*)', _FLAGS
)


def _scan(block: Block) -> _Facts:
    """Facts of a VEVENT from its text (regular expressions: this runs on every import)."""
    text = block.text
    own = text
    if _SUB_BEGIN.search(text):  # VALARM & co: their lines are not the event's
        own = "\n".join(_own_lines(block.lines))
    uid_line = _UID_LINE.search(own)
    uid = uid_line.group().partition(":")[2].strip() or None if uid_line else None
    tzids = list(dict.fromkeys(_ZONED_LINE.findall(own)))
    recurring = _RULE_LINE.search(own) is not None
    return _Facts(uid, tuple(tzids), recurring, _VOLATILE_LINE.sub("", text))


def _own_lines(lines: list[str]) -> list[str]:
    """The lines of the component itself, without those of its sub-components."""
    own: list[str] = []
    depth = 0
    for line in lines:
        name = property_name(line)
        if name == "BEGIN":
            depth += 1
        elif name == "END":
            depth -= 1
        elif depth == 1:
            own.append(line)
    return own


def group_events(blocks: list[Block]) -> tuple[list[EventGroup], list[Skipped]]:
    """Complete VEVENT blocks grouped by UID; incomplete ones reported as skipped."""
    members: dict[str, list[tuple[Block, _Facts]]] = {}
    skipped: list[Skipped] = []
    for block in blocks:
        if block.name != "VEVENT":
            continue
        facts = _scan(block)
        if not block.complete:
            skipped.append(Skipped(facts.uid, INCOMPLETE))
            continue
        if facts.uid is not None:
            key = "UID:" + facts.uid
        else:
            text = facts.normalized.encode("utf-8", "surrogatepass")
            key = "SANS-UID:" + hashlib.sha256(text).hexdigest()
        members.setdefault(key, []).append((block, facts))
    return [_group(key, found) for key, found in members.items()], skipped


def _group(key: str, found: list[tuple[Block, _Facts]]) -> EventGroup:
    if len(found) == 1:
        block, facts = found[0]
        return EventGroup(key, facts.uid, (block,), facts.tzids, facts.recurring, facts.normalized)
    tzids: list[str] = []
    for _, facts in found:
        tzids.extend(t for t in facts.tzids if t not in tzids)
    return EventGroup(
        key=key,
        uid=found[0][1].uid,
        blocks=tuple(block for block, _ in found),
        tzids=tuple(tzids),
        recurring=any(facts.recurring for _, facts in found),
        normalized="\x1d".join(sorted(facts.normalized for _, facts in found)),
    )
