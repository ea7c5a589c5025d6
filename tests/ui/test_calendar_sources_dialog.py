"""The calendar sources dialog: add, sync in the background, French states and refusals."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from pytestqt.qtbot import QtBot

from permanence.core.calendars.sources import CalendarSourceInfo, SyncReport
from permanence.core.practices.values import PractitionerInfo
from permanence.core.workspace import Workspace
from permanence.ui.calendars import CalendarSourcesDialog
from permanence.ui.calendars.sources_dialog import (
    ERROR_COLOR,
    KIND,
    LAST_SYNC,
    OK_COLOR,
    STATE,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ics"
BUSY = FIXTURES / "practitioner_busy.ics"
NOTHING = FIXTURES / "nothing_usable.ics"


def practitioner(ws: Workspace) -> PractitionerInfo:
    return ws.practices.list()[0].practitioners[0]


def make_dialog(qtbot: QtBot, ws: Workspace) -> CalendarSourcesDialog:
    dialog = CalendarSourcesDialog(ws, practitioner(ws))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def wait_idle(qtbot: QtBot, dialog: CalendarSourcesDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15000)


def cell(dialog: CalendarSourcesDialog, source: CalendarSourceInfo, column: int) -> str:
    row = dialog.model.row_of(source.id)
    return str(dialog.model.index(row, column).data())


def colour(dialog: CalendarSourcesDialog, source: CalendarSourceInfo) -> str:
    row = dialog.model.index(dialog.model.row_of(source.id), STATE)
    brush = row.data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(brush, QBrush)
    return str(brush.color().name())


def test_file_source_syncs_in_the_background(
    qtbot: QtBot, demo_ws: Workspace, tmp_path: Path
) -> None:
    dialog = make_dialog(qtbot, demo_ws)
    path = tmp_path / "agenda.ics"
    path.write_bytes(BUSY.read_bytes())
    with qtbot.waitSignal(dialog.synced, timeout=15000) as blocker:
        source = dialog.add_file(path)
        assert source is not None
        # The sync runs on a worker: the window shows it and the buttons wait.
        assert dialog.busy
        assert not dialog.sync_button.isEnabled()
        assert not dialog.sync_all_button.isEnabled()
        assert not dialog.progress.isHidden()
        assert dialog.progress.maximum() == 0  # busy mode
        assert "en cours" in dialog.state_of(source.id)
    report = blocker.args[0]
    assert isinstance(report, SyncReport)
    assert report.ok and report.busy > 0
    wait_idle(qtbot, dialog)

    assert cell(dialog, source, KIND) == "Fichier .ics"
    state = dialog.state_of(source.id)
    assert state.startswith("à jour")
    assert f"{report.busy} créneau(x) occupé(s)" in state
    assert colour(dialog, source) == OK_COLOR.name()
    assert report.message in dialog.message.text()
    sync_time = cell(dialog, source, LAST_SYNC)
    assert " à " in sync_time and " h" in sync_time and sync_time != "jamais"
    assert dialog.sync_button.isEnabled() and dialog.progress.isHidden()

    # F5 syncs the selected source again.
    dialog.activateWindow()
    dialog.table.setFocus()
    with qtbot.waitSignal(dialog.synced, timeout=15000) as again:
        qtbot.keyClick(dialog.table, Qt.Key.Key_F5)
    assert again.args[0].ok
    wait_idle(qtbot, dialog)


def test_broken_file_shows_the_french_error(qtbot: QtBot, demo_ws: Workspace) -> None:
    dialog = make_dialog(qtbot, demo_ws)
    with qtbot.waitSignal(dialog.synced, timeout=15000) as blocker:
        source = dialog.add_file(NOTHING)
        assert source is not None
    report = blocker.args[0]
    assert not report.ok
    wait_idle(qtbot, dialog)
    state = dialog.state_of(source.id)
    assert state.startswith("erreur : ")
    assert "L'ancien temps occupé est conservé." in state
    assert colour(dialog, source) == ERROR_COLOR.name()
    assert report.message in dialog.message.text()
    # The source stays listed so that it can be fixed or retried.
    assert [s.id for s in dialog.model.sources] == [source.id]


def test_missing_file_is_refused_in_french(
    qtbot: QtBot, demo_ws: Workspace, tmp_path: Path
) -> None:
    dialog = make_dialog(qtbot, demo_ws)
    assert dialog.add_file(tmp_path / "absent.ics") is None
    assert "Fichier introuvable" in dialog.message.text()
    assert dialog.model.rowCount() == 0


def test_non_http_url_is_refused_and_kept(qtbot: QtBot, demo_ws: Workspace) -> None:
    dialog = make_dialog(qtbot, demo_ws)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.url_row.isHidden()
    qtbot.keyClick(dialog.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.url_row.isHidden()
    qtbot.waitUntil(dialog.url_edit.hasFocus)
    assert dialog.add_url("ftp://exemple.fr/agenda.ics") is None
    assert "Adresse d'abonnement refusée" in dialog.message.text()
    assert "https://" in dialog.message.text()
    assert dialog.url_edit.text() == "ftp://exemple.fr/agenda.ics"  # nothing lost
    assert not dialog.url_row.isHidden()
    assert dialog.model.rowCount() == 0
    assert not dialog.busy


def test_remove_asks_first(
    qtbot: QtBot, demo_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = make_dialog(qtbot, demo_ws)
    with qtbot.waitSignal(dialog.synced, timeout=15000):
        source = dialog.add_file(BUSY)
    wait_idle(qtbot, dialog)
    answers = iter([False, True])
    monkeypatch.setattr(dialog, "confirm_remove", lambda _source: next(answers))
    assert not dialog.remove_selected()
    assert dialog.model.rowCount() == 1
    assert dialog.remove_selected()
    assert dialog.model.rowCount() == 0
    assert demo_ws.calendars.list(practitioner(demo_ws).id) == []
    assert source is not None and source.label in dialog.message.text()


class _Feed(BaseHTTPRequestHandler):
    body = BUSY.read_bytes()

    def do_GET(self) -> None:
        if self.path != "/agenda.ics":
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.send_header("ETag", '"v1"')
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar; charset=utf-8")
        self.send_header("Content-Length", str(len(self.body)))
        self.send_header("ETag", '"v1"')
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def feed_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_url_source_from_a_local_server(qtbot: QtBot, demo_ws: Workspace, feed_url: str) -> None:
    dialog = make_dialog(qtbot, demo_ws)
    with qtbot.waitSignal(dialog.synced, timeout=15000) as blocker:
        source = dialog.add_url(f"{feed_url}/agenda.ics")
        assert source is not None
    assert blocker.args[0].ok and blocker.args[0].busy > 0
    wait_idle(qtbot, dialog)
    assert cell(dialog, source, KIND) == "Abonnement (URL)"
    assert dialog.state_of(source.id).startswith("à jour")
    assert dialog.url_edit.text() == "" and dialog.url_row.isHidden()

    # A second source that answers 404; « Tout synchroniser » syncs both in turn.
    with qtbot.waitSignal(dialog.synced, timeout=15000):
        missing = dialog.add_url(f"{feed_url}/absent.ics")
        assert missing is not None
    wait_idle(qtbot, dialog)
    reports: list[SyncReport] = []
    dialog.synced.connect(reports.append)
    dialog.sync_all()
    assert dialog.busy and not dialog.sync_all_button.isEnabled()
    wait_idle(qtbot, dialog)
    assert [r.source_id for r in reports] == [source.id, missing.id]
    assert reports[0].ok and reports[0].unchanged  # ETag: not downloaded again
    assert not reports[1].ok
    assert dialog.state_of(missing.id).startswith("erreur : ")
    assert dialog.state_of(source.id).startswith("à jour")

    if os.environ.get("PERMANENCE_SCREENSHOT"):
        dialog.table.selectRow(0)
        dialog.grab().save(os.environ["PERMANENCE_SCREENSHOT"])
