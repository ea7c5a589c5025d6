"""Cut raw iCalendar bytes into top-level components without parsing any value.

Tolerant on purpose: BOM, CRLF / LF / lone CR, long unfolded lines, folds inside a
multi-byte character, missing END:VCALENDAR, garbage between components, bare VEVENT
files. A component whose END never comes is kept as incomplete so that the caller can
report it. Only the BEGIN/END lines are visited one by one: this runs on every import,
also when the cache already knows every component.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

_FOLD = re.compile(r"(?:\r\n|\r|\n)[ \t]")
_FOLD_BYTES = re.compile(rb"(?:\r\n|\r|\n)[ \t]")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
_NAME = re.compile(r"[A-Za-z0-9-]+")
_MARKER = re.compile(r"^(BEGIN|END):[ \t]*([^\n]*?)[ \t]*$", re.MULTILINE | re.IGNORECASE)

#: Components that live directly under VCALENDAR: one of them cannot open inside another.
TOP_LEVEL = frozenset(
    {"VCALENDAR", "VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VTIMEZONE", "VAVAILABILITY"}
)
#: Calendar properties the import needs.
CALENDAR_PROPERTIES = frozenset({"X-WR-TIMEZONE", "CALSCALE", "METHOD"})


@dataclass(frozen=True, slots=True)
class Block:
    """One top-level component: its unfolded text ("\\n" between lines, BEGIN to END)."""

    name: str
    text: str
    complete: bool

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


@dataclass(slots=True)
class SplitCalendar:
    """The components and calendar-level facts of one file."""

    blocks: list[Block] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)
    ignored: Counter[str] = field(default_factory=Counter)
    stray_lines: int = 0
    calendar_begun: bool = False
    calendar_ended: bool = False


def property_name(line: str) -> str:
    """Upper-case name of a content line ("" for a line that does not start with one)."""
    match = _NAME.match(line)
    return match.group().upper() if match else ""


def decode(data: bytes) -> tuple[str, str | None]:
    """Unfolded text of the file with "\\n" line ends, and a French note when not clean UTF-8.

    Lines are unfolded before decoding: producers that fold every 75 octets cut
    multi-byte characters in two ("é" = C3 | A9).
    """
    note: str | None = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _FOLD.sub("", data.decode("utf-16", "replace"))
        note = "Fichier en UTF-16 : converti."
    else:
        data = _FOLD_BYTES.sub(b"", data.removeprefix(b"\xef\xbb\xbf"))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            if _UTF8_MULTIBYTE.search(data):
                note = "Octets invalides en UTF-8 dans le fichier : remplacés par « \ufffd »."
                text = data.decode("utf-8", "replace")
            else:
                note = "Fichier qui n'est pas en UTF-8 : lu en Windows-1252."
                text = data.decode("cp1252", "replace")
    return text.replace("\r\n", "\n").replace("\r", "\n"), note


class _Splitter:
    def __init__(self, text: str) -> None:
        self.text = text
        self.result = SplitCalendar()
        self.start: int | None = None  # offset of the open component's BEGIN line
        self.stack: list[str] = []
        self.position = 0  # end of what has been read at the top level

    def marker(self, match: re.Match[str]) -> None:
        kind, name = match.group(1).upper(), match.group(2).upper()
        if self.start is not None and self._inside(kind, name, match):
            return
        self._between(self.text[self.position : match.start()])
        self.position = match.end()
        if name == "VCALENDAR":
            if kind == "BEGIN":
                self.result.calendar_begun = True
            else:
                self.result.calendar_ended = True
        elif kind == "BEGIN":
            self.start = match.start()
            self.stack = [name]
        else:
            self.result.stray_lines += 1

    def _inside(self, kind: str, name: str, match: re.Match[str]) -> bool:
        """Follow the open component; False when the marker belongs to the top level."""
        if kind == "BEGIN" and name not in TOP_LEVEL:
            self.stack.append(name)
            return True
        if kind == "END" and name in self.stack:
            while self.stack.pop() != name:
                pass
            if not self.stack:
                self._close(match.end(), complete=True)
            return True
        if kind == "END" and name not in TOP_LEVEL:
            return True  # stray END of a sub-component: kept in the text, harmless
        self._close(match.start(), complete=False)
        return False

    def _close(self, end: int, *, complete: bool) -> None:
        assert self.start is not None
        text = self.text[self.start : end].rstrip("\n")
        name = text[6 : text.find("\n") if "\n" in text else None].strip().upper()
        self.result.blocks.append(Block(name, text, complete))
        self.start = None
        self.stack = []
        self.position = end

    def _between(self, gap: str) -> None:
        """Calendar properties, blank lines and garbage between components."""
        for line in gap.split("\n"):
            if not line.strip():
                continue
            name = property_name(line)
            if name in CALENDAR_PROPERTIES and name not in self.result.properties:
                self.result.properties[name] = line.partition(":")[2].strip()
            elif not name or ":" not in line:
                self.result.stray_lines += 1

    def finish(self) -> SplitCalendar:
        if self.start is not None:
            self._close(len(self.text), complete=False)
        self._between(self.text[self.position :])
        for block in self.result.blocks:
            if block.name not in ("VEVENT", "VTIMEZONE"):
                self.result.ignored[block.name] += 1
        return self.result


def split_calendar(text: str) -> SplitCalendar:
    """The top-level components of unfolded `text` (see `decode`), in file order."""
    splitter = _Splitter(text)
    for match in _MARKER.finditer(text):
        splitter.marker(match)
    return splitter.finish()
