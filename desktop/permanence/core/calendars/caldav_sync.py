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

import functools
import hashlib
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar
from urllib.parse import unquote, urljoin, urlsplit

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from permanence.core.calendars.busy import replace_busy_times
from permanence.core.calendars.caldav_items import (
    CALLBACKS_AS,
    PRIVACY_LABELS,
    EventFacts,
    callback_todo_ics,
    event_facts,
    french_moment,
    is_callback_uid,
    without_stamp,
)
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
    Practice,
    Practitioner,
    Setting,
)
from permanence.core.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from caldav.davclient import DAVClient

    from permanence.core.messages.service import MessagesService

P = ParamSpec("P")
R = TypeVar("R")

#: Seconds to wait for the CalDAV server.
TIMEOUT = 20
#: Items per calendar-multiget REPORT.
MULTIGET_BATCH = 100
ACTIONS = ("create", "update", "delete")
#: `last_status` of a source whose server could not be reached at the last sync.
OFFLINE = "hors ligne"
PRODID = "-//Permanence//Agenda//FR"

_DAV = "DAV:"
_CALDAV = "urn:ietf:params:xml:ns:caldav"
_CS = "http://calendarserver.org/ns/"
_APPOINTMENT_UID = re.compile(r"^appointment-(\d+)@permanence$")


class CalDavError(Exception):
    """The server could not be used; the message is French, for the user.

    `offline`: the server could not be reached at all (network down, timeout): the pushes
    wait and the source shows « hors ligne » rather than an error.
    """

    def __init__(self, message: str, *, offline: bool = False) -> None:
        super().__init__(message)
        self.offline = offline


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
    moved: tuple[int, ...] = ()
    #: French lines for the user: our appointments freed or moved on the server, conflicts.
    notices: tuple[str, ...] = ()
    offline: bool = False


@dataclass(frozen=True, slots=True)
class PushReport:
    source_id: int
    ok: bool
    message: str
    sent: int = 0
    conflicts: int = 0
    pending: int = 0
    offline: bool = False


@dataclass(frozen=True, slots=True)
class CallbackPushReport:
    """Callbacks written as VTODOs: `refused` ones had changed on the server (kept)."""

    source_id: int
    ok: bool
    message: str
    sent: int = 0
    removed: int = 0
    unchanged: int = 0
    refused: int = 0
    offline: bool = False


@dataclass(frozen=True, slots=True)
class SyncResult:
    """« Synchroniser maintenant » of one CalDAV source: its three steps, and what to tell."""

    source_id: int
    ok: bool
    offline: bool
    message: str
    synced_at: datetime
    notices: tuple[str, ...]
    conflicts: int
    pending: int
    pull: PullReport | None
    push: PushReport | None
    callbacks: CallbackPushReport | None


@dataclass(frozen=True, slots=True)
class CalDavState:
    """The sync state of a source, as the sources list shows it."""

    source_id: int
    last_sync_at: datetime | None
    last_status: str  # "ok", "hors ligne", "erreur" or "" (never synchronised)
    last_message: str
    conflicts: int
    pending: int

    @property
    def label(self) -> str:
        """ "OK", "hors ligne", "conflit (2)", "erreur", "jamais synchronisé"."""
        if self.conflicts:
            return f"conflit ({self.conflicts})"
        if self.last_status == "ok":
            return "OK"
        return self.last_status or "jamais synchronisé"


@dataclass(frozen=True, slots=True)
class ConflictInfo:
    """A refused push with both versions: `ours` None when Permanence deletes it,
    `theirs` None when the server no longer has it."""

    entry_id: int
    source_id: int
    appointment_id: int
    action: str
    caller_name: str
    ours: EventFacts | None
    theirs: EventFacts | None
    message: str
    zone: str


@dataclass(frozen=True, slots=True)
class ResolveReport:
    entry_id: int
    keep: str
    ok: bool
    message: str
    push: PushReport | None = None


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


