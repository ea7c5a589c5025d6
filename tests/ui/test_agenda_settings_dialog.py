"""The agenda settings dialog: keyboard editing, refusals in French, nothing half-saved."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit
from pytestqt.qtbot import QtBot
from qt_keys import type_text

from permanence.core.practices.values import PractitionerInfo
from permanence.core.workspace import Workspace
from permanence.ui.agenda.settings_dialog import (
    ABSENCES,
    EXCEPTIONS,
    HOURS,
    TYPES,
    AgendaSettingsDialog,
    SettingsTable,
)

PARIS = ZoneInfo("Europe/Paris")


def practitioner(ws: Workspace) -> PractitionerInfo:
    return ws.practices.list()[0].practitioners[0]


def make_dialog(qtbot: QtBot, ws: Workspace) -> AgendaSettingsDialog:
    dialog = AgendaSettingsDialog(ws, practitioner(ws))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def edit_cell(qtbot: QtBot, table: SettingsTable, row: int, column: int, text: str) -> None:
    """F2 on the cell, replace its text, Entrée — as she would."""
    table.setFocus()
    table.setCurrentIndex(table.model().index(row, column))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.parent() is table.viewport()
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    type_text(qtbot, editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits on the next turn of the event loop, then deletes the editor.
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert table.model().index(row, column).data() == text


def insert_row(qtbot: QtBot, table: SettingsTable) -> int:
    """Inser adds a row after the current one and starts editing it; Échap leaves the cell."""
    before = table.model().rowCount()
    table.setFocus()
    table.setCurrentIndex(table.model().index(before - 1, 0) if before else QModelIndex())
    qtbot.keyClick(table, Qt.Key.Key_Insert)
    assert table.model().rowCount() == before + 1
    editor = QApplication.focusWidget()
    if editor is not None and editor is not table:
        qtbot.keyClick(editor, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return table.currentIndex().row()


def save(qtbot: QtBot, dialog: AgendaSettingsDialog) -> None:
    qtbot.keyClick(dialog.tabs.currentWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def test_edit_a_period_with_the_keyboard_and_save(qtbot: QtBot, demo_ws: Workspace) -> None:
    dialog = make_dialog(qtbot, demo_ws)
    pid = practitioner(demo_ws).id
    table = dialog.hours.table
    assert dialog.hours_model.item(0, 0).text() == "lundi"
    edit_cell(qtbot, table, 0, 2, "12 h")
    edit_cell(qtbot, table, 1, 1, "13:30")
    with qtbot.waitSignal(dialog.saved):
        save(qtbot, dialog)
    monday = demo_ws.agenda_settings.load(pid).periods_on(0)
    assert monday == ((time(8, 30), time(12, 0)), (time(13, 30), time(19, 0)))
    assert "enregistrés" in dialog.message.text()
    # Suppr deletes a period (friday morning: the last row), then Ctrl+S.
    table.setFocus()
    table.setCurrentIndex(dialog.hours_model.index(dialog.hours_model.rowCount() - 1, 0))
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    save(qtbot, dialog)
    assert demo_ws.agenda_settings.load(pid).periods_on(4) == ()
    assert not dialog.grab().isNull()  # renders offscreen


def test_overlapping_period_is_refused_and_nothing_saved(qtbot: QtBot, demo_ws: Workspace) -> None:
    dialog = make_dialog(qtbot, demo_ws)
    pid = practitioner(demo_ws).id
    before = demo_ws.agenda_settings.load(pid)
    # A new motif (valid) and an overlapping period: neither is written.
    row = insert_row(qtbot, dialog.types.table)
    edit_cell(qtbot, dialog.types.table, row, 0, "Certificat")
    edit_cell(qtbot, dialog.types.table, row, 1, "10")
    dialog.tabs.setCurrentIndex(HOURS)
    edit_cell(qtbot, dialog.hours.table, 0, 2, "15:00")
    save(qtbot, dialog)
    problem = dialog.problem(HOURS)
    assert "se chevauchent" in problem and "lundi" in problem
    assert dialog.tabs.currentIndex() == HOURS and "⚠" in dialog.tabs.tabText(HOURS)
    assert dialog.message.text().startswith("Rien n'a été enregistré")
    assert demo_ws.agenda_settings.load(pid) == before
    assert not dialog.grab().isNull()  # renders offscreen
    # A time that is not one: refused on its line, in French.
    edit_cell(qtbot, dialog.hours.table, 0, 2, "midi")
    save(qtbot, dialog)
    assert "« midi » n'est pas une heure" in dialog.problem(HOURS)
    # Fixed: the tab loses its mark and everything is saved.
    edit_cell(qtbot, dialog.hours.table, 0, 2, "12:30")
    save(qtbot, dialog)
    assert dialog.problem(HOURS) == "" and "⚠" not in dialog.tabs.tabText(HOURS)
    assert "Certificat" in [v.name for v in demo_ws.agenda_settings.load(pid).appointment_types]


def test_add_an_appointment_type(qtbot: QtBot, demo_ws: Workspace) -> None:
    dialog = make_dialog(qtbot, demo_ws)
    pid = practitioner(demo_ws).id
    dialog.tabs.setCurrentIndex(TYPES)
    table = dialog.types.table
    row = insert_row(qtbot, table)
    edit_cell(qtbot, table, row, 0, "Vaccin grippe à domicile")
    edit_cell(qtbot, table, row, 1, "15")
    edit_cell(qtbot, table, row, 2, "5")
    edit_cell(qtbot, table, row, 5, "17:30-18:30")
    edit_cell(qtbot, table, row, 6, "lun, jeu")
    table.setCurrentIndex(dialog.types_model.index(row, 4))
    qtbot.keyClick(table, Qt.Key.Key_Space)  # urgences seulement
    assert dialog.types_model.item(row, 4).checkState() == Qt.CheckState.Checked
    with qtbot.waitSignal(dialog.saved):
        save(qtbot, dialog)
    added = next(
        v
        for v in demo_ws.agenda_settings.load(pid).appointment_types
        if v.name == "Vaccin grippe à domicile"
    )
    assert (added.duration_min, added.buffer_after_min, added.urgent_only) == (15, 5, True)
    assert added.windows == ((time(17, 30), time(18, 30)),)
    assert added.weekdays == frozenset({0, 3}) and added.bookable_by_secretary
    names = [i.name for i in demo_ws.bookings.appointment_types(pid)]
    assert "Vaccin grippe à domicile" in names
    assert not dialog.grab().isNull()  # renders offscreen


def test_zero_duration_refused_on_the_motifs_tab(qtbot: QtBot, demo_ws: Workspace) -> None:
    dialog = make_dialog(qtbot, demo_ws)
    pid = practitioner(demo_ws).id
    before = demo_ws.agenda_settings.load(pid)
    dialog.tabs.setCurrentIndex(TYPES)
    edit_cell(qtbot, dialog.types.table, 0, 1, "0")
    save(qtbot, dialog)
    assert "strictement positive" in dialog.problem(TYPES)
    assert dialog.tabs.currentIndex() == TYPES
    edit_cell(qtbot, dialog.types.table, 0, 1, "600")
    save(qtbot, dialog)
    assert "pas plausible" in dialog.problem(TYPES)
    assert demo_ws.agenda_settings.load(pid) == before


def test_add_an_absence(qtbot: QtBot, demo_ws: Workspace) -> None:
    dialog = make_dialog(qtbot, demo_ws)
    pid = practitioner(demo_ws).id
    dialog.tabs.setCurrentIndex(ABSENCES)
    table = dialog.absences.table
    row = insert_row(qtbot, table)
    edit_cell(qtbot, table, row, 0, "21/12/2026")
    edit_cell(qtbot, table, row, 1, "20/12/2026")
    save(qtbot, dialog)
    assert "doit être après le début" in dialog.problem(ABSENCES)
    edit_cell(qtbot, table, row, 1, "23/12/2026")
    edit_cell(qtbot, table, row, 2, "Congrès")
    edit_cell(qtbot, table, row, 3, "Dr Rémi Roux")
    with qtbot.waitSignal(dialog.saved):
        save(qtbot, dialog)
    added = next(a for a in demo_ws.agenda_settings.load(pid).absences if a.reason == "Congrès")
    assert added.starts_at == datetime(2026, 12, 20, 23, 0, tzinfo=UTC)
    assert added.ends_at == datetime(2026, 12, 23, 23, 0, tzinfo=UTC)
    assert added.replacement == "Dr Rémi Roux"
    shown = [dialog.absences_model.item(r, 0).text() for r in range(table.model().rowCount())]
    assert "21/12/2026" in shown
    assert not dialog.grab().isNull()  # renders offscreen


def test_add_a_day_exception(qtbot: QtBot, demo_ws: Workspace) -> None:
    dialog = make_dialog(qtbot, demo_ws)
    pid = practitioner(demo_ws).id
    day = date.today() + timedelta(days=(1 - date.today().weekday()) % 7 or 7)  # next Tuesday
    dialog.tabs.setCurrentIndex(EXCEPTIONS)
    table = dialog.exceptions.table
    row = insert_row(qtbot, table)
    edit_cell(qtbot, table, row, 0, f"{day:%d/%m/%Y}")
    edit_cell(qtbot, table, row, 1, "14 h – 17 h")
    edit_cell(qtbot, table, row, 2, "Réunion le matin")
    assert dialog.exceptions_model.item(row, 3).text().endswith(": 14 h–17 h seulement")
    with qtbot.waitSignal(dialog.saved):
        save(qtbot, dialog)
    (stored,) = demo_ws.agenda_settings.load(pid).exceptions
    assert stored.day == day and stored.periods == ((time(14), time(17)),)
    since = datetime.combine(day, time(0), tzinfo=PARIS)
    agenda = demo_ws.bookings.agenda(pid, since=since, until=since + timedelta(days=1))
    exception = agenda.exception_on(day)
    assert exception is not None and exception.periods == ((time(14), time(17)),)
    assert not dialog.grab().isNull()  # renders offscreen
    # An inverted period is refused on the Exceptions tab.
    edit_cell(qtbot, table, row, 1, "17:00-14:00")
    save(qtbot, dialog)
    assert "Exception du" in dialog.problem(EXCEPTIONS)
    assert demo_ws.agenda_settings.load(pid).exceptions == (stored,)


def test_fits_a_small_screen(qtbot: QtBot, demo_ws: Workspace) -> None:
    dialog = make_dialog(qtbot, demo_ws)
    hint = dialog.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 700
    assert dialog.width() <= 1366 and dialog.height() <= 700
    for tab in range(4):
        dialog.tabs.setCurrentIndex(tab)
        assert dialog.tabs.tabText(tab)
        page = dialog.pages[tab]
        assert page.table.accessibleName() and page.help.buddy() is page.table
