"""ICS subscriptions through a real HTTP server on 127.0.0.1: ETag / Last-Modified, 304,
HTTP errors and an unreachable server, all in French and keeping the previous busy time."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from permanence.core.demo import create_demo_workspace
from permanence.core.messages.lookup import find_practitioner
from permanence.core.workspace import Workspace

pytestmark = pytest.mark.integration

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
FIXTURE = Path(__file__).parents[1] / "fixtures" / "ics" / "practitioner_busy.ics"
ETAG = '"agenda-v1"'
LAST_MODIFIED = "Mon, 16 Nov 2026 09:00:00 GMT"


@dataclass
class Feed:
    """What the server serves and what it saw."""

    base: str
    body: bytes
    etag: str = ETAG
    full_downloads: int = 0
    not_modified: int = 0
    headers_seen: list[dict[str, str]] = field(default_factory=list)


def _handler(feed: Feed) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            feed.headers_seen.append(dict(self.headers.items()))
            if self.path == "/page.html":
                self._send(200, b"<html><body>Connexion</body></html>", "text/html")
                return
            if self.path != "/agenda.ics":
                self._send(404, b"introuvable", "text/plain")
                return
            if self.headers.get("If-None-Match") == feed.etag:
                feed.not_modified += 1
                self.send_response(304)
                self.send_header("ETag", feed.etag)
                self.end_headers()
                return
            feed.full_downloads += 1
            self._send(200, feed.body, "text/calendar; charset=utf-8")

        def _send(self, code: int, body: bytes, kind: str) -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            if code == 200 and kind.startswith("text/calendar"):
                self.send_header("ETag", feed.etag)
                self.send_header("Last-Modified", LAST_MODIFIED)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def feed() -> Iterator[Feed]:
    state = Feed("", FIXTURE.read_bytes())
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Workspace]:
    ws = create_demo_workspace(tmp_path / "demo", today=TODAY)
    yield ws
    ws.close()


def martin(ws: Workspace) -> int:
    return find_practitioner(ws.practices.list(), "martin").id


def busy(ws: Workspace) -> tuple[tuple[datetime, datetime], ...]:
    return ws.bookings.agenda(martin(ws), since=NOW, until=NOW + timedelta(days=28)).busy


def test_second_sync_gets_304_and_downloads_nothing(demo: Workspace, feed: Feed) -> None:
    source = demo.calendars.add_url_source(martin(demo), f"{feed.base}/agenda.ics")
    first = demo.calendars.sync(source.id, now=NOW)
    assert first.ok and not first.unchanged and first.busy == 4
    assert "If-None-Match" not in feed.headers_seen[0]
    second = demo.calendars.sync(source.id, now=NOW)
    assert second.ok and second.unchanged and "rien n'a été téléchargé" in second.message
    assert feed.full_downloads == 1 and feed.not_modified == 1
    assert feed.headers_seen[1]["If-None-Match"] == ETAG
    assert feed.headers_seen[1]["If-Modified-Since"] == LAST_MODIFIED
    assert len(busy(demo)) == 4
    assert demo.calendars.get(source.id).last_status == "ok"


def test_http_error_and_unreachable_server_keep_previous_busy_time(
    demo: Workspace, feed: Feed
) -> None:
    doctor = martin(demo)
    good = demo.calendars.add_url_source(doctor, f"{feed.base}/agenda.ics")
    assert demo.calendars.sync(good.id, now=NOW).ok
    missing = demo.calendars.add_url_source(doctor, f"{feed.base}/ancien.ics")
    report = demo.calendars.sync(missing.id, now=NOW)
    assert not report.ok and "HTTP 404" in report.message and "introuvable" in report.message
    assert demo.calendars.get(missing.id).last_status == "erreur"
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dead = demo.calendars.add_url_source(doctor, f"http://127.0.0.1:{port}/agenda.ics")
    report = demo.calendars.sync(dead.id, now=NOW)
    assert not report.ok and "injoignable" in report.message
    assert len(busy(demo)) == 4


def test_broken_new_version_of_a_feed_keeps_its_busy_time(demo: Workspace, feed: Feed) -> None:
    source = demo.calendars.add_url_source(martin(demo), f"{feed.base}/agenda.ics")
    assert demo.calendars.sync(source.id, now=NOW).ok
    good_body = feed.body
    feed.body, feed.etag = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", '"agenda-v2"'
    report = demo.calendars.sync(source.id, now=NOW)
    assert not report.ok and "ancien temps occupé est conservé" in report.message
    assert feed.full_downloads == 2 and len(busy(demo)) == 4
    assert demo.calendars.get(source.id).last_status == "erreur"
    # The broken version's ETag was not kept: once fixed, the feed is downloaded again.
    feed.body = good_body
    again = demo.calendars.sync(source.id, now=NOW)
    assert again.ok and not again.unchanged and feed.full_downloads == 3


def test_a_web_page_is_not_a_calendar(demo: Workspace, feed: Feed) -> None:
    source = demo.calendars.add_url_source(martin(demo), f"{feed.base}/page.html")
    report = demo.calendars.sync(source.id, now=NOW)
    assert not report.ok and "ne renvoie pas un agenda iCalendar" in report.message
    assert "text/html" in report.message