def _one_at_a_time(
    method: Callable[Concatenate[CalDavService, int, P], R],
) -> Callable[Concatenate[CalDavService, int, P], R]:
    """Hold the source's lock (its first argument) while the method runs."""

    @functools.wraps(method)
    def locked(self: CalDavService, source_id: int, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self.lock(source_id):
            return method(self, source_id, *args, **kwargs)

    return locked


class CalDavService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._locks: dict[int, threading.RLock] = {}
        self._locks_guard = threading.Lock()

    def lock(self, source_id: int) -> threading.RLock:
        """One sync of a source at a time (the timer and « Synchroniser maintenant » may
        meet): two pushes of the same outbox entry would make a false conflict."""
        with self._locks_guard:
            return self._locks.setdefault(source_id, threading.RLock())

    # -- sources -----------------------------------------------------------------------
    def add_source(
        self,
        practitioner_id: int,
        url: str,
        username: str,
        *,
        label: str = "",
        privacy: str = "initials",
    ) -> CalendarSourceInfo:
        """A CalDAV calendar (its collection URL); the same one already set up is reused
        (with the privacy level given now)."""
        location = _collection(check_url(url))
        _check_privacy(privacy)
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
                existing.privacy = privacy
                existing.username = username.strip()[:200] or existing.username
                if label:
                    existing.label = label[:200]
                return _info(existing)
            row = CalendarSource(
                practitioner_id=practitioner_id,
                kind="caldav",
                location=location,
                username=username.strip()[:200],
                label=(label or urlsplit(location).netloc)[:200],
                privacy=privacy,
            )
            session.add(row)
            session.flush()
            return _info(row)

    def set_privacy(self, source_id: int, privacy: str) -> CalendarSourceInfo:
        """What the calendar receives from now on ("full", "initials", "minimal")."""
        _check_privacy(privacy)
        with self._sessions.begin() as session:
            row = _caldav_source(session, source_id)
            row.privacy = privacy
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
            host = urlsplit(location).netloc
            raise CalDavError(_problem(error, host), offline=_unreachable(error)) from None

    # -- pull --------------------------------------------------------------------------
    @_one_at_a_time
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
            status = OFFLINE if error.offline else "erreur"
            self._record(source_id, moment, status, message)
            return PullReport(source_id, False, message, moment, offline=error.offline)
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
            changes = _OwnChanges(session, source, moment)
            for href in gone:
                old = items.pop(href)
                if old.appointment_id is not None:
                    changes.deleted(old.appointment_id)
                session.delete(old)
            for href, (etag, text) in bodies.items():
                uid = _uid(text)
                item = items.get(href)
                if item is None:
                    item = CalendarItem(source_id=source.id, href=href)
                    session.add(item)
                    items[href] = item
                item.etag, item.raw_text, item.uid = etag or listing.get(href, ""), text, uid
                if not (is_callback_uid(uid) and item.digest):  # ours: what we last sent
                    item.digest = _digest(text)
                if item.appointment_id is None:
                    item.appointment_id = _own_appointment(session, uid)
                if item.appointment_id is not None:
                    changes.changed(item.appointment_id, text, item.etag)
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
            freed = tuple(changes.freed)
            if freed:
                numbers = ", ".join(f"n°{number}" for number in freed)
                parts.append(f"rendez-vous supprimé(s) de l'agenda du serveur : {numbers}")
            if changes.moved:
                numbers = ", ".join(f"n°{number}" for number in changes.moved)
                parts.append(f"rendez-vous déplacé(s) sur le serveur : {numbers}")
            message = ", ".join(parts) + "."
            if changes.notices:
                message += " " + " ".join(changes.notices)
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
            moved=tuple(changes.moved),
            notices=tuple(changes.notices),
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
            (
                item
                for item in items
                if item.appointment_id is None and item.raw_text and not is_callback_uid(item.uid)
            ),
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
        self, appointment_id: int, source_id: int, action: str, *, privacy: str | None = None
    ) -> OutboxEntry:
        """Write a push of the appointment (as it is now) to the outbox; `push` sends it.

        The summary follows the source's privacy level unless `privacy` is given.
        """
        if action not in ACTIONS:
            raise ValidationError(f"Action d'agenda inconnue : « {action} ».")
        with self._sessions.begin() as session:
            source_row = _caldav_source(session, source_id)
            privacy = privacy or source_row.privacy
            appointment = session.get(Appointment, appointment_id)
            if appointment is None and action != "delete":
                raise NotFoundError("Ce rendez-vous n'existe plus : rien à envoyer à l'agenda.")
            payload = ""
            if appointment is not None and action != "delete":
                caller = (
                    session.get(Caller, appointment.caller_id) if appointment.caller_id else None
                )
                practice = session.scalar(
                    select(Practice.address)
                    .join(Practitioner, Practitioner.practice_id == Practice.id)
                    .where(Practitioner.id == appointment.practitioner_id)
                )
                payload = appointment_ics(
                    appointment, caller, privacy=privacy, location=(practice or "").strip()
                )
            # The same change already waiting (booking queues it, so may a caller): once.
            # Compared without DTSTAMP, which changes with each second of writing.
            waiting = session.scalars(
                select(CalendarOutbox)
                .where(
                    CalendarOutbox.source_id == source_id,
                    CalendarOutbox.appointment_id == appointment_id,
                    CalendarOutbox.action == action,
                    CalendarOutbox.state == "pending",
                )
                .order_by(CalendarOutbox.id.desc())
            ).first()
            if waiting is not None and without_stamp(waiting.payload) == without_stamp(payload):
                return _entry(waiting)
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

    @_one_at_a_time
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
        offline = False
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
                    failure, offline = str(error), error.offline
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
        return PushReport(source_id, not failure, message, sent, conflicts, pending, offline)

    # -- conflicts ---------------------------------------------------------------------
    def conflicts(self, source_id: int) -> list[ConflictInfo]:
        """The pushes the server refused because its copy had changed, with both versions."""
        with self._sessions() as session:
            source = _caldav_source(session, source_id)
            zone = _zone(
                session.scalar(
                    select(Practitioner.timezone).where(Practitioner.id == source.practitioner_id)
                )
            )
            rows = list(
                session.scalars(
                    select(CalendarOutbox)
                    .where(
                        CalendarOutbox.source_id == source_id,
                        CalendarOutbox.state == "conflict",
                    )
                    .order_by(CalendarOutbox.id)
                )
            )
            found = []
            for row in rows:
                appointment = session.get(Appointment, row.appointment_id)
                caller = (
                    session.get(Caller, appointment.caller_id)
                    if appointment is not None and appointment.caller_id
                    else None
                )
                name = (
                    " ".join(p for p in (caller.last_name.upper(), caller.first_name) if p)
                    if caller is not None
                    else ""
                )
                found.append(
                    ConflictInfo(
                        entry_id=row.id,
                        source_id=source_id,
                        appointment_id=row.appointment_id,
                        action=row.action,
                        caller_name=name,
                        ours=event_facts(row.payload, zone) if row.action != "delete" else None,
                        theirs=event_facts(row.remote_text, zone),
                        message=row.last_error,
                        zone=zone.key,
                    )
                )
            return found

    def resolve_conflict(
        self, entry_id: int, keep: str, password: str | None = None
    ) -> ResolveReport:
        """End a conflict. `keep`: "ours" (« garder la version de Permanence »: ours is sent
        again with If-Match on the server's new ETag, so a newer change there is again a
        conflict) or "theirs" (« garder la version du serveur »: the appointment takes the
        server's time, or is cancelled if the server deleted it; Permanence's unsent changes
        of that appointment are dropped). With `password`, "ours" is pushed at once;
        otherwise (or offline) it waits in the outbox."""
        if keep not in ("ours", "theirs"):
            raise ValidationError(f"Choix de conflit inconnu : « {keep} ».")
        moment = datetime.now(UTC)
        with self._sessions.begin() as session:
            row = session.get(CalendarOutbox, entry_id)
            if row is None or row.state != "conflict":
                raise NotFoundError("Ce conflit n'existe plus : il a déjà été réglé.")
            source = _info(_caldav_source(session, row.source_id))
            item = session.scalars(
                select(CalendarItem).where(
                    CalendarItem.source_id == source.id,
                    CalendarItem.appointment_id == row.appointment_id,
                )
            ).first()
            if keep == "ours":
                message = _keep_ours(session, source, row, item)
            else:
                message = _keep_theirs(session, source, row, item, moment)
        if keep == "ours" and password is not None:
            push = self.push(source.id, password)
            still = [e for e in self.outbox(source.id) if e.id == entry_id]
            state = still[0].state if still else ""
            if state == "sent":
                message = "Version de Permanence gardée : elle a remplacé celle du serveur."
            elif state == "conflict":
                message = (
                    "Le serveur a encore changé entre-temps : nouveau conflit, "
                    "comparez de nouveau les deux versions."
                )
            else:
                message = f"Version de Permanence gardée ; envoi en attente ({push.message})"
            return ResolveReport(entry_id, keep, state == "sent", message, push)
        return ResolveReport(entry_id, keep, True, message)

    # -- callbacks as VTODO ------------------------------------------------------------
    @_one_at_a_time
    def callbacks_as(self, source_id: int) -> str:
        """ "todo" (default) or "event": how this calendar receives callbacks."""
        with self._sessions() as session:
            value = session.scalar(
                select(Setting.value).where(Setting.key == f"caldav.callbacks_as.{source_id}")
            )
        return value if value in CALLBACKS_AS else "todo"

    def set_callbacks_as(self, source_id: int, kind: str) -> None:
        if kind not in CALLBACKS_AS:
            raise ValidationError(f"Forme de rappel inconnue : « {kind} ».")
        with self._sessions.begin() as session:
            session.merge(Setting(key=f"caldav.callbacks_as.{source_id}", value=kind))

    def push_callbacks(
        self, source_id: int, password: str, *, now: datetime | None = None
    ) -> CallbackPushReport:
        """Write the practitioner's open callbacks as VTODOs (DUE, summary per the source's
        privacy level); one no longer open is removed. The same UID updates; an unchanged
        callback is not sent again; a copy changed on the server is not overwritten."""
        moment = (now or datetime.now(UTC)).astimezone(UTC)
        as_event = self.callbacks_as(source_id) == "event"
        with self._sessions() as session:
            source = _info(_caldav_source(session, source_id))
            known = {
                item.uid or "": (item.href, item.etag, item.digest)
                for item in session.scalars(
                    select(CalendarItem).where(CalendarItem.source_id == source_id)
                )
                if is_callback_uid(item.uid)
            }
        callbacks = [
            callback
            for callback in _callbacks_service(self._sessions).callbacks(
                moment, practitioner_id=source.practitioner_id
            )
            if callback.practitioner_id == source.practitioner_id
        ]
        dav = _Dav(source.location, source.username, password)
        sent = removed = unchanged = refused = 0
        failure = ""
        offline = False
        try:
            for callback in callbacks:
                payload = callback_todo_ics(
                    callback, source.privacy, stamp=moment, as_event=as_event
                )
                digest = _digest(without_stamp(payload))
                href, etag, old_digest = known.pop(
                    callback.uid, (urljoin(dav.collection, _todo_name(callback.uid)), "", "")
                )
                if old_digest == digest:
                    unchanged += 1
                    continue
                headers = {"Content-Type": "text/calendar; charset=utf-8"}
                headers.update(_if_match(etag) if etag else {"If-None-Match": "*"})
                answer = dav.send("PUT", href, payload, headers)
                if answer.status == 412:
                    refused += 1
                    continue
                if answer.status not in (200, 201, 204):
                    raise CalDavError(_http_problem(answer.status, dav.host))
                new_etag = answer.headers.get("ETag", "") or dav.etag_of(href)
                self._remember(source_id, href, callback.uid, new_etag, payload, digest, moment)
                sent += 1
            for uid, (href, etag, _old) in known.items():  # done or gone: remove it
                answer = dav.send("DELETE", href, headers=_if_match(etag))
                if answer.status in (200, 204, 404):
                    self._forget(source_id, uid)
                    removed += 1
                elif answer.status == 412:
                    refused += 1
                else:
                    raise CalDavError(_http_problem(answer.status, dav.host))
        except CalDavError as error:
            failure, offline = str(error), error.offline
        parts = [f"{sent} rappel(s) envoyé(s)"]
        if removed:
            parts.append(f"{removed} rappel(s) fait(s) retiré(s)")
        if unchanged:
            parts.append(f"{unchanged} inchangé(s)")
        if refused:
            parts.append(f"{refused} modifié(s) sur le serveur, laissé(s) tel(s) quel(s)")
        level = PRIVACY_LABELS.get(source.privacy, source.privacy)
        message = ", ".join(parts) + f" (confidentialité : {level})."
        if failure:
            message = f"{failure} {message}"
        return CallbackPushReport(
            source_id, not failure, message, sent, removed, unchanged, refused, offline
        )

    def _remember(
        self,
        source_id: int,
        href: str,
        uid: str,
        etag: str,
        payload: str,
        digest: str,
        moment: datetime,
    ) -> None:
        with self._sessions.begin() as session:
            item = session.scalars(
                select(CalendarItem).where(
                    CalendarItem.source_id == source_id, CalendarItem.href == href
                )
            ).first()
            if item is None:
                item = CalendarItem(source_id=source_id, href=href)
                session.add(item)
            item.uid, item.etag, item.raw_text, item.digest = uid, etag, payload, digest
            item.last_seen = moment

    def _forget(self, source_id: int, uid: str) -> None:
        with self._sessions.begin() as session:
            session.execute(
                delete(CalendarItem).where(
                    CalendarItem.source_id == source_id, CalendarItem.uid == uid
                )
            )

    # -- the whole sync, and its state -------------------------------------------------
    @_one_at_a_time
    def sync(self, source_id: int, password: str, *, now: datetime | None = None) -> SyncResult:
        """« Synchroniser maintenant »: send the outbox, then the callbacks, then read the
        server (so a change made on both sides is a conflict, never an overwrite)."""
        moment = (now or datetime.now(UTC)).astimezone(UTC)
        push = self.push(source_id, password)
        offline = push.offline
        callbacks: CallbackPushReport | None = None
        pull: PullReport | None = None
        if not offline:
            callbacks = self.push_callbacks(source_id, password, now=moment)
            offline = callbacks.offline
        if not offline:
            pull = self.pull(source_id, password, now=moment)
            offline = pull.offline
        state = self.state(source_id)
        ok = push.ok and (callbacks is None or callbacks.ok) and (pull is None or pull.ok)
        lines = []
        if pull is not None:
            lines.append(pull.message)
        if push.sent or push.conflicts or push.pending or not push.ok:
            lines.append(push.message)
        if callbacks is not None:
            lines.append(callbacks.message)
        status = "ok" if ok else (OFFLINE if offline else "erreur")
        if offline:
            lines.insert(
                0,
                "Serveur injoignable : hors ligne. Les envois attendent et partiront "
                "à la prochaine synchronisation.",
            )
        message = " ".join(dict.fromkeys(line for line in lines if line))
        self._record(source_id, moment, status, message)
        return SyncResult(
            source_id=source_id,
            ok=ok,
            offline=offline,
            message=message,
            synced_at=moment,
            notices=pull.notices if pull is not None else (),
            conflicts=state.conflicts,
            pending=state.pending,
            pull=pull,
            push=push,
            callbacks=callbacks,
        )

    def state(self, source_id: int) -> CalDavState:
        """What the sources list shows: last sync, OK / hors ligne / conflit n, pending."""
        with self._sessions() as session:
            row = _caldav_source(session, source_id)
            counts: dict[str, int] = {}
            for state in session.scalars(
                select(CalendarOutbox.state).where(
                    CalendarOutbox.source_id == source_id,
                    CalendarOutbox.state.in_(("pending", "conflict")),
                )
            ):
                counts[state] = counts.get(state, 0) + 1
            return CalDavState(
                source_id,
                row.last_sync_at,
                row.last_status,
                row.last_message,
                counts.get("conflict", 0),
                counts.get("pending", 0),
            )

    def _record(self, source_id: int, moment: datetime, status: str, message: str) -> None:
        with self._sessions.begin() as session:
            row = _source(session, source_id)
            row.last_sync_at, row.last_status, row.last_message = moment, status, message


