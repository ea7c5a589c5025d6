"""CalDAV sources: the practitioner's events in as busy time, appointments out.

`ws.caldav` (vdirsyncer-style): `pull` lists the calendar's items with their ETags (and
skips everything when the collection's CTag / sync-token has not moved), fetches only new
or changed items, notices the ones deleted on the server and rebuilds the source's busy
time through `import_calendar` and the source's component cache. `queue_appointment`
writes a push to a persisted outbox; `push` drains it in order: create with
If-None-Match: *, change and delete with If-Match. A 412 is a conflict kept with the
server's version, never an overwrite; while the server cannot be reached, the pushes stay
pending (attempts, French reason) and go out in order at the next `push`.

Passwords are never stored here: `pull`, `push` and `discover` take one.
The `caldav` library (and its HTTP stack) is imported only when a server is contacted.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from permanence.core.calendars.busy import replace_busy_times
from permanence.core.calendars.model import CalendarImportError
from permanence.core.calendars.sources import (
    CalendarSourceInfo,
    _info,
    _source,
    _zone,
    check_url,
)
from permanence.core.db.models import (
    Appointment,
    BusyTime,
    CalendarItem,
    CalendarOutbox,
    CalendarSource,
    Caller,
    Practitioner,
)
from permanence.core.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from caldav.davclient import DAVClient

#: Seconds to wait for the CalDAV server.
TIMEOUT = 20
#: Items per calendar-multiget REPORT.
MULTIGET_BATCH = 100
ACTIONS = ("create", "update", "delete")
PRODID = "-//Permanence//Agenda//FR"

_DAV = "DAV:"
_CALDAV = "urn:ietf:params:xml:ns:caldav"
_CS = "http://calendarserver.org/ns/"
_APPOINTMENT_UID = re.compile(r"^appointment-(\d+)@permanence$")


class CalDavError(Exception):
    """The server could not be used; the message is French, for the user."""


@dataclass(frozen=True, slots=True)
class PullReport:
    """What a pull did. `unchanged`: the CTag / sync-token had not moved, nothing fetched.

    `fetched`: items downloaded (new or changed); `deleted`: hrefs gone from the server;
    `freed`: appointments whose event was deleted on the server (to show to the user).
    """

    source_id: int
    ok: bool
    message: str
    synced_at: datetime
    unchanged: bool = False
    listed: int = 0
    fetched: int = 0
    deleted: tuple[str, ...] = ()
    freed: tuple[int, ...] = ()
    busy: int = 0


@dataclass(frozen=True, slots=True)
class PushReport:
    source_id: int
    ok: bool
    message: str
    sent: int = 0
    conflicts: int = 0
    pending: int = 0


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    id: int
    source_id: int
    appointment_id: int
    action: str
    state: str
    attempts: int
    last_error: str
    payload: str
    remote_etag: str
    remote_text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    headers: Mapping[str, str]
    text: str


class CalDavService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    # -- sources -----------------------------------------------------------------------
    def add_source(
        self, practitioner_id: int, url: str, username: str, *, label: str = ""
    ) -> CalendarSourceInfo:
        """A CalDAV calendar (its collection URL); the same one already set up is reused."""
        location = _collection(check_url(url))
        with self._sessions.begin() as session:
            if session.get(Practitioner, practitioner_id) is None:
                raise NotFoundError("Ce praticien n'existe plus : agenda non ajouté.")
            existing = session.scalars(
                select(CalendarSource).where(
                    CalendarSource.practitioner_id == practitioner_id,
                    CalendarSource.kind == "caldav",
                    CalendarSource.location == location,
                )
            ).first()
            if existing is not None:
                return _info(existing)
            row = CalendarSource(
                practitioner_id=practitioner_id,
                kind="caldav",
                location=location,
                username=username.strip()[:200],
                label=(label or urlsplit(location).netloc)[:200],
            )
            session.add(row)
            session.flush()
            return _info(row)

    def discover(self, url: str, username: str, password: str) -> list[tuple[str, str]]:
        """The calendars of an account: (display name, collection URL)."""
        location = check_url(url)
        client = _client(location, username, password)
        try:
            calendars = client.get_principal().calendars()
            if not isinstance(calendars, list):  # only the async client returns a coroutine
                raise TypeError("async client")
            found: list[tuple[str, str]] = []
            for calendar in calendars:
                name = calendar.get_display_name() or ""
                address = str(calendar.url)
                found.append((str(name) or _last_segment(address), address))
            return found
        except Exception as error:  # the library raises many kinds; all become French
            raise CalDavError(_problem(error, location)) from None

    # -- pull --------------------------------------------------------------------------
    def pull(self, source_id: int, password: str, *, now: datetime | None = None) -> PullReport:
        """Fetch new and changed items, notice deleted ones, replace the busy time."""
        moment = (now or datetime.now(UTC)).astimezone(UTC)
        source, ctag, token, known = self._state(source_id)
        dav = _Dav(source.location, source.username, password)
        try:
            new_ctag, new_token = dav.collection_tags()
            if (ctag or token) and (new_ctag, new_token) == (ctag, token):
                message = "Agenda inchangé sur le serveur : rien n'a été téléchargé."
                self._record(source_id, moment, "ok", message)
                return PullReport(source_id, True, message, moment, unchanged=True)
            listing = dav.list_etags()
            wanted = [href for href, etag in listing.items() if known.get(href) != etag]
            bodies = dav.multiget(wanted)
        except CalDavError as error:
            message = f"{error} L'ancien temps occupé est conservé."
            self._record(source_id, moment, "erreur", message)
            return PullReport(source_id, False, message, moment)
        try:
            return self._apply(source, listing, bodies, new_ctag, new_token, moment)
        except CalendarImportError as error:
            message = f"{error} L'ancien temps occupé est conservé."
            self._record(source_id, moment, "erreur", message)
            return PullReport(source_id, False, message, moment)

    def _state(self, source_id: int) -> tuple[CalendarSourceInfo, str, str, dict[str, str]]:
        with self._sessions() as session:
            row = _caldav_source(session, source_id)
            query = select(CalendarItem.href, CalendarItem.etag).where(
                CalendarItem.source_id == source_id
            )
            known = {href: etag for href, etag in session.execute(query)}
            return _info(row), row.ctag, row.sync_token, known

    def _apply(
        self,
        source: CalendarSourceInfo,
        listing: dict[str, str],
        bodies: dict[str, tuple[str, str]],
        ctag: str,
        token: str,
        moment: datetime,
    ) -> PullReport:
        with self._sessions.begin() as session:
            items = {
                item.href: item
                for item in session.scalars(
                    select(CalendarItem).where(CalendarItem.source_id == source.id)
                )
            }
            gone = sorted(set(items) - set(listing))
            freed = tuple(
                appointment
                for href in gone
                if (appointment := items[href].appointment_id) is not None
            )
            for href in gone:
                session.delete(items.pop(href))
            for href, (etag, text) in bodies.items():
                uid = _uid(text)
                item = items.get(href)
                if item is None:
                    item = CalendarItem(source_id=source.id, href=href)
                    session.add(item)
                    items[href] = item
                item.etag, item.raw_text, item.uid = etag or listing.get(href, ""), text, uid
                item.digest = _digest(text)
                if item.appointment_id is None:
                    item.appointment_id = _own_appointment(session, uid)
            for href, item in items.items():
                item.last_seen = moment
                if href in listing and not item.etag:
                    item.etag = listing[href]
            busy = self._busy(session, source, items.values(), moment)
            row = _source(session, source.id)
            row.ctag, row.sync_token = ctag[:500], token
            parts = [
                f"{len(listing)} élément(s) sur le serveur",
                f"{len(bodies)} téléchargé(s)",
                f"{busy} créneau(x) occupé(s) dans l'agenda",
            ]
            if gone:
                parts.append(f"{len(gone)} supprimé(s) sur le serveur")
            if freed:
                numbers = ", ".join(f"n°{number}" for number in freed)
                parts.append(f"rendez-vous supprimé(s) de l'agenda du serveur : {numbers}")
            message = ", ".join(parts) + "."
            row.last_sync_at, row.last_status, row.last_message = moment, "ok", message
        return PullReport(
            source.id,
            True,
            message,
            moment,
            listed=len(listing),
            fetched=len(bodies),
            deleted=tuple(gone),
            freed=freed,
            busy=busy,
        )

    def _busy(
        self,
        session: Session,
        source: CalendarSourceInfo,
        items: Iterable[CalendarItem],
        moment: datetime,
    ) -> int:
        """Replace the source's busy time with its items' (our own appointments left out)."""
        session.execute(delete(BusyTime).where(BusyTime.source_id == source.id))
        theirs = sorted(
            (item for item in items if item.appointment_id is None and item.raw_text),
            key=lambda item: item.href,
        )
        text = merge_calendars(item.raw_text for item in theirs)
        if "BEGIN:VEVENT" not in text:
            return 0
        zone_name = session.scalar(
            select(Practitioner.timezone).where(Practitioner.id == source.practitioner_id)
        )
        result = replace_busy_times(
            session,
            source_id=source.id,
            practitioner_id=source.practitioner_id,
            data=text.encode("utf-8"),
            zone=_zone(zone_name),
            moment=moment,
        )
        return len(result.busy)

    # -- outbox ------------------------------------------------------------------------
    def queue_appointment(
        self, appointment_id: int, source_id: int, action: str, *, privacy: str = "initials"
    ) -> OutboxEntry:
        """Write a push of the appointment (as it is now) to the outbox; `push` sends it."""
        if action not in ACTIONS:
            raise ValidationError(f"Action d'agenda inconnue : « {action} ».")
        with self._sessions.begin() as session:
            _caldav_source(session, source_id)
            appointment = session.get(Appointment, appointment_id)
            if appointment is None and action != "delete":
                raise NotFoundError("Ce rendez-vous n'existe plus : rien à envoyer à l'agenda.")
            payload = ""
            if appointment is not None and action != "delete":
                caller = (
                    session.get(Caller, appointment.caller_id) if appointment.caller_id else None
                )
                payload = appointment_ics(appointment, caller, privacy=privacy)
            row = CalendarOutbox(
                source_id=source_id, appointment_id=appointment_id, action=action, payload=payload
            )
            session.add(row)
            session.flush()
            return _entry(row)

    def outbox(self, source_id: int, *, state: str | None = None) -> list[OutboxEntry]:
        query = select(CalendarOutbox).where(CalendarOutbox.source_id == source_id)
        if state is not None:
            query = query.where(CalendarOutbox.state == state)
        with self._sessions() as session:
            return [_entry(row) for row in session.scalars(query.order_by(CalendarOutbox.id))]

    def push(self, source_id: int, password: str) -> PushReport:
        """Send the pending pushes in order; stop at the first one the server cannot take.

        A conflict (412) keeps the server's version on the entry; the later pushes of the
        same appointment then wait until the user has chosen.
        """
        with self._sessions() as session:
            source = _info(_caldav_source(session, source_id))
            queue = [
                row.id
                for row in session.scalars(
                    select(CalendarOutbox)
                    .where(CalendarOutbox.source_id == source_id)
                    .where(CalendarOutbox.state == "pending")
                    .order_by(CalendarOutbox.id)
                )
            ]
            blocked = set(
                session.scalars(
                    select(CalendarOutbox.appointment_id).where(
                        CalendarOutbox.source_id == source_id, CalendarOutbox.state == "conflict"
                    )
                )
            )
        dav = _Dav(source.location, source.username, password)
        sent = conflicts = 0
        failure = ""
        for entry_id in queue:
            with self._sessions.begin() as session:
                row = session.get(CalendarOutbox, entry_id)
                if row is None or row.state != "pending" or row.appointment_id in blocked:
                    continue
                try:
                    outcome = _send(session, dav, source, row)
                except CalDavError as error:
                    row.attempts += 1
                    row.last_error = str(error)
                    failure = str(error)
                    break
                if outcome == "conflict":
                    conflicts += 1
                    blocked.add(row.appointment_id)
                else:
                    sent += 1
        pending = len(self.outbox(source_id, state="pending"))
        parts = [f"{sent} envoi(s) vers l'agenda"]
        if conflicts:
            parts.append(
                f"{conflicts} conflit(s) : modifié(s) sur le serveur entre-temps, "
                "les deux versions sont conservées"
            )
        if pending:
            parts.append(f"{pending} en attente")
        message = ", ".join(parts) + "."
        if failure:
            message = f"{failure} {message}"
        return PushReport(source_id, not failure, message, sent, conflicts, pending)

    def _record(self, source_id: int, moment: datetime, status: str, message: str) -> None:
        with self._sessions.begin() as session:
            row = _source(session, source_id)
            row.last_sync_at, row.last_status, row.last_message = moment, status, message


# -- pushing one entry ---------------------------------------------------------------------
def _send(session: Session, dav: _Dav, source: CalendarSourceInfo, row: CalendarOutbox) -> str:
    """ "sent" or "conflict"; CalDavError when the server cannot take it now."""
    item = session.scalars(
        select(CalendarItem).where(
            CalendarItem.source_id == source.id,
            CalendarItem.appointment_id == row.appointment_id,
        )
    ).first()
    href = item.href if item is not None else _appointment_href(source.location, row)
    if row.action == "delete":
        if item is None:
            return _done(row)
        answer = dav.send("DELETE", href, headers=_if_match(item.etag))
        if answer.status in (200, 204, 404):
            session.delete(item)
            return _done(row)
    else:
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        headers.update(_if_match(item.etag) if item is not None else {"If-None-Match": "*"})
        answer = dav.send("PUT", href, row.payload, headers)
        if answer.status in (200, 201, 204):
            etag = answer.headers.get("ETag", "") or dav.etag_of(href)
            if item is None:
                item = CalendarItem(
                    source_id=source.id, href=href, appointment_id=row.appointment_id
                )
                session.add(item)
            item.etag, item.raw_text, item.digest = etag, row.payload, _digest(row.payload)
            item.uid, item.last_seen = _uid(row.payload), datetime.now(UTC)
            return _done(row)
    if answer.status == 412:
        remote = dav.send("GET", href)
        row.state = "conflict"
        row.remote_etag = remote.headers.get("ETag", "") if remote.status == 200 else ""
        row.remote_text = remote.text if remote.status == 200 else ""
        row.last_error = (
            "Conflit : ce rendez-vous a été modifié sur le serveur depuis le dernier envoi. "
            "Rien n'a été écrasé ; les deux versions sont conservées, choisissez laquelle garder."
        )
        return "conflict"
    raise CalDavError(_http_problem(answer.status, urlsplit(href).netloc))


def _done(row: CalendarOutbox) -> str:
    row.state, row.last_error = "sent", ""
    return "sent"


def _if_match(etag: str) -> dict[str, str]:
    return {"If-Match": etag} if etag else {}


def _appointment_href(collection: str, row: CalendarOutbox) -> str:
    return urljoin(_collection(collection), f"appointment-{row.appointment_id}.ics")


# -- the VEVENT of an appointment ------------------------------------------------------------
def appointment_uid(appointment_id: int) -> str:
    return f"appointment-{appointment_id}@permanence"


def appointment_ics(
    appointment: Appointment, caller: Caller | None, *, privacy: str = "initials"
) -> str:
    """The appointment as a VCALENDAR; by default the summary shows only the initials."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", appointment_uid(appointment.id))
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", appointment.starts_at.astimezone(UTC))
    event.add("dtend", appointment.ends_at.astimezone(UTC))
    summary = "Rendez-vous"
    if caller is not None and privacy == "full":
        summary = f"Rendez-vous {caller.first_name} {caller.last_name}".strip()
    elif caller is not None and privacy == "initials":
        initials = "".join(
            f"{part[0].upper()}." for part in (caller.first_name, caller.last_name) if part
        )
        summary = f"Rendez-vous {initials}".strip()
    event.add("summary", summary)
    event.add("status", "CANCELLED" if appointment.status == "cancelled" else "CONFIRMED")
    calendar.add_component(event)
    return bytes(calendar.to_ical()).decode("utf-8")


