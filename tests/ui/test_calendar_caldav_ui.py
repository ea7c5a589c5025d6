"""CalDAV in the UI, against a real Radicale: setup with a background connection test and
the password in the secret store, the sync state per source, « Synchroniser maintenant »,
conflicts shown side by side and resolved, and the scheduled refresh of every source."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import keyring.backends.null
import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).parents[1] / "integration"))
from qt_keys import type_text
from test_caldav_radicale import (
    PASSWORD,
    USER,
    Radicale,
    book,
    martin,
    radicale,
)

from permanence.core.calendars.caldav_sync import secret_name
from permanence.core.db.models import Appointment, StoredSecret
from permanence.core.workspace import Workspace
from permanence.ui.calendars import CalendarSourcesDialog
from permanence.ui.calendars.caldav_setup import CalDavSetupDialog
from permanence.ui.calendars.conflict_dialog import ConflictDialog
from permanence.ui.calendars.passwords import passwords_for
from permanence.ui.calendars.scheduler import CalendarRefresher, summary

__all__ = ["radicale"]
FIXTURES = Path(__file__).parents[1] / "fixtures" / "ics"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A system keyring for the test (the machine has none)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.null.Keyring())
    yield
    keyring.set_keyring(previous)


def setup_dialog(qtbot: QtBot, ws: Workspace) -> CalDavSetupDialog:
    practitioner = next(
        p for practice in ws.practices.list() for p in practice.practitioners if p.id == martin(ws)
    )
    dialog = CalDavSetupDialog(ws, practitioner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def fill(qtbot: QtBot, dialog: CalDavSetupDialog, url: str, password: str) -> None:
    type_text(qtbot, dialog.url_edit, url)
    type_text(qtbot, dialog.user_edit, USER)
    type_text(qtbot, dialog.password_edit, password)


def test_setup_tests_in_background_and_keeps_the_password_in_the_keyring(
    qtbot: QtBot, demo_ws: Workspace, radicale: Radicale, memory_keyring: MemoryKeyring
) -> None:
    dialog = setup_dialog(qtbot, demo_ws)
    assert not dialog.save_button.isEnabled()  # nothing tested yet
    fill(qtbot, dialog, radicale.base, PASSWORD)
    with qtbot.waitSignal(dialog.tested, timeout=15000) as blocker:
        dialog.test_button.click()
        assert dialog.testing and not dialog.progress.isHidden()
        assert not dialog.test_button.isEnabled()
    assert blocker.args[0] is True
    assert "Connexion réussie : 1 agenda(s) trouvé(s)" in dialog.result_label.text()
    assert dialog.progress.isHidden()
    assert dialog.calendar_combo.currentText() == "Cabinet"
    assert dialog.calendar_combo.currentData() == radicale.calendar_url
    dialog.privacy_combo.setCurrentIndex(dialog.privacy_combo.findData("minimal"))
    assert "Rappel patient" in dialog.privacy_combo.currentText()

    source = dialog.save()
    assert source is not None and source.kind == "caldav" and source.privacy == "minimal"
    assert source.practitioner_id == martin(demo_ws) and source.username == USER
    assert "trousseau" in dialog.save_message
    # In the keyring, under the source's name; nowhere in the workspace's files.
    assert PASSWORD in memory_keyring.items.values()
    assert demo_ws.secrets.get(secret_name(source.id)) == PASSWORD
    with demo_ws.sessions() as session:
        assert session.scalar(select(func.count()).select_from(StoredSecret)) == 0
    folder = demo_ws.location.directory
    assert folder is not None
    for path in folder.iterdir():
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


def test_setup_wrong_password_is_told_in_french(
    qtbot: QtBot, demo_ws: Workspace, radicale: Radicale
) -> None:
    dialog = setup_dialog(qtbot, demo_ws)
    fill(qtbot, dialog, radicale.base, "mauvais")
    with qtbot.waitSignal(dialog.tested, timeout=15000) as blocker:
        dialog.test_button.click()
    assert blocker.args[0] is False
    assert "mot de passe refusé" in dialog.result_label.text()
    assert "b3261e" in dialog.result_label.styleSheet()
    assert not dialog.save_button.isEnabled() and dialog.save() is None


def test_setup_unreachable_server_is_told_in_french(qtbot: QtBot, demo_ws: Workspace) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dialog = setup_dialog(qtbot, demo_ws)
    fill(qtbot, dialog, f"http://127.0.0.1:{port}/", PASSWORD)
    with qtbot.waitSignal(dialog.tested, timeout=30000):
        dialog.test_button.click()
    assert "injoignable" in dialog.result_label.text()


def test_without_a_keyring_the_password_stays_in_memory_only(
    qtbot: QtBot, demo_ws: Workspace, radicale: Radicale, no_keyring: None
) -> None:
    dialog = setup_dialog(qtbot, demo_ws)
    fill(qtbot, dialog, radicale.base, PASSWORD)
    with qtbot.waitSignal(dialog.tested, timeout=15000):
        dialog.test_button.click()
    source = dialog.save()
    assert source is not None
    assert "gardé en mémoire" in dialog.save_message
    assert passwords_for(demo_ws).lookup(source.id) == PASSWORD
    with demo_ws.sessions() as session:
        assert session.scalar(select(func.count()).select_from(StoredSecret)) == 0


def sources_dialog(qtbot: QtBot, ws: Workspace) -> CalendarSourcesDialog:
    practitioner = next(
        p for practice in ws.practices.list() for p in practice.practitioners if p.id == martin(ws)
    )
    dialog = CalendarSourcesDialog(ws, practitioner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def caldav_source(ws: Workspace, server: Radicale) -> int:
    source = ws.caldav.add_source(martin(ws), server.calendar_url, USER, label="Cabinet")
    passwords_for(ws)._memory[source.id] = PASSWORD  # as typed in the setup, this session
    return source.id


def sync_now(qtbot: QtBot, dialog: CalendarSourcesDialog) -> Any:
    with qtbot.waitSignal(dialog.synced, timeout=30000) as blocker:
        dialog.sync_button.click()
        assert dialog.busy and not dialog.progress.isHidden()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15000)
    return blocker.args[0]


def test_sync_now_shows_ok_then_offline_with_pending_pushes(
    qtbot: QtBot, demo_ws: Workspace, radicale: Radicale
) -> None:
    source_id = caldav_source(demo_ws, radicale)
    dialog = sources_dialog(qtbot, demo_ws)
    dialog.reload(select_id=source_id)
    assert dialog.state_of(source_id).startswith("jamais synchronisé")
    assert "Synchroniser maintenant" in dialog.sync_button.text()

    result = sync_now(qtbot, dialog)
    assert result.ok
    assert dialog.state_of(source_id).startswith("OK")
    assert "jamais" not in str(dialog.model.index(dialog.model.row_of(source_id), 3).data())

    appointment = book(demo_ws, 11, 9)
    demo_ws.caldav.queue_appointment(appointment, source_id, "create")
    radicale.stop()
    result = sync_now(qtbot, dialog)
    assert result.offline
    assert dialog.state_of(source_id).startswith("hors ligne · 1 envoi(s) en attente")
    assert "hors ligne" in dialog.message.text()


def make_conflict(ws: Workspace, server: Radicale, source_id: int) -> int:
    appointment = book(ws, 4, 10)
    ws.caldav.queue_appointment(appointment, source_id, "create")
    assert ws.caldav.push(source_id, PASSWORD).sent == 1
    name = f"appointment-{appointment}.ics"
    server.put(
        name,
        server.get(name)
        .replace("DTSTART:20270104T100000Z", "DTSTART:20270107T090000Z")
        .replace("DTEND:20270104T103000Z", "DTEND:20270107T093000Z")
        .replace("SUMMARY:Rendez-vous", "SUMMARY:Déplacé par le docteur"),
    )
    ws.bookings.move(appointment, datetime(2027, 1, 4, 16, 0, tzinfo=UTC))
    ws.caldav.queue_appointment(appointment, source_id, "update")
    return appointment


@pytest.mark.parametrize("keep", ["theirs", "ours"])
def test_conflict_shown_side_by_side_and_resolved(
    qtbot: QtBot, demo_ws: Workspace, radicale: Radicale, keep: str
) -> None:
    source_id = caldav_source(demo_ws, radicale)
    appointment = make_conflict(demo_ws, radicale, source_id)
    dialog = sources_dialog(qtbot, demo_ws)
    dialog.reload(select_id=source_id)
    sync_now(qtbot, dialog)
    assert dialog.state_of(source_id).startswith("conflit (1)")
    assert dialog.conflicts_button.isEnabled() and "(1)" in dialog.conflicts_button.text()

    dialog.show_conflicts()
    conflicts = dialog.conflict_dialog
    assert isinstance(conflicts, ConflictDialog)
    qtbot.addWidget(conflicts)
    ours, theirs = conflicts.field_texts()
    assert ours[:2] == ("lundi 4 janvier", "17 h – 17 h 30")
    assert theirs[:2] == ("jeudi 7 janvier", "10 h – 10 h 30")
    assert theirs[2].startswith("Déplacé par le docteur")
    assert ours[3] == theirs[3] and "Lyon" in ours[3]  # the practice's address, as place
    assert ours[2].startswith("Rendez-vous")
    assert "font-weight: 700" in conflicts.ours_cells[0].styleSheet()  # differences stand out

    button = conflicts.theirs_button if keep == "theirs" else conflicts.ours_button
    with qtbot.waitSignal(conflicts.resolved, timeout=30000) as blocker:
        button.click()
        assert conflicts.working and not conflicts.ours_button.isEnabled()
    report = blocker.args[0]
    assert report.ok, report.message
    qtbot.waitUntil(lambda: not conflicts.working)
    assert conflicts.current is None and "Aucun conflit" in conflicts.heading.text()
    with demo_ws.sessions() as session:
        row = session.get(Appointment, appointment)
        assert row is not None
        start = row.starts_at
    name = f"appointment-{appointment}.ics"
    if keep == "theirs":
        assert start == datetime(2027, 1, 7, 9, 0, tzinfo=UTC)
        assert "Déplacé par le docteur" in radicale.get(name)
    else:
        assert start == datetime(2027, 1, 4, 16, 0, tzinfo=UTC)
        assert "DTSTART:20270104T160000Z" in radicale.get(name)
    qtbot.waitUntil(lambda: not dialog.state_of(source_id).startswith("conflit"))
    assert not dialog.conflicts_button.isEnabled()


def test_scheduled_refresh_syncs_every_source_off_the_gui_thread(
    qtbot: QtBot, demo_ws: Workspace, radicale: Radicale, tmp_path: Path
) -> None:
    path = tmp_path / "agenda.ics"
    path.write_bytes((FIXTURES / "practitioner_busy.ics").read_bytes())
    file_source = demo_ws.calendars.add_file_source(martin(demo_ws), path)
    source_id = caldav_source(demo_ws, radicale)
    appointment = book(demo_ws, 5, 9)
    demo_ws.caldav.queue_appointment(appointment, source_id, "create")
    assert demo_ws.caldav.push(source_id, PASSWORD).sent == 1
    radicale.delete(f"appointment-{appointment}.ics")

    refresher = CalendarRefresher(demo_ws, notify=True)
    assert refresher.timer.interval() == 15 * 60 * 1000
    with qtbot.waitSignal(refresher.finished, timeout=30000) as blocker:
        refresher.start()
        assert refresher.timer.isActive() and refresher.running
        assert refresher.refresh_now() is False  # one refresh at a time
    results = blocker.args[0]
    by_id = {result.source_id: result for result in results}
    assert by_id[file_source.id].ok and by_id[source_id].ok
    [notice] = by_id[source_id].notices
    assert "annulé" in notice
    assert refresher.notice_box is not None and notice in refresher.notice_box.informativeText()
    refresher.notice_box.close()
    assert summary(results).startswith("Agendas synchronisés : ")
    with demo_ws.sessions() as session:
        row = session.get(Appointment, appointment)
        assert row is not None and row.status == "cancelled"
    refresher.stop()


def test_main_window_refreshes_calendars_on_a_timer_and_on_demand(
    qtbot: QtBot, demo_ws: Workspace, tmp_path: Path
) -> None:
    from permanence.ui.main_window import MainWindow

    path = tmp_path / "agenda.ics"
    path.write_bytes((FIXTURES / "practitioner_busy.ics").read_bytes())
    source = demo_ws.calendars.add_file_source(martin(demo_ws), path)
    window = MainWindow(demo_ws)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: hasattr(window, "calendar_refresher"), timeout=20000)
    refresher = window.calendar_refresher
    assert refresher.timer.isActive() and refresher.timer.interval() == 15 * 60 * 1000
    action = window.calendar_sync_action
    assert action.shortcut().toString() == "Ctrl+Shift+I"
    menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
    assert any(action in menu.actions() for menu in menus)
    qtbot.waitUntil(lambda: not refresher.running, timeout=30000)
    with qtbot.waitSignal(refresher.finished, timeout=30000) as blocker:
        action.trigger()
    [result] = blocker.args[0]
    assert result.source_id == source.id and result.ok
    assert window.statusBar().currentMessage().startswith("Agendas synchronisés : 1 à jour")
    assert demo_ws.calendars.get(source.id).last_status == "ok"
    refresher.stop()