# -- our appointments changed on the server ----------------------------------------------------
class _OwnChanges:
    """Applies, inside a pull's transaction, what the server did to our pushed appointments.

    Deleted (or STATUS:CANCELLED) on the server: the appointment is cancelled, with a note
    saying who, when and why. Moved (DTSTART / DTEND changed): the appointment follows.
    When Permanence also has an unsent change of that appointment, nothing is applied: the
    change becomes a conflict holding the server's version, for the user to choose.
    """

    def __init__(self, session: Session, source: CalendarSourceInfo, moment: datetime) -> None:
        self.session = session
        self.source = source
        self.moment = moment
        zone_name = session.scalar(
            select(Practitioner.timezone).where(Practitioner.id == source.practitioner_id)
        )
        self.zone = _zone(zone_name)
        self.freed: list[int] = []
        self.moved: list[int] = []
        self.notices: list[str] = []

    def _unsent(self, appointment_id: int) -> list[CalendarOutbox]:
        return list(
            self.session.scalars(
                select(CalendarOutbox)
                .where(
                    CalendarOutbox.source_id == self.source.id,
                    CalendarOutbox.appointment_id == appointment_id,
                    CalendarOutbox.state.in_(("pending", "conflict")),
                )
                .order_by(CalendarOutbox.id)
            )
        )

    def _booked(self, appointment_id: int) -> Appointment | None:
        row = self.session.get(Appointment, appointment_id)
        return row if row is not None and row.status == "booked" else None

    def deleted(self, appointment_id: int) -> None:
        unsent = self._unsent(appointment_id)
        if unsent and all(entry.action == "delete" for entry in unsent):
            for entry in unsent:  # we wanted it gone too
                entry.state, entry.last_error = "sent", ""
            unsent = []
        if unsent:
            self._conflict(unsent, appointment_id, "", "")
            return
        row = self._booked(appointment_id)
        if row is not None:
            self._free(row, "événement supprimé de l'agenda du praticien sur le serveur")

    def changed(self, appointment_id: int, text: str, etag: str) -> None:
        row = self._booked(appointment_id)
        if row is None:
            return
        facts = event_facts(text, self.zone)
        if facts is None:
            return
        if not facts.cancelled and (facts.start, facts.end) == (row.starts_at, row.ends_at):
            return  # the title or a note changed: nothing to do in the agenda
        unsent = self._unsent(appointment_id)
        if unsent:
            self._conflict(unsent, appointment_id, text, etag)
        elif facts.cancelled:
            self._free(row, "événement annulé dans l'agenda du praticien sur le serveur")
        else:
            self._move(row, facts.start, facts.end)

    def _who(self, row: Appointment) -> str:
        caller = self.session.get(Caller, row.caller_id) if row.caller_id else None
        if caller is None:
            return f"Rendez-vous n°{row.id}"
        name = " ".join(p for p in (caller.last_name.upper(), caller.first_name) if p)
        return f"Rendez-vous de {name} (n°{row.id})" if name else f"Rendez-vous n°{row.id}"

    def _trace(self, row: Appointment, what: str, why: str) -> None:
        stamp = self.moment.strftime("%d/%m/%Y %H:%M UTC")
        line = (
            f"{what} le {stamp} par la synchronisation de l'agenda « {self.source.label} » "
            f"(CalDAV) : {why}."
        )
        row.notes = f"{row.notes}\n{line}" if row.notes.strip() else line

    def _free(self, row: Appointment, why: str) -> None:
        when = french_moment(row.starts_at, self.zone)
        row.status = "cancelled"
        self._trace(row, "Annulé", why)
        self.freed.append(row.id)
        self.notices.append(
            f"{self._who(row)} du {when} annulé : {why}. Le créneau est libéré ; "
            "prévenez le patient si besoin."
        )

    def _move(self, row: Appointment, start: datetime, end: datetime) -> None:
        before = french_moment(row.starts_at, self.zone)
        length = row.ends_at - row.starts_at
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        row.starts_at, row.ends_at = start, (end if end > start else start + length)
        after = french_moment(start, self.zone)
        self._trace(row, "Déplacé", f"déplacé sur le serveur du {before} au {after}")
        self.moved.append(row.id)
        notice = f"{self._who(row)} déplacé sur le serveur : du {before} au {after}."
        clash = self.session.scalars(
            select(Appointment).where(
                Appointment.practitioner_id == row.practitioner_id,
                Appointment.status == "booked",
                Appointment.id != row.id,
                Appointment.starts_at < row.ends_at,
                Appointment.ends_at > row.starts_at,
            )
        ).first()
        if clash is not None:
            notice += (
                f" Attention : il chevauche le rendez-vous n°{clash.id} "
                f"({french_moment(clash.starts_at, self.zone)}) ; à vérifier."
            )
        self.notices.append(notice)

    def _conflict(
        self, unsent: list[CalendarOutbox], appointment_id: int, text: str, etag: str
    ) -> None:
        first = next((entry for entry in unsent if entry.state == "conflict"), unsent[0])
        if first.state == "conflict" and first.remote_etag == etag and etag:
            return  # already known (the push that just ran found it)
        first.state = "conflict"
        first.remote_text, first.remote_etag = text, etag
        first.last_error = (
            "Conflit : ce rendez-vous a été "
            + ("supprimé" if not text else "modifié")
            + " sur le serveur alors que Permanence avait une modification à envoyer. "
            "Rien n'a été écrasé ; choisissez la version à garder."
        )
        row = self.session.get(Appointment, appointment_id)
        who = self._who(row) if row is not None else f"Rendez-vous n°{appointment_id}"
        self.notices.append(
            f"{who} : conflit, modifié des deux côtés. Choisissez la version à garder."
        )


