"""The administrator's audit log dialog, the views that record "consultation", and the
menu entries of the main window."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from permanence.core.errors import PermissionDeniedError
from permanence.core.messages import MessageDraft
from permanence.core.security.accounts import AccountInfo
from permanence.core.security.audit import CREATED, EXPORTED, VIEWED
from permanence.core.security.retention import retention_months
from permanence.core.workspace import Workspace
from permanence.ui.call.caller_box import CallerBox
from permanence.ui.main_window import MainWindow
from permanence.ui.messages import PractitionerMessagesView
from permanence.ui.security.audit_dialog import AuditDialog, format_moment

SECRETARY = AccountInfo(7, "sophie", "Sophie", "secretaire", None, True)


def _dialog(qtbot: QtBot, ws: Workspace) -> AuditDialog:
    dialog = AuditDialog(ws)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _rows(dialog: AuditDialog) -> list[list[str]]:
    proxy = dialog.proxy
    return [
        [str(proxy.index(r, c).data()) for c in range(proxy.columnCount())]
        for r in range(proxy.rowCount())
    ]


def test_dates_are_in_french_form() -> None:
    moment = datetime(2025, 1, 14, 9, 30, tzinfo=UTC)  # 10 h 30 in Paris
    assert format_moment(moment, today=date(2025, 6, 1)) == "mardi 14 janvier 10 h 30"
    assert format_moment(moment, today=date(2026, 6, 1)) == "mardi 14 janvier 2025 10 h 30"
    assert format_moment(datetime(2025, 7, 1, 7, 0, tzinfo=UTC), today=date(2025, 7, 1)) == (
        "mardi 1er juillet 9 h"
    )


def test_entries_are_listed_filtered_and_sorted(qtbot: QtBot, demo_ws: Workspace) -> None:
    demo_ws.audit.record(VIEWED, "message", 3)
    demo_ws.audit.record(EXPORTED, "appelant", 2, "Export RGPD")
    dialog = _dialog(qtbot, demo_ws)
    assert dialog.windowTitle() == "Journal d'audit"
    assert [dialog.model.headerData(c, Qt.Orientation.Horizontal, 0) for c in range(5)] == [
        "Date",
        "Utilisateur",
        "Action",
        "Objet",
        "Détail",
    ]
    first = _rows(dialog)[0]  # newest first
    assert first[1:] == ["utilisateur local", EXPORTED, "appelant n° 2", "Export RGPD"]
    assert " h" in first[0] and first[0].split()[0] in (
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
    )
    # Kind of object.
    dialog.kind_filter.setCurrentIndex(dialog.kind_filter.findData("message"))
    assert {row[3].split(" n°")[0] for row in _rows(dialog)} == {"message"}
    # Action.
    dialog.action_filter.setCurrentIndex(dialog.action_filter.findData(VIEWED))
    assert _rows(dialog) == [[_rows(dialog)[0][0], "utilisateur local", VIEWED, "message n° 3", ""]]
    # User: nobody called "sophie" did anything.
    dialog.kind_filter.setCurrentIndex(0)
    dialog.action_filter.setCurrentIndex(0)
    dialog.user_filter.addItem("sophie", "sophie")
    dialog.user_filter.setCurrentIndex(dialog.user_filter.count() - 1)
    assert _rows(dialog) == [] and dialog.count_label.text() == "0 entrée."
    assert not dialog.export_button.isEnabled()
    # Period: a month long ago holds nothing.
    dialog.user_filter.setCurrentIndex(0)
    dialog.until_edit.setDate(QDate(2020, 1, 31))
    dialog.since_edit.setDate(QDate(2020, 1, 1))
    assert _rows(dialog) == []
    # Sorting by user or by date keeps every row.
    dialog.since_edit.setDate(QDate.currentDate().addDays(-2))
    dialog.until_edit.setDate(QDate.currentDate().addDays(1))
    total = len(_rows(dialog))
    dialog.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert len(_rows(dialog)) == total > 2
    actions = [row[2] for row in _rows(dialog)]
    assert actions == sorted(actions) and {CREATED, EXPORTED} <= set(actions)


def test_export_writes_csv_and_is_itself_audited(
    qtbot: QtBot, demo_ws: Workspace, tmp_path: Path
) -> None:
    demo_ws.audit.record(VIEWED, "message", 3)
    dialog = _dialog(qtbot, demo_ws)
    dialog.kind_filter.setCurrentIndex(dialog.kind_filter.findData("message"))
    shown = len(dialog.records())
    target = tmp_path / "journal.csv"
    assert dialog.export_csv(target)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("\ufeffn°;date (UTC);utilisateur;action;objet")
    assert len(text.strip().splitlines()) == shown + 1
    latest = demo_ws.audit.entries(limit=1)[0]
    assert (latest.action, latest.kind) == (EXPORTED, "journal d'audit")
    assert latest.summary.startswith(f"{shown} entrée(s) du ")
    assert not dialog.export_csv(tmp_path / "absent" / "journal.csv")
    assert "Impossible d'écrire" in dialog.status_label.text()


def test_only_an_administrator_opens_it(qtbot: QtBot, demo_ws: Workspace) -> None:
    demo_ws.user = SECRETARY
    with pytest.raises(PermissionDeniedError, match="administrateur"):
        AuditDialog(demo_ws)


def test_opening_a_message_and_showing_a_caller_are_recorded(
    qtbot: QtBot, demo_ws: Workspace
) -> None:
    doctor = demo_ws.practices.list()[0].practitioners[0]
    message = demo_ws.messages.save(
        MessageDraft(
            practice_id=doctor.practice_id,
            practitioner_id=doctor.id,
            caller_last_name="Vu",
            callback_number="06 98 76 54 32",
            reason="Ordonnance",
        ),
        confirmed=True,
        readback_text="Je relis…",
        by="Sophie",
        now=datetime.now(UTC) - timedelta(minutes=5),
    )
    view = PractitionerMessagesView(demo_ws)
    qtbot.addWidget(view)
    view.show_practitioner(doctor.id)
    view.table.selectRow(view.model.row_of(message.id))
    assert ("consultation", "message") in {
        (e.action, e.kind) for e in demo_ws.audit.entries(object_id=message.id)
    }

    caller = demo_ws.callers.get(1)
    box = CallerBox()
    qtbot.addWidget(box)
    box.set_workspace(demo_ws)
    box.choose(caller)
    latest = demo_ws.audit.entries(limit=1)[0]
    assert (latest.action, latest.kind, latest.object_id) == (VIEWED, "appelant", "1")


def _window(qtbot: QtBot, ws: Workspace) -> MainWindow:
    window = MainWindow(ws)
    qtbot.addWidget(window)
    window.show()
    return window


def test_main_window_menu_entries_and_shortcuts(qtbot: QtBot, demo_ws: Workspace) -> None:
    window = _window(qtbot, demo_ws)
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Fichier")
    entries = [a.text() for a in file_menu.actions() if not a.isSeparator()]
    assert entries[-4:] == [
        "&Journal d'audit…",
        "&Données d'une personne (RGPD)…",
        "Durée de &conservation…",
        "&Quitter",
    ]
    assert window.action_audit_log.shortcut() == QKeySequence("Ctrl+Shift+J")
    assert window.action_person_data.shortcut() == QKeySequence("Ctrl+Shift+P")
    assert window.action_retention.shortcut() == QKeySequence("Ctrl+Shift+D")
    # No shortcut is used twice in the window, and F1 lists ours.
    taken = [s.toString() for a in window.actions() for s in a.shortcuts()]
    assert len(taken) == len(set(taken)), sorted(taken)
    assert {window.action_audit_log, window.action_person_data} <= set(window.actions_list)

    window.action_audit_log.trigger()
    dialogs = window.findChildren(AuditDialog)
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    dialogs[0].close()

    window.action_retention.trigger()
    inputs = [w for w in window.findChildren(QInputDialog) if w.isVisible()]
    assert inputs and inputs[0].intValue() == 12
    inputs[0].setIntValue(18)
    inputs[0].accept()
    assert retention_months(demo_ws) == 18


def test_main_window_refuses_the_audit_log_to_a_secretary(
    qtbot: QtBot, demo_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _window(qtbot, demo_ws)
    demo_ws.user = SECRETARY
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, _title, text, *a: warnings.append(text)
    )
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Fichier")
    file_menu.aboutToShow.emit()  # the menu greys what a secretary may not open
    assert not window.action_audit_log.isEnabled() and not window.action_retention.isEnabled()
    assert window.action_person_data.isEnabled()
    # A shortcut still reaching the slot gets a French refusal, not the dialog.
    window.action_audit_log.setEnabled(True)
    window.action_retention.setEnabled(True)
    window.action_audit_log.trigger()
    window.action_retention.trigger()
    assert len(warnings) == 2 and "administrateur" in warnings[0]
    assert not window.findChildren(AuditDialog)