# -- merging the items into one calendar -----------------------------------------------------
def merge_calendars(texts: Iterable[str]) -> str:
    """One VCALENDAR holding every component of `texts` (each VTIMEZONE once)."""
    zones: dict[str, list[str]] = {}
    others: list[str] = []
    for text in texts:
        for block in _components(text):
            if block[0].upper() == "BEGIN:VTIMEZONE":
                tzid = next((line for line in block if line.upper().startswith("TZID")), "")
                zones.setdefault(tzid, block)
            else:
                others.extend(block)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}"]
    for block in zones.values():
        lines.extend(block)
    lines.extend(others)
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def _components(text: str) -> list[list[str]]:
    """The top-level components inside the VCALENDAR(s) of `text`, as lists of lines."""
    blocks: list[list[str]] = []
    current: list[str] = []
    depth = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        upper = line.upper()
        if upper.startswith("BEGIN:"):
            depth += 1
        if depth >= 2:
            if line[0] in " \t" and not current:
                continue
            current.append(line)
        if upper.startswith("END:"):
            depth -= 1
            if depth == 1 and current:
                blocks.append(current)
                current = []
    return blocks


def _uid(text: str) -> str | None:
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    match = re.search(r"^UID(?:;[^:]*)?:(.*?)\s*$", unfolded, re.MULTILINE | re.IGNORECASE)
    return match.group(1) if match else None


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _own_appointment(session: Session, uid: str | None) -> int | None:
    match = _APPOINTMENT_UID.match(uid or "")
    if match is None:
        return None
    number = int(match.group(1))
    return number if session.get(Appointment, number) is not None else None