# -- resolving a conflict --------------------------------------------------------------------
def _keep_ours(
    session: Session, source: CalendarSourceInfo, row: CalendarOutbox, item: CalendarItem | None
) -> str:
    """Send ours again, matching the server's current copy (its ETag) or creating it."""
    if row.action == "delete" and not row.remote_text:
        row.state, row.last_error = "sent", ""  # both sides want it gone
        return "Rendez-vous supprimé des deux côtés : rien à envoyer."
    if row.remote_text and row.remote_etag:
        if item is None:
            href = _appointment_href(source.location, row)
            item = session.scalars(
                select(CalendarItem).where(
                    CalendarItem.source_id == source.id, CalendarItem.href == href
                )
            ).first()
            if item is None:
                item = CalendarItem(source_id=source.id, href=href)
                session.add(item)
            item.appointment_id = row.appointment_id
        item.etag = row.remote_etag
    elif item is not None:  # deleted on the server: ours is created again
        session.delete(item)
    row.state, row.attempts, row.last_error = "pending", 0, ""
    return "Version de Permanence gardée : elle partira vers le serveur à la synchronisation."


def _keep_theirs(
    session: Session,
    source: CalendarSourceInfo,
    row: CalendarOutbox,
    item: CalendarItem | None,
    moment: datetime,
) -> str:
    """Apply the server's copy to the appointment; drop Permanence's unsent changes of it."""
    changes = _OwnChanges(session, source, moment)
    facts = event_facts(row.remote_text, changes.zone)
    appointment = session.get(Appointment, row.appointment_id)
    message = "Version du serveur gardée."
    if appointment is not None:
        if facts is None or facts.cancelled:
            if appointment.status == "booked":
                changes._free(appointment, "version du serveur gardée (supprimé sur le serveur)")
                message = "Version du serveur gardée : le rendez-vous est annulé, créneau libéré."
        else:
            if appointment.status != "booked":
                appointment.status = "booked"
                changes._trace(appointment, "Rétabli", "version du serveur gardée")
            if (facts.start, facts.end) != (appointment.starts_at, appointment.ends_at):
                changes._move(appointment, facts.start, facts.end)
            when = french_moment(appointment.starts_at, changes.zone)
            message = f"Version du serveur gardée : rendez-vous le {when}."
            if changes.notices and "chevauche" in changes.notices[-1]:
                message += " " + changes.notices[-1].split(" Attention : ", 1)[-1]
    if facts is None and item is not None:
        session.delete(item)
    elif facts is not None and row.remote_text:
        if item is None:
            href = _appointment_href(source.location, row)
            item = session.scalars(
                select(CalendarItem).where(
                    CalendarItem.source_id == source.id, CalendarItem.href == href
                )
            ).first()
            if item is None:
                item = CalendarItem(source_id=source.id, href=href)
                session.add(item)
            item.appointment_id = row.appointment_id
        item.etag, item.raw_text = row.remote_etag, row.remote_text
        item.digest, item.uid = _digest(row.remote_text), _uid(row.remote_text)
    row.state, row.last_error = "resolved", ""
    for later in session.scalars(
        select(CalendarOutbox).where(
            CalendarOutbox.source_id == source.id,
            CalendarOutbox.appointment_id == row.appointment_id,
            CalendarOutbox.state == "pending",
        )
    ):
        later.state, later.last_error = "dropped", "Version du serveur gardée à la place."
    return message


