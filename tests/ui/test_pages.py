"""The call log, the follow-ups page and the billing rules dialog."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from permanence.core.workspace import Workspace
from permanence.ui.billing import BillingRulesDialog
from permanence.ui.main_window import MainWindow


def open_window(qtbot: QtBot, ws: Workspace) -> MainWindow:
    window = MainWindow(ws)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_call_log_filters(qtbot: QtBot, qtmodeltester: ModelTester, demo_ws: Workspace) -> None:
    window = open_window(qtbot, demo_ws)
    window.show_call_log()
    log = window.call_log
    assert log is not None
    qtmodeltester.check(log.model)
    qtmodeltester.check(log.proxy)
    total = log.proxy.rowCount()
    assert total == len(demo_ws.calls.log())
    assert total > 20
    log.billing_filter.setCurrentIndex(log.billing_filter.findText("Non facturés"))
    unbilled = log.proxy.rowCount()
    assert 0 < unbilled < total
    assert all(log.proxy.index(r, 8).data() == "non facturé" for r in range(unbilled))
    log.billing_filter.setCurrentIndex(0)
    log.outcome_filter.setCurrentIndex(log.outcome_filter.findData("demarchage"))
    assert all(
        log.proxy.index(r, 7).data().startswith("Démarchage") for r in range(log.proxy.rowCount())
    )
    log.outcome_filter.setCurrentIndex(0)
    practice = demo_ws.practices.list()[1]
    log.practice_filter.setCurrentIndex(log.practice_filter.findData(practice.id))
    assert {log.proxy.index(r, 3).data() for r in range(log.proxy.rowCount())} == {practice.name}
    assert "appel(s) affiché(s)" in log.totals.text()


def test_callbacks_page_lists_messages_and_promises(
    qtbot: QtBot, qtmodeltester: ModelTester, demo_ws: Workspace
) -> None:
    now = datetime.now(UTC)
    practice = demo_ws.practices.list()[0]
    demo_ws.followups.create(
        "Rappeler Mme Dupont", now + timedelta(hours=2), practice_id=practice.id, now=now
    )
    late = demo_ws.followups.create(
        "Envoyer l'ordonnance", now + timedelta(minutes=1), practice_id=practice.id, now=now
    )
    window = open_window(qtbot, demo_ws)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    page = window.followups
    assert page is not None and window.stack.currentWidget() is page
    page.refresh(now + timedelta(minutes=30))
    qtmodeltester.check(page.model)
    rows = [page.model.item(r) for r in range(page.model.rowCount())]
    reasons = [item.reason for item in rows]
    assert "Envoyer l'ordonnance" in reasons and "Rappeler Mme Dupont" in reasons
    assert any(item.source == "message" for item in rows)  # the demo's open messages
    overdue = sum(1 for item in rows if item.overdue)
    assert f"dont {overdue} en retard" in page.summary.text()
    assert window.overdue_label.text() == f"{overdue} rappel(s) en retard"
    row = reasons.index("Envoyer l'ordonnance")
    assert page.model.index(row, 0).data().startswith("en retard")
    page.table.selectRow(row)
    qtbot.keyClick(page.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert demo_ws.followups.get(late.id).is_done
    assert "Envoyer l'ordonnance" not in [
        page.model.item(r).reason for r in range(page.model.rowCount())
    ]
    message_row = next(
        r for r in range(page.model.rowCount()) if page.model.item(r).source == "message"
    )
    message_id = page.model.item(message_row).source_id
    page.table.selectRow(message_row)
    page.mark_done()
    assert demo_ws.messages.get(message_id).status == "rappelé"


def test_billing_rules_are_edited_per_practice(qtbot: QtBot, demo_ws: Workspace) -> None:
    practice = demo_ws.practices.list()[0]
    other = demo_ws.practices.list()[1]
    dialog = BillingRulesDialog(demo_ws, practice)
    qtbot.addWidget(dialog)
    dialog.sales.setChecked(True)
    dialog.repeat.setValue(5)
    dialog.price.setValue(0.9)
    assert dialog.save()
    rules = demo_ws.calls.billing_rules(practice.id)
    assert rules.bill_sales_calls and rules.repeat_window_minutes == 5
    assert rules.price_eur == Decimal("0.9")
    assert demo_ws.calls.billing_rules(other.id).bill_sales_calls is False
    call = demo_ws.calls.start(to_number=practice.numbers[0], from_number="0611223344")
    closed = demo_ws.calls.close(call.id, "demarchage")
    assert closed.billable is True


def test_agenda_settings_open_for_the_selected_practitioner(
    qtbot: QtBot, demo_ws: Workspace
) -> None:
    from PySide6.QtWidgets import QApplication

    from permanence.ui.agenda.settings_dialog import AgendaSettingsDialog

    window = open_window(qtbot, demo_ws)
    qtbot.keyClick(
        window,
        Qt.Key.Key_G,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialogs = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, AgendaSettingsDialog) and w.isVisible()
    ]
    assert len(dialogs) == 1
    dialogs[0].reject()


def test_calendar_sources_open_for_the_selected_practitioner(
    qtbot: QtBot, demo_ws: Workspace
) -> None:
    from PySide6.QtWidgets import QApplication

    from permanence.ui.calendars import CalendarSourcesDialog

    window = open_window(qtbot, demo_ws)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dialogs = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, CalendarSourcesDialog) and w.isVisible()
    ]
    assert len(dialogs) == 1
    dialogs[0].reject()
