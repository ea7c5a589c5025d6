"""CalDAV sync against a real Radicale on 127.0.0.1 holding 1 000 events.

A Radicale (htpasswd auth, filesystem storage in a temporary folder) is started as in
`tests/integration/test_caldav_radicale.py` and always stopped at the end. One calendar,
1 000 events written straight into its collection folder (Radicale's filesystem storage
reads one `.ics` file per resource; writing them before the first request is much faster
than 1 000 PUTs): varied times over the next 8 weeks, 10 % of them weekly with an EXDATE.
A demo workspace gets a CalDAV source for one practitioner, then `ws.caldav` is timed on:
the first pull (all 1 000 fetched and imported), a second pull with nothing changed
(nothing fetched), a pull after 10 events changed on the server (those 10 fetched) and
a push of 20 appointments from the outbox, a pull after 10 of those were moved on the
server (the appointments follow), and « Synchroniser maintenant » twice (callbacks sent
as VTODO, then nothing sent again).

DESIGN.md sets no budget for CalDAV: the figures are printed without a verdict, only
checked against what each step should fetch or send.
"""

from __future__ import annotations

import gc
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import select

from permanence.core.db.models import Caller
from permanence.core.demo import create_demo_workspace
from permanence.core.errors import ValidationError
from permanence.core.messages.lookup import find_practitioner

if TYPE_CHECKING:
    from caldav.davclient import DAVClient

    from permanence.core.workspace import Workspace

USER, PASSWORD = "martin", "secret-cabinet"
CALENDAR = "cabinet"
EVENTS = 1000
RECURRING_EVERY = 10  # one event in 10 is weekly
CHANGED = 10
PUSHED = 20
WEEKS = 8
SEED = 20261123
_T = TypeVar("_T")

PARIS = """BEGIN:VTIMEZONE
TZID:Europe/Paris
BEGIN:STANDARD
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
END:DAYLIGHT
END:VTIMEZONE
"""

PROPFIND_ETAGS = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>'
)


# -- the events ----------------------------------------------------------------------------
def _local(moment: datetime) -> str:
    return f"{moment:%Y%m%dT%H%M%S}"


def event_ics(index: int, start: datetime, minutes: int, *, weekly: bool, label: str) -> str:
    """One resource: a VCALENDAR with one VEVENT, times in Europe/Paris."""
    end = start + timedelta(minutes=minutes)
    extra = ""
    if weekly:
        skipped = start + timedelta(weeks=2)
        extra = f"RRULE:FREQ=WEEKLY;COUNT=12\nEXDATE;TZID=Europe/Paris:{_local(skipped)}\n"
    text = (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Permanence bench//FR\n"
        f"{PARIS}"
        "BEGIN:VEVENT\n"
        f"UID:bench-{index:04d}@permanence-bench\n"
        "DTSTAMP:20261101T000000Z\n"
        f"DTSTART;TZID=Europe/Paris:{_local(start)}\n"
        f"DTEND;TZID=Europe/Paris:{_local(end)}\n"
        f"SUMMARY:{label} {index}\n"
        f"{extra}"
        "END:VEVENT\nEND:VCALENDAR\n"
    )
    return text.replace("\n", "\r\n")


def make_events(today: date) -> dict[str, str]:
    """href name → resource text; the same set for the same day."""
    chance = random.Random(SEED)
    labels = ("Consultation", "Réunion", "Visite", "Staff", "Formation", "Garde")
    events: dict[str, str] = {}
    for index in range(EVENTS):
        day = today + timedelta(days=chance.randrange(1, WEEKS * 7))
        hour, quarter = chance.randrange(7, 19), chance.randrange(4)
        start = datetime(day.year, day.month, day.day, hour, quarter * 15)
        minutes = chance.choice((15, 20, 30, 45, 60, 90))
        events[f"evt-{index:04d}.ics"] = event_ics(
            index,
            start,
            minutes,
            weekly=index % RECURRING_EVERY == 0,
            label=chance.choice(labels),
        )
    return events


