"""Editing consignes from the main window keeps every version and shows the history."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from qt_keys import type_text

from permanence.core.workspace import Workspace
from permanence.ui.consignes import ConsignesEditor
from permanence.ui.main_window import MainWindow


def test_edit_from_keyboard_adds_a_version(qtbot: QtBot, demo_ws: Workspace) -> None:
    window = MainWindow(demo_ws)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    editor = next(
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, ConsignesEditor) and w.isVisible()
    )
    qtbot.waitUntil(editor.isActiveWindow)
    practice, doctor = window.current_selection()  # type: ignore[misc]
    assert doctor is not None
    before = demo_ws.consignes.history(practice.id, doctor.id, "accueil")
    editor.editor.moveCursor(editor.editor.textCursor().MoveOperation.End)
    type_text(qtbot, editor.editor, "\nNe pas oublier : ménage le vendredi.")
    qtbot.keyClick(editor.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    after = demo_ws.consignes.history(practice.id, doctor.id, "accueil")
    assert len(after) == len(before) + 1
    assert after[0].body.endswith("ménage le vendredi.")
    assert editor.history_model.rowCount() == len(after)
    assert "Version 2" in editor.history_model.item(0).text()
    editor.history.setCurrentIndex(editor.history_model.index(1, 0))
    assert editor.old_text.toPlainText() == before[0].body
    editor.reject()
    assert "ménage le vendredi" in window.consignes.browser.toPlainText()


def test_restore_an_old_version(qtbot: QtBot, demo_ws: Workspace) -> None:
    practice = demo_ws.practices.list()[0]
    doctor = practice.practitioners[0]
    original = demo_ws.consignes.current(practice.id, doctor.id).section("tarifs").body
    demo_ws.consignes.update(practice.id, doctor.id, "tarifs", "Texte erroné")
    editor = ConsignesEditor(demo_ws, practice, doctor, section="tarifs")
    qtbot.addWidget(editor)
    editor.history.setCurrentIndex(editor.history_model.index(1, 0))
    qtbot.mouseClick(editor.restore_button, Qt.MouseButton.LeftButton)
    assert editor.save()
    history = demo_ws.consignes.history(practice.id, doctor.id, "tarifs")
    assert [v.body for v in history[:3]] == [original, "Texte erroné", original]


def test_too_long_text_is_refused_and_kept_in_the_editor(
    qtbot: QtBot, demo_ws: Workspace, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    practice = demo_ws.practices.list()[0]
    doctor = practice.practitioners[0]
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    editor = ConsignesEditor(demo_ws, practice, doctor, section="acces")
    qtbot.addWidget(editor)
    editor.editor.setPlainText("x" * 25_000)
    assert not editor.save()
    assert shown and "trop longue" in shown[0]
    assert editor.editor.toPlainText() == "x" * 25_000
    assert len(demo_ws.consignes.history(practice.id, doctor.id, "acces")) == 1
