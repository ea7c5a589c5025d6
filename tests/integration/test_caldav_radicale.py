"""CalDAV sync against a real Radicale on 127.0.0.1: pull (only what changed), push with
If-None-Match / If-Match, conflicts kept, deletions noticed, the outbox while offline."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select

from permanence.core.calendars.caldav_sync import CalDavService, appointment_uid
from permanence.core.db.models import BusyTime, Caller
from permanence.core.demo import create_demo_workspace
from permanence.core.messages.lookup import find_practitioner
from permanence.core.workspace import Workspace

if TYPE_CHECKING:
    from caldav.davclient import DAVClient

pytestmark = pytest.mark.integration

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
USER, PASSWORD = "martin", "secret-cabinet"

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


def vcalendar(*components: str, zone: bool = False) -> str:
    body = (PARIS if zone else "") + "".join(components)
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Tests//FR\n{body}END:VCALENDAR\n"
    return text.replace("\n", "\r\n")


def vevent(uid: str, start: str, end: str, summary: str, extra: str = "") -> str:
    return (
        f"BEGIN:VEVENT\nUID:{uid}\nDTSTAMP:20261101T000000Z\nDTSTART{start}\nDTEND{end}\n"
        f"SUMMARY:{summary}\n{extra}END:VEVENT\n"
    )


SINGLE = vcalendar(vevent("reunion@test", ":20261125T090000Z", ":20261125T100000Z", "Réunion"))
# Weekly, 4 times from Tuesday 24 at 10:00 Paris; the 2nd one moved to 14:00.
RECURRING = vcalendar(
    vevent(
        "staff@test",
        ";TZID=Europe/Paris:20261124T100000",
        ";TZID=Europe/Paris:20261124T110000",
        "Staff",
        "RRULE:FREQ=WEEKLY;COUNT=4\n",
    ),
    vevent(
        "staff@test",
        ";TZID=Europe/Paris:20261201T140000",
        ";TZID=Europe/Paris:20261201T150000",
        "Staff déplacé",
        "RECURRENCE-ID;TZID=Europe/Paris:20261201T100000\n",
    ),
    zone=True,
)


@dataclass
class Radicale:
    base: str
    port: int
    folder: Path
    users: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def calendar_url(self) -> str:
        return f"{self.base}/{USER}/cabinet/"

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

        return DAVClient(url=self.base, username=USER, password=PASSWORD, timeout=10)

    def put(self, name: str, text: str) -> None:
        answer = self.client().request(self.calendar_url + name, "PUT", text, {})
        assert answer.status in (201, 204), answer.status

    def get(self, name: str) -> str:
        answer = self.client().request(self.calendar_url + name, "GET", "", {})
        return str(answer.raw) if answer.status == 200 else ""

    def delete(self, name: str) -> None:
        assert self.client().request(self.calendar_url + name, "DELETE", "", {}).status in (
            200,
            204,
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[Radicale]:
    users = tmp_path / "users"
    users.write_text(f"{USER}:{PASSWORD}\n", encoding="utf-8")
    port = free_port()
    server = Radicale(f"http://127.0.0.1:{port}", port, tmp_path / "collections", users)
    server.start()
    try:
        principal = server.client().get_principal()
        principal.make_calendar(name="Cabinet", cal_id="cabinet")
        yield server
    finally:
        server.stop()


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Workspace]:
    ws = create_demo_workspace(tmp_path / "demo", today=TODAY)
    yield ws
    ws.close()


def caldav(ws: Workspace) -> CalDavService:
    return ws.caldav


def martin(ws: Workspace) -> int:
    return find_practitioner(ws.practices.list(), "martin").id


def busy_rows(ws: Workspace, source_id: int) -> list[tuple[datetime, str]]:
    with ws.sessions() as session:
        rows = session.execute(
            select(BusyTime.starts_at, BusyTime.summary)
            .where(BusyTime.source_id == source_id)
            .order_by(BusyTime.starts_at)
        )
        return [(start, summary) for start, summary in rows]


def book(ws: Workspace, day: int, hour: int) -> int:
    doctor = martin(ws)
    kind = ws.bookings.appointment_types(doctor)[0].id
    with ws.sessions() as session:
        caller = session.scalars(select(Caller).where(Caller.first_name != "")).first()
        caller_id = caller.id if caller is not None else None
    start = datetime(2027, 1, day, hour, 0, tzinfo=UTC)
    return ws.bookings.book(
        doctor, kind, start, start + timedelta(minutes=30), caller_id=caller_id
    ).id


def test_pull_reads_busy_time_and_fetches_only_what_changed(
    demo: Workspace, radicale: Radicale
) -> None:
    radicale.put("reunion.ics", SINGLE)
    radicale.put("staff.ics", RECURRING)
    service = caldav(demo)
    assert service.discover(radicale.base, USER, PASSWORD) == [("Cabinet", radicale.calendar_url)]
    source = service.add_source(martin(demo), radicale.calendar_url, USER)

    first = service.pull(source.id, PASSWORD, now=NOW)
    assert first.ok and first.fetched == 2 and first.busy == 5, first.message
    starts = [start for start, _summary in busy_rows(demo, source.id)]
    assert datetime(2026, 12, 1, 13, 0, tzinfo=UTC) in starts  # the moved occurrence
    assert datetime(2026, 12, 1, 9, 0, tzinfo=UTC) not in starts
    assert datetime(2026, 12, 8, 9, 0, tzinfo=UTC) in starts

    second = service.pull(source.id, PASSWORD, now=NOW)
    assert second.ok and second.unchanged and second.fetched == 0

    radicale.put(
        "reunion.ics",
        SINGLE.replace("T090000Z", "T150000Z").replace("T100000Z", "T160000Z"),
    )
    third = service.pull(source.id, PASSWORD, now=NOW)
    assert third.ok and third.fetched == 1 and third.listed == 2 and third.busy == 5
    assert datetime(2026, 11, 25, 15, 0, tzinfo=UTC) in [s for s, _ in busy_rows(demo, source.id)]


def test_push_creates_then_a_server_change_is_a_conflict_not_an_overwrite(
    demo: Workspace, radicale: Radicale
) -> None:
    service = caldav(demo)
    source = service.add_source(martin(demo), radicale.calendar_url, USER)
    appointment = book(demo, 3, 9)
    service.queue_appointment(appointment, source.id, "create")
    report = service.push(source.id, PASSWORD)
    assert report.ok and report.sent == 1 and report.pending == 0, report.message
    name = f"appointment-{appointment}.ics"
    on_server = radicale.get(name)
    assert appointment_uid(appointment) in on_server and "SUMMARY:Rendez-vous" in on_server

    # A change made on the server since our push: our If-Match is stale, nothing is written.
    changed = on_server.replace("SUMMARY:Rendez-vous", "SUMMARY:Modifié par la praticienne")
    radicale.put(name, changed)
    service.queue_appointment(appointment, source.id, "update")
    report = service.push(source.id, PASSWORD)
    assert report.conflicts == 1 and report.sent == 0
    assert "Modifié par la praticienne" in radicale.get(name)  # server version untouched
    [conflict] = service.outbox(source.id, state="conflict")
    assert "Modifié par la praticienne" in conflict.remote_text and conflict.remote_etag
    assert "Rendez-vous" in conflict.payload and "Conflit" in conflict.last_error

    # Our own appointment is not imported back as busy time.
    pulled = service.pull(source.id, PASSWORD, now=NOW)
    assert pulled.ok and pulled.busy == 0


def test_deletions_on_the_server_are_noticed(demo: Workspace, radicale: Radicale) -> None:
    radicale.put("reunion.ics", SINGLE)
    service = caldav(demo)
    source = service.add_source(martin(demo), radicale.calendar_url, USER)
    appointment = book(demo, 4, 10)
    service.queue_appointment(appointment, source.id, "create")
    assert service.push(source.id, PASSWORD).sent == 1
    assert service.pull(source.id, PASSWORD, now=NOW).busy == 1

    radicale.delete("reunion.ics")
    radicale.delete(f"appointment-{appointment}.ics")
    report = service.pull(source.id, PASSWORD, now=NOW)
    assert report.ok and len(report.deleted) == 2 and report.freed == (appointment,)
    assert report.busy == 0 and busy_rows(demo, source.id) == []
    assert f"n°{appointment}" in report.message


def test_outbox_waits_while_the_server_is_down_then_drains_in_order(
    demo: Workspace, radicale: Radicale
) -> None:
    service = caldav(demo)
    source = service.add_source(martin(demo), radicale.calendar_url, USER)
    appointment = book(demo, 7, 11)
    radicale.stop()
    service.queue_appointment(appointment, source.id, "create")
    report = service.push(source.id, PASSWORD)
    assert not report.ok and report.sent == 0 and report.pending == 1
    [waiting] = service.outbox(source.id, state="pending")
    assert waiting.attempts == 1 and "injoignable" in waiting.last_error
    demo.bookings.move(appointment, datetime(2027, 1, 7, 15, 0, tzinfo=UTC))
    service.queue_appointment(appointment, source.id, "update")
    assert service.push(source.id, PASSWORD).pending == 2

    radicale.start()
    report = service.push(source.id, PASSWORD)
    assert report.ok and report.sent == 2 and report.pending == 0, report.message
    assert "DTSTART:20270107T150000Z" in radicale.get(f"appointment-{appointment}.ics")
    assert [entry.state for entry in service.outbox(source.id)] == ["sent", "sent"]


def test_wrong_password_and_not_a_calendar_are_explained(
    demo: Workspace, radicale: Radicale
) -> None:
    service = caldav(demo)
    source = service.add_source(martin(demo), radicale.calendar_url, USER)
    report = service.pull(source.id, "mauvais", now=NOW)
    assert not report.ok and "mot de passe refusé" in report.message
    account = service.add_source(martin(demo), f"{radicale.base}/{USER}/", USER)
    report = service.pull(account.id, PASSWORD, now=NOW)
    assert not report.ok and "n'est pas un agenda" in report.message


def test_create_never_overwrites_an_existing_event(demo: Workspace, radicale: Radicale) -> None:
    service = caldav(demo)
    source = service.add_source(martin(demo), radicale.calendar_url, USER)
    appointment = book(demo, 5, 9)
    name = f"appointment-{appointment}.ics"
    theirs = vcalendar(
        vevent(appointment_uid(appointment), ":20270105T090000Z", ":20270105T100000Z", "Autre")
    )
    radicale.put(name, theirs)  # written meanwhile by another copy of the app
    service.queue_appointment(appointment, source.id, "create")
    report = service.push(source.id, PASSWORD)
    assert report.conflicts == 1 and report.sent == 0  # If-None-Match: * refused
    assert "SUMMARY:Autre" in radicale.get(name)
    [conflict] = service.outbox(source.id, state="conflict")
    assert "SUMMARY:Autre" in conflict.remote_text
    # A later push of the same appointment waits for the user's choice.
    service.queue_appointment(appointment, source.id, "update")
    assert service.push(source.id, PASSWORD).pending == 1
