"""The main window on the demo workspace, driven from the keyboard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from permanence.core.db.models import Absence
from permanence.core.workspace import Workspace
from permanence.ui.main_window import MainWindow


def make_window(qtbot: QtBot, ws: Workspace) -> MainWindow:
    window = MainWindow(ws)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_navigator_lists_demo_practices_and_shows_consignes(
    qtbot: QtBot, demo_ws: Workspace
) -> None:
    window = make_window(qtbot, demo_ws)
    tree = window.navigator.tree
    assert tree.model().rowCount() == len(demo_ws.practices.list())
    practice, practitioner = window.current_selection()  # type: ignore[misc]
    assert practitioner is not None
    assert practice.greeting in window.consignes.greeting.text()
    html = window.consignes.browser.toPlainText()
    assert "Urgences" in html and "Accueil" in html
    assert demo_ws.location.label in window.workspace_label.text()
    assert "Démo" in window.workspace_label.text()


def test_type_ahead_jumps_to_a_practitioner(qtbot: QtBot, demo_ws: Workspace) -> None:
    window = make_window(qtbot, demo_ws)
    target = next(
        d for p in demo_ws.practices.list() for d in p.practitioners if p.kind == "dentiste"
    )
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.navigator.filter_edit.hasFocus()
    qtbot.keyClicks(
        window.navigator.filter_edit,
        target.last_name.lower()[:5].encode("ascii", "ignore").decode(),
    )
    _practice, practitioner = window.current_selection()  # type: ignore[misc]
    assert practitioner == target
    assert target.display_name in window.consignes.title.text()
    qtbot.keyClick(window.navigator.filter_edit, Qt.Key.Key_Return)
    assert window.navigator.tree.hasFocus()


def test_type_ahead_ignores_accents_and_case(qtbot: QtBot, demo_ws: Workspace) -> None:
    window = make_window(qtbot, demo_ws)
    window.navigator.filter_edit.setText("DENTAIRE")
    practice, _ = window.current_selection()  # type: ignore[misc]
    assert practice.kind == "dentiste"
    window.navigator.filter_edit.setText("zzzz introuvable")
    assert window.navigator.tree.model().rowCount() == 0


def test_alt_arrows_move_through_the_list(qtbot: QtBot, demo_ws: Workspace) -> None:
    window = make_window(qtbot, demo_ws)
    window.navigator.tree.setFocus()
    before = window.current_selection()
    qtbot.keyClick(window.navigator.tree, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert window.current_selection() != before
    qtbot.keyClick(window.navigator.tree, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert window.current_selection() == before


def test_absence_today_shows_replacement_first(qtbot: QtBot, demo_ws: Workspace) -> None:
    practice = demo_ws.practices.list()[0]
    doctor = practice.practitioners[0]
    now = datetime.now(UTC)
    with demo_ws.sessions.begin() as session:
        session.add(
            Absence(
                practitioner_id=doctor.id,
                starts_at=now - timedelta(hours=2),
                ends_at=now + timedelta(days=2),
                reason="Formation",
                replacement="Dr Remplaçant au 04 78 00 00 00",
            )
        )
    window = make_window(qtbot, demo_ws)
    window.navigator.select(practice.id, doctor.id)
    assert window.consignes.absence.isVisible()
    assert "Dr Remplaçant" in window.consignes.absence.text()
    assert window.consignes.browser.toPlainText().lstrip().startswith("Absences et remplacements")


def test_every_action_has_a_shortcut_and_french_label(qtbot: QtBot, demo_ws: Workspace) -> None:
    window = make_window(qtbot, demo_ws)
    for action in window.actions_list:
        assert action.shortcuts(), action.text()
    assert [a.text() for a in window.menuBar().actions()] == [
        "&Appels",
        "&Fichier",
        "&Cabinets",
        "C&onsignes",
        "&Aide",
    ]


def test_qt_dialogs_are_french(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from permanence.ui.app import create_application

    app = create_application()
    assert app is QApplication.instance()
    from permanence.ui.i18n import install_french

    translators = install_french(app)
    try:
        assert translators, "qtbase_fr introuvable"
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        qtbot.addWidget(box)
        assert (
            box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == "Annuler"
        )
    finally:
        for translator in translators:
            app.removeTranslator(translator)
