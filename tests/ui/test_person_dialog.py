"""RGPD dialog: find a person, see what is held, export it, erase with the last name typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from qt_keys import type_text

from permanence.core.errors import NotFoundError, PermissionDeniedError
from permanence.core.security.accounts import AccountInfo
from permanence.core.security.audit import DELETED, EXPORTED
from permanence.core.workspace import Workspace
from permanence.ui.main_window import MainWindow
from permanence.ui.security.person_dialog import PersonDialog

SURNAME = "Quintard-Zébulon"


@pytest.fixture
def caller_id(demo_ws: Workspace) -> int:
    practice = demo_ws.practices.list()[0]
    return demo_ws.callers.create(
        SURNAME, "Gwenaëlle", phones=["06 31 41 59 26"], practice_ids=[practice.id]
    ).id


def _dialog(qtbot: QtBot, ws: Workspace) -> PersonDialog:
    dialog = PersonDialog(ws)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _find(qtbot: QtBot, dialog: PersonDialog, text: str) -> None:
    dialog.search_edit.setFocus()
    type_text(qtbot, dialog.search_edit, text)
    qtbot.waitUntil(lambda: dialog.current() is not None, timeout=3000)


def test_search_by_name_or_number_shows_what_is_held(
    qtbot: QtBot, demo_ws: Workspace, caller_id: int
) -> None:
    dialog = _dialog(qtbot, demo_ws)
    assert dialog.windowTitle() == "Données d'une personne (RGPD)"
    assert not dialog.export_button.isEnabled() and not dialog.erase_button.isEnabled()
    _find(qtbot, dialog, "quintard zébulon")
    held = dialog.current()
    assert held is not None and held.caller.id == caller_id
    assert dialog.model.index(0, 1).data() == "QUINTARD-ZÉBULON Gwenaëlle"
    assert dialog.model.index(0, 3).data() == "06 31 41 59 26"
    text = dialog.details.text()
    assert "appelant n° " in text and "0 appel(s)" in text and "06 31 41 59 26" in text
    assert dialog.export_button.isEnabled() and dialog.erase_button.isEnabled()
    dialog.search_edit.clear()
    type_text(qtbot, dialog.search_edit, "06 31 41")
    assert [c.id for c in dialog.search()] == [caller_id]


def test_export_writes_the_page_and_is_audited(
    qtbot: QtBot, demo_ws: Workspace, caller_id: int, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, demo_ws)
    _find(qtbot, dialog, "Quintard")
    target = tmp_path / "personne.html"
    assert dialog.export_to(target)
    assert "Données détenues sur QUINTARD-ZÉBULON Gwenaëlle" in target.read_text("utf-8")
    entry = demo_ws.audit.entries(limit=1)[0]
    assert (entry.action, entry.object_id) == (EXPORTED, str(caller_id))
    assert "exportées" in dialog.status_label.text()


def test_erasing_needs_the_last_name_typed(
    qtbot: QtBot, demo_ws: Workspace, caller_id: int
) -> None:
    dialog = _dialog(qtbot, demo_ws)
    _find(qtbot, dialog, "Quintard")
    confirm = dialog.ask_erase()
    assert confirm is not None and confirm.isVisible()
    assert "1 numéro(s) de téléphone" in confirm.findChildren(type(dialog.details))[0].text()
    assert not confirm.ok_button.isEnabled()
    type_text(qtbot, confirm.name_edit, "Quintard")
    assert not confirm.ok_button.isEnabled()
    qtbot.keyClick(confirm.name_edit, Qt.Key.Key_Return)  # Enter does not bypass the check
    assert confirm.isVisible() and demo_ws.callers.get(caller_id).last_name == SURNAME
    type_text(qtbot, confirm.name_edit, "-zébulon")
    assert confirm.ok_button.isEnabled()
    with qtbot.waitSignal(dialog.erased, timeout=3000):
        qtbot.keyClick(confirm.name_edit, Qt.Key.Key_Return)
    assert not confirm.isVisible()
    with pytest.raises(NotFoundError):
        demo_ws.callers.get(caller_id)
    assert "a été effacé(e)" in dialog.status_label.text()
    entry = demo_ws.audit.entries(limit=1)[0]
    assert (entry.action, entry.kind, entry.object_id) == (DELETED, "appelant", str(caller_id))
    assert dialog.current() is None and dialog.model.rowCount() == 0


def test_cancel_keeps_the_person(qtbot: QtBot, demo_ws: Workspace, caller_id: int) -> None:
    dialog = _dialog(qtbot, demo_ws)
    _find(qtbot, dialog, "Quintard")
    confirm = dialog.ask_erase()
    assert confirm is not None
    type_text(qtbot, confirm.name_edit, SURNAME)
    confirm.reject()
    assert demo_ws.callers.get(caller_id).last_name == SURNAME


def test_roles(qtbot: QtBot, demo_ws: Workspace, caller_id: int) -> None:
    demo_ws.user = AccountInfo(7, "sophie", "Sophie", "secretaire", None, True)
    dialog = _dialog(qtbot, demo_ws)
    _find(qtbot, dialog, "Quintard")
    assert dialog.export_button.isEnabled() and not dialog.erase_button.isEnabled()
    assert dialog.ask_erase() is None
    assert "administrateur" in dialog.status_label.text()
    demo_ws.user = AccountInfo(8, "martin", "Dr Martin", "praticien", 1, True)
    with pytest.raises(PermissionDeniedError):
        PersonDialog(demo_ws)


def test_reachable_from_the_main_window(
    qtbot: QtBot, demo_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(demo_ws)
    qtbot.addWidget(window)
    window.show()
    window.action_person_data.trigger()
    dialogs = window.findChildren(PersonDialog)
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    dialogs[0].close()
    demo_ws.user = AccountInfo(8, "martin", "Dr Martin", "praticien", 1, True)
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, _title, text, *a: warnings.append(text)
    )
    window.action_person_data.trigger()
    assert warnings and "praticien" in warnings[0]