# -- Radicale ------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Radicale:
    def __init__(self, root: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.folder = root / "collections"
        self.users = root / "users"
        self.users.write_text(f"{USER}:{PASSWORD}\n", encoding="utf-8")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def calendar_url(self) -> str:
        return f"{self.base}/{USER}/{CALENDAR}/"

    @property
    def calendar_folder(self) -> Path:
        return self.folder / "collection-root" / USER / CALENDAR

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "radicale",
            "--config",
            "",
            "--auth-type",
            "htpasswd",
            "--auth-htpasswd-filename",
            str(self.users),
            "--auth-htpasswd-encryption",
            "plain",
            "--auth-delay",
            "0",
            "--storage-filesystem-folder",
            str(self.folder),
            "--hosts",
            f"127.0.0.1:{self.port}",
        ]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("Radicale s'est arrêté au démarrage")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("Radicale ne répond pas")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None

    def client(self) -> DAVClient:
        from caldav.davclient import DAVClient

        return DAVClient(url=self.base, username=USER, password=PASSWORD, timeout=30)

    def put(self, name: str, text: str) -> None:
        answer = self.client().request(self.calendar_url + name, "PUT", text, {})
        if answer.status not in (201, 204):
            raise RuntimeError(f"PUT {name} refusé : {answer.status}")

    def listing(self) -> int:
        """Items listed by a PROPFIND Depth 1 (ETags): Radicale indexes the files it finds."""
        headers = {"Depth": "1", "Content-Type": "application/xml; charset=utf-8"}
        answer = self.client().request(self.calendar_url, "PROPFIND", PROPFIND_ETAGS, headers)
        if answer.status != 207:
            raise RuntimeError(f"PROPFIND refusé : {answer.status}")
        return str(answer.raw).count("getetag>") // 2 - 1  # the collection has one too


# -- helpers -------------------------------------------------------------------------------
def _timed(action: Callable[[], _T]) -> tuple[float, _T]:
    gc.collect()
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def _shift_one_hour(text: str) -> str:
    """The same event one hour later (DTSTART / DTEND in UTC, as Permanence writes them)."""
    lines = []
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key in ("DTSTART", "DTEND") and value.endswith("Z"):
            moment = datetime.strptime(value, "%Y%m%dT%H%M%SZ") + timedelta(hours=1)
            line = f"{key}:{moment:%Y%m%dT%H%M%S}Z"
        lines.append(line)
    return "\r\n".join(lines) + "\r\n"


def _check(ok: bool) -> str:
    return "conforme" if ok else "INATTENDU"


def _book_many(ws: Workspace, practitioner: int, count: int, today: date) -> list[int]:
    """`count` appointments from 10 weeks ahead, on free slots (demo bookings avoided)."""
    kind = ws.bookings.appointment_types(practitioner)[0].id
    with ws.sessions() as session:
        caller = session.scalars(select(Caller).where(Caller.first_name != "")).first()
        caller_id = caller.id if caller is not None else None
    booked: list[int] = []
    day = today + timedelta(weeks=10)
    while len(booked) < count:
        for hour in range(8, 18):
            if len(booked) == count:
                break
            start = datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)
            try:
                info = ws.bookings.book(
                    practitioner, kind, start, start + timedelta(minutes=30), caller_id=caller_id
                )
            except ValidationError:
                continue
            booked.append(info.id)
        day += timedelta(days=1)
    return booked