# -- talking to the server -------------------------------------------------------------------
def _client(url: str, username: str, password: str) -> DAVClient:
    from caldav.davclient import DAVClient

    return DAVClient(url=url, username=username or None, password=password or None, timeout=TIMEOUT)


class _Dav:
    """The few WebDAV requests the sync needs, over the `caldav` library's client."""

    def __init__(self, collection: str, username: str, password: str) -> None:
        self.collection = _collection(collection)
        self.host = urlsplit(self.collection).netloc
        self._client = _client(self.collection, username, password)

    def send(
        self, method: str, url: str, body: str = "", headers: Mapping[str, str] | None = None
    ) -> _Answer:
        try:
            answer = self._client.request(url, method, body, dict(headers or {}))
            raw = answer.raw
        except Exception as error:  # network, TLS, authorisation: all become French
            raise CalDavError(_problem(error, self.host)) from None
        text = raw if isinstance(raw, str) else bytes(raw).decode("utf-8", "replace")
        return _Answer(int(answer.status), dict(answer.headers), text)

    def _propfind(self, url: str, depth: str, props: str) -> ET.Element:
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            f'<d:propfind xmlns:d="DAV:" xmlns:cs="{_CS}"><d:prop>{props}</d:prop></d:propfind>'
        )
        headers = {"Depth": depth, "Content-Type": "application/xml; charset=utf-8"}
        answer = self.send("PROPFIND", url, body, headers)
        if answer.status == 404:
            raise CalDavError(
                f"Agenda introuvable sur « {self.host} » : l'adresse a changé ou l'agenda "
                "a été supprimé."
            )
        if answer.status != 207:
            raise CalDavError(_http_problem(answer.status, self.host))
        return _xml(answer.text, self.host)

    def collection_tags(self) -> tuple[str, str]:
        """(CTag, sync-token) of the calendar; CalDavError when it is not a calendar."""
        tree = self._propfind(self.collection, "0", "<d:resourcetype/><cs:getctag/><d:sync-token/>")
        if tree.find(f".//{{{_DAV}}}resourcetype/{{{_CALDAV}}}calendar") is None:
            raise CalDavError(
                f"L'adresse sur « {self.host} » n'est pas un agenda CalDAV (c'est peut-être "
                "le compte ou un carnet d'adresses) : choisissez un agenda dans la liste."
            )
        return _text(tree, f"{{{_CS}}}getctag"), _text(tree, f"{{{_DAV}}}sync-token")

    def list_etags(self) -> dict[str, str]:
        """href → ETag of every calendar object of the collection."""
        tree = self._propfind(self.collection, "1", "<d:resourcetype/><d:getetag/>")
        own = _path(self.collection)
        found: dict[str, str] = {}
        for response in tree.iter(f"{{{_DAV}}}response"):
            href = response.findtext(f"{{{_DAV}}}href", "").strip()
            if not href or _path(href) == own:
                continue
            if response.find(f".//{{{_DAV}}}resourcetype/{{{_DAV}}}collection") is not None:
                continue
            found[urljoin(self.collection, href)] = _text(response, f"{{{_DAV}}}getetag")
        return found

    def multiget(self, hrefs: list[str]) -> dict[str, tuple[str, str]]:
        """href → (ETag, calendar data) of `hrefs`, in batches."""
        found: dict[str, tuple[str, str]] = {}
        for start in range(0, len(hrefs), MULTIGET_BATCH):
            batch = hrefs[start : start + MULTIGET_BATCH]
            wanted = "".join(f"<d:href>{_escape(urlsplit(href).path)}</d:href>" for href in batch)
            body = (
                '<?xml version="1.0" encoding="utf-8"?>'
                f'<c:calendar-multiget xmlns:d="DAV:" xmlns:c="{_CALDAV}">'
                f"<d:prop><d:getetag/><c:calendar-data/></d:prop>{wanted}</c:calendar-multiget>"
            )
            headers = {"Depth": "1", "Content-Type": "application/xml; charset=utf-8"}
            answer = self.send("REPORT", self.collection, body, headers)
            if answer.status != 207:
                raise CalDavError(_http_problem(answer.status, self.host))
            tree = _xml(answer.text, self.host)
            for response in tree.iter(f"{{{_DAV}}}response"):
                href = urljoin(self.collection, response.findtext(f"{{{_DAV}}}href", "").strip())
                data = _text(response, f"{{{_CALDAV}}}calendar-data")
                if data:
                    found[href] = (_text(response, f"{{{_DAV}}}getetag"), data)
        return found

    def etag_of(self, href: str) -> str:
        try:
            return _text(self._propfind(href, "0", "<d:getetag/>"), f"{{{_DAV}}}getetag")
        except CalDavError:
            return ""


