"""Login, lock, first run, accounts and roles as she meets them in the window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget, QWizard
from pytestqt.qtbot import QtBot

from permanence.core.demo import load_demo, read_demo
from permanence.core.resources import resource_path
from permanence.core.security.keyslots import KeySlots
from permanence.core.workspace import Workspace
from permanence.ui.main_window import MainWindow
from permanence.ui.security.accounts_dialog import AccountsDialog, NewAccountDialog
from permanence.ui.security.first_run import FirstRunWizard
from permanence.ui.security.login import LoginDialog

PASSWORD = "Secret-2026"


@pytest.fixture
def encrypted_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "ws"
    with Workspace.create_encrypted(folder, "marie", PASSWORD, display_name="Marie D.") as ws:
        load_demo(ws, read_demo(resource_path("demo")), today=date.today())
    return folder


@pytest.fixture
def window(qtbot: QtBot, encrypted_folder: Path) -> Iterator[MainWindow]:
    ws = Workspace.unlock(encrypted_folder, "marie", PASSWORD, exclusive=True)
    win = MainWindow(ws)
    qtbot.addWidget(win)
    win.show()
    yield win


def _visible_texts(win: MainWindow) -> str:
    return " ".join(label.text() for label in win.findChildren(QLabel) if label.isVisibleTo(win))


def test_login_refuses_a_wrong_password_then_opens(qtbot: QtBot, encrypted_folder: Path) -> None:
    dialog = LoginDialog(encrypted_folder)
    qtbot.addWidget(dialog)
    dialog.username.setText("marie")
    dialog.password.setText("pas-le-bon")
    dialog.try_login()
    qtbot.waitUntil(lambda: "incorrect" in dialog.error.text(), timeout=10_000)
    assert dialog.workspace is None and dialog.password.text() == ""
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.workspace is not None and dialog.workspace.user.username == "marie"
    dialog.workspace.close()


def test_login_shows_the_wait_after_repeated_failures(qtbot: QtBot, encrypted_folder: Path) -> None:
    dialog = LoginDialog(encrypted_folder)
    qtbot.addWidget(dialog)
    dialog.username.setText("marie")
    for _ in range(3):
        dialog.password.setText("faux-mot")
        dialog.try_login()
        qtbot.waitUntil(lambda: dialog.password.isEnabled(), timeout=10_000)
    qtbot.waitUntil(lambda: "nouvel essai possible dans" in dialog.error.text(), timeout=5000)
    assert not dialog.ok.isEnabled()


def test_lock_hides_every_patient_detail_and_keeps_the_call(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.new_call(from_number="0612345678")
    card = window.call_card
    assert card is not None
    card.triage.set_motif("douleur au genou depuis hier")
    assert card.isVisible()

    qtbot.keyClick(window, Qt.Key.Key_F12)
    controller = window.lock_controller
    assert controller is not None and controller.locked
    assert window.windowTitle() == "Permanence — verrouillé"
    assert not window.menuBar().isVisible()
    screen = controller.screen
    shown = [
        widget
        for widget in window.findChildren(QWidget)
        if widget.isVisible() and widget is not window.outer
    ]
    leaks = [w for w in shown if w is not screen and not screen.isAncestorOf(w)]
    assert leaks == [], [type(w).__name__ for w in leaks]
    assert not card.isVisible() and not window.navigator.isVisible()
    assert "Marie D." in _visible_texts(window)
    assert not window.action_new_call.isEnabled()

    controller.screen.password.setText("mauvais")
    controller.screen.button.click()
    qtbot.waitUntil(lambda: "incorrect" in controller.screen.error.text(), timeout=10_000)
    assert controller.locked
    controller.screen.password.setText(PASSWORD)
    with qtbot.waitSignal(controller.locked_changed, timeout=10_000):
        controller.screen.button.click()
    assert not controller.locked and window.menuBar().isVisible()
    assert window.call_card is card and card.motif_text() == "douleur au genou depuis hier"
    assert window.action_new_call.isEnabled()
    kinds = {(e.action, e.kind) for e in window.workspace.audit.entries(limit=20)}
    assert ("verrouillage", "compte") in kinds


def test_idle_time_locks_the_window(qtbot: QtBot, window: MainWindow) -> None:
    controller = window.lock_controller
    assert controller is not None
    controller.watcher.set_minutes(0.002)  # 120 ms
    qtbot.waitUntil(lambda: controller.locked, timeout=5000)


def test_a_plain_workspace_cannot_be_locked_and_says_it_is_not_encrypted(
    qtbot: QtBot, demo_ws: Workspace
) -> None:
    win = MainWindow(demo_ws)
    qtbot.addWidget(win)
    assert win.lock_controller is None
    assert not win.action_lock.isEnabled()
    assert "non chiffrées" in win.workspace_label.text()


def test_a_practitioner_account_gets_only_its_own_view(
    qtbot: QtBot, encrypted_folder: Path
) -> None:
    with Workspace.unlock(encrypted_folder, "marie", PASSWORD) as ws:
        martin = next(
            p.id for pr in ws.practices.list() for p in pr.practitioners if p.last_name == "Martin"
        )
        ws.accounts.create("dr.martin", "Martin-2026!", role="praticien", practitioner_id=martin)
    ws = Workspace.unlock(encrypted_folder, "dr.martin", "Martin-2026!")
    win = MainWindow(ws)
    qtbot.addWidget(win)
    assert not win.action_new_call.isEnabled()
    assert not win.action_call_log.isEnabled()
    assert win.action_messages.isEnabled()
    shown = [p.id for pr in ws.practices.list() for p in pr.practitioners]
    assert shown == [martin]
    win.show_messages()
    assert win.messages is not None
    assert win.messages.practitioner_box.count() == 1
    assert "praticien" in win.workspace_label.text()


def test_the_admin_creates_an_account_in_the_dialog(qtbot: QtBot, window: MainWindow) -> None:
    dialog = AccountsDialog(window.workspace, parent=window)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 1
    new = NewAccountDialog(window.workspace, parent=dialog)
    qtbot.addWidget(new)
    new.username.setText("claire")
    new.password.setText("Claire-2026!")
    new.again.setText("Claire-2026!")
    new.create_account()
    assert new.result() == new.DialogCode.Accepted
    dialog.refresh()
    assert dialog.model.rowCount() == 2
    new2 = NewAccountDialog(window.workspace, parent=dialog)
    qtbot.addWidget(new2)
    new2.username.setText("claire")
    new2.password.setText("Claire-2026!")
    new2.again.setText("Claire-2026!")
    new2.create_account()
    assert "existe déjà" in new2.error.text()
    dialog.idle.setValue(9)
    dialog.reject()
    assert window.workspace.setting("lock.idle_minutes") == "9"


def test_first_run_creates_an_encrypted_workspace_with_the_demo(
    qtbot: QtBot, tmp_path: Path
) -> None:
    folder = tmp_path / "neuf"
    wizard = FirstRunWizard(folder)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    wizard.account.display_name.setText("Sophie Bernard")
    wizard.account.username.setText("sophie")
    wizard.account.password.setText("court")
    wizard.account.again.setText("court")
    wizard.next()
    assert wizard.currentPage() is wizard.account
    assert "au moins 8" in wizard.account.error.text()
    wizard.account.password.setText(PASSWORD)
    wizard.account.again.setText(PASSWORD)
    wizard.next()
    assert wizard.currentPage() is wizard.content
    with qtbot.waitSignal(wizard.accepted, timeout=30_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    ws = wizard.workspace
    assert ws is not None
    try:
        assert ws.encrypted and ws.user.is_admin and ws.user.username == "sophie"
        assert len(ws.practices.list()) >= 3
        assert ws.secretary == "Sophie Bernard"
    finally:
        ws.close()
    assert KeySlots.exists_in(folder)


def test_the_window_makes_the_daily_backup_in_the_background(
    qtbot: QtBot, window: MainWindow
) -> None:
    folder = window.workspace.location.directory
    assert folder is not None
    window._run_maintenance()
    qtbot.waitUntil(lambda: any((folder / "sauvegardes").glob("*")), timeout=20_000)
    qtbot.waitUntil(
        lambda: "Sauvegarde du jour" in window.statusBar().currentMessage(), timeout=5000
    )
    before = sorted((folder / "sauvegardes").iterdir())
    window._run_maintenance()  # not due again the same day
    qtbot.wait(500)
    assert sorted((folder / "sauvegardes").iterdir()) == before


def test_a_call_arriving_while_locked_waits_for_the_unlock(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.lock_now()
    controller = window.lock_controller
    assert controller is not None
    window.on_instance_message({"action": "call", "to": "0478601234", "from": "0612345678"})
    assert window.call_card is None or window.call_card.call_id is None
    assert "appel entrant attend" in controller.screen.error.text()
    assert "0612" not in controller.screen.error.text()
    controller.unlock()
    assert window.call_card is not None and window.call_card.call_id is not None
    assert window.stack.currentWidget() is window.call_card