# -- the benchmark -------------------------------------------------------------------------
def _run(root: Path, server: Radicale) -> None:
    today = date.today()
    server.client().get_principal().make_calendar(name="Cabinet", cal_id=CALENDAR)
    folder = server.calendar_folder
    if not (folder / ".Radicale.props").is_file():
        raise RuntimeError(f"dossier de l'agenda Radicale introuvable : {folder}")
    events = make_events(today)
    started = time.perf_counter()
    for name, text in events.items():
        (folder / name).write_bytes(text.encode("utf-8"))
    written = time.perf_counter() - started
    indexing, listed = _timed(server.listing)
    weekly = sum(1 for text in events.values() if "RRULE:FREQ=WEEKLY" in text)

    print(
        f"Radicale 127.0.0.1:{server.port}, {EVENTS} événements sur {WEEKS} semaines "
        f"({weekly} hebdomadaires avec EXDATE)"
    )
    print(f"  écriture des {EVENTS} .ics dans le dossier de l'agenda : {written * 1000:6.0f} ms")
    print(
        f"  première indexation par Radicale (PROPFIND, {listed} ETags) : {indexing * 1000:6.0f} ms"
    )
    print("  budget : aucun pour CalDAV dans DESIGN.md, chiffres donnés sans verdict.")

    ws = create_demo_workspace(root / "demo", today=today)
    try:
        service = ws.caldav
        practitioner = find_practitioner(ws.practices.list(), "martin")
        source = service.add_source(practitioner.id, server.calendar_url, USER)

        seconds, first = _timed(lambda: service.pull(source.id, PASSWORD))
        if not first.ok:
            raise RuntimeError(first.message)
        print(
            f"  1er pull (tout à importer)        : {seconds * 1000:7.0f} ms  "
            f"{first.fetched} téléchargé(s) / {first.listed} listé(s), "
            f"{first.busy} créneaux occupés → {_check(first.fetched == EVENTS)}"
        )

        seconds, second = _timed(lambda: service.pull(source.id, PASSWORD))
        print(
            f"  2e pull, rien changé              : {seconds * 1000:7.0f} ms  "
            f"{second.fetched} téléchargé(s), inchangé={'oui' if second.unchanged else 'non'} "
            f"→ {_check(second.ok and second.fetched == 0)}"
        )

        chance = random.Random(SEED + 1)
        changed = sorted(chance.sample(sorted(events), CHANGED))
        for name in changed:
            server.put(name, events[name].replace("SUMMARY:", "SUMMARY:Déplacé "))
        seconds, third = _timed(lambda: service.pull(source.id, PASSWORD))
        print(
            f"  pull après {CHANGED} modifs sur le serveur : {seconds * 1000:4.0f} ms  "
            f"{third.fetched} téléchargé(s) / {third.listed} listé(s) "
            f"→ {_check(third.ok and third.fetched == CHANGED)}"
        )

        appointments = _book_many(ws, practitioner.id, PUSHED, today)
        for appointment in appointments:
            service.queue_appointment(appointment, source.id, "create")
        seconds, pushed = _timed(lambda: service.push(source.id, PASSWORD))
        print(
            f"  push de {PUSHED} rendez-vous (outbox)    : {seconds * 1000:7.0f} ms  "
            f"{pushed.sent} envoyé(s), {pushed.conflicts} conflit(s), "
            f"{pushed.pending} en attente → {_check(pushed.ok and pushed.sent == PUSHED)}"
        )
        if pushed.sent:
            print(f"    soit {seconds / pushed.sent * 1000:.0f} ms par rendez-vous envoyé")

        # Ten of our appointments moved by the practitioner on the server: they follow.
        moved_ids = appointments[:CHANGED]
        for appointment in moved_ids:
            name = f"appointment-{appointment}.ics"
            text = server.client().request(f"{server.calendar_url}{name}", "GET", "", {}).raw
            server.put(name, _shift_one_hour(str(text)))
        seconds, moved = _timed(lambda: service.pull(source.id, PASSWORD))
        print(
            f"  pull après {CHANGED} RDV déplacés sur le serveur : {seconds * 1000:4.0f} ms  "
            f"{len(moved.moved)} déplacé(s) dans Permanence "
            f"→ {_check(moved.ok and sorted(moved.moved) == sorted(moved_ids))}"
        )

        # « Synchroniser maintenant »: outbox, callbacks as VTODO, pull — twice.
        seconds, synced = _timed(lambda: service.sync(source.id, PASSWORD))
        callbacks = synced.callbacks.sent if synced.callbacks is not None else 0
        print(
            f"  synchroniser maintenant (rappels)  : {seconds * 1000:7.0f} ms  "
            f"{callbacks} rappel(s) envoyé(s) en VTODO → {_check(synced.ok)}"
        )
        seconds, again = _timed(lambda: service.sync(source.id, PASSWORD))
        unchanged = again.callbacks.unchanged if again.callbacks is not None else 0
        print(
            f"  synchroniser maintenant, rien changé : {seconds * 1000:5.0f} ms  "
            f"{unchanged} rappel(s) inchangé(s), rien renvoyé "
            f"→ {_check(again.ok and again.callbacks is not None and again.callbacks.sent == 0)}"
        )
    finally:
        ws.close()


def main() -> None:
    try:
        import caldav  # noqa: F401
        import radicale  # noqa: F401
    except ImportError as error:
        print(f"CalDAV : {error.name} absent, mesure sautée.")
        return
    with tempfile.TemporaryDirectory(prefix="permanence-bench-caldav-") as temporary:
        root = Path(temporary)
        server = Radicale(root)
        server.start()
        try:
            _run(root, server)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