def _xml(text: str, host: str) -> ET.Element:
    try:
        return ET.fromstring(text)
    except ET.ParseError:
        raise CalDavError(
            f"Réponse illisible du serveur « {host} » : ce n'est pas un serveur CalDAV ?"
        ) from None


def _text(tree: ET.Element, tag: str) -> str:
    element = tree.find(f".//{tag}")
    return (element.text or "").strip() if element is not None else ""


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _path(url: str) -> str:
    return unquote(urlsplit(url).path).rstrip("/")


def _collection(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _last_segment(url: str) -> str:
    return _path(url).rsplit("/", 1)[-1] or url


def _problem(error: BaseException, host: str) -> str:
    """The French reason for an exception raised while talking to the server."""
    name = type(error).__name__
    text = str(error)
    if name == "AuthorizationError" or " 401" in text or "Unauthorized" in text:
        return (
            f"Identifiant ou mot de passe refusé par « {host} » : vérifiez-les "
            "(certains services demandent un mot de passe d'application)."
        )
    if "CERTIFICATE" in text.upper() or name == "SSLCertVerificationError":
        return (
            f"Problème de certificat de sécurité avec « {host} » : la connexion n'est pas "
            "sûre, rien n'a été échangé."
        )
    if "timed out" in text.lower() or isinstance(error, TimeoutError) or "Timeout" in name:
        return f"Le serveur d'agenda « {host} » ne répond pas (délai dépassé)."
    if isinstance(error, OSError):
        return (
            f"Serveur d'agenda « {host} » injoignable : vérifiez l'adresse et la connexion "
            "Internet. Les envois attendent et partiront au retour du serveur."
        )
    if name == "NotFoundError":
        return f"Agenda introuvable sur « {host} » : l'adresse a changé ou il a été supprimé."
    return f"Le serveur d'agenda « {host} » a répondu de façon inattendue ({name})."


def _http_problem(code: int, host: str) -> str:
    if code in (401, 403):
        return (
            f"Accès refusé par « {host} » (HTTP {code}) : vérifiez l'identifiant "
            "et le mot de passe."
        )
    if code in (404, 410):
        return f"Agenda introuvable sur « {host} » (HTTP {code})."
    if code >= 500:
        return f"Le serveur d'agenda « {host} » est en panne (HTTP {code}) : réessayez plus tard."
    return f"Le serveur d'agenda « {host} » a refusé la demande (HTTP {code})."


def _caldav_source(session: Session, source_id: int) -> CalendarSource:
    row = _source(session, source_id)
    if row.kind != "caldav":
        raise ValidationError("Cet agenda n'est pas un agenda CalDAV.")
    return row


def _entry(row: CalendarOutbox) -> OutboxEntry:
    return OutboxEntry(
        row.id,
        row.source_id,
        row.appointment_id,
        row.action,
        row.state,
        row.attempts,
        row.last_error,
        row.payload,
        row.remote_etag,
        row.remote_text,
        row.created_at,
    )


__all__ = [
    "CalDavError",
    "CalDavService",
    "OutboxEntry",
    "PullReport",
    "PushReport",
    "appointment_ics",
    "appointment_uid",
    "merge_calendars",
]