def _callbacks_service(sessions: sessionmaker[Session]) -> MessagesService:
    from permanence.core.calls.followups import FollowUpsService
    from permanence.core.messages.service import MessagesService

    return MessagesService(sessions, FollowUpsService(sessions))


def _todo_name(uid: str) -> str:
    return uid.split("@", 1)[0] + ".ics"


def _check_privacy(privacy: str) -> None:
    if privacy not in PRIVACY_LABELS:
        raise ValidationError(
            f"Niveau de confidentialité inconnu : « {privacy} » (complet, initiales ou minimal)."
        )


def secret_name(source_id: int) -> str:
    """The name of a CalDAV source's password in the secret store (`ws.secrets`)."""
    return f"caldav:{source_id}"


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
    appointment: Appointment,
    caller: Caller | None,
    *,
    privacy: str = "initials",
    location: str = "",
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
    if location:
        event.add("location", location)
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
            raise CalDavError(_problem(error, self.host), offline=_unreachable(error)) from None
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


def _unreachable(error: BaseException) -> bool:
    """The server could not be reached (not a refusal, not a certificate problem)."""
    text = str(error)
    if "CERTIFICATE" in text.upper() or " 401" in text or "Unauthorized" in text:
        return False
    name = type(error).__name__
    return isinstance(error, (OSError, TimeoutError)) or "Timeout" in name or "timed out" in text


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
    "OFFLINE",
    "CalDavError",
    "CalDavService",
    "CalDavState",
    "CallbackPushReport",
    "ConflictInfo",
    "OutboxEntry",
    "PullReport",
    "PushReport",
    "ResolveReport",
    "SyncResult",
    "appointment_ics",
    "appointment_uid",
    "merge_calendars",
    "secret_name",
]
