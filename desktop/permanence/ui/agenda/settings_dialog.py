"""Editing a practitioner's agenda settings with the keyboard.

Four tabs of tables: « Horaires » (one row per working period), « Motifs de rendez-vous »,
« Absences », « Exceptions ». Inser adds a row, Suppr deletes it, F2 or typing edits a
cell. Ctrl+S checks everything and saves it in one transaction; a problem is shown in
French on its tab (marked ⚠) and nothing at all is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from permanence.core.agenda.errors import AgendaError
from permanence.core.agenda.french import WEEKDAY_NAMES
from permanence.core.agenda.model import TimeRange
from permanence.core.agenda.settings import (
    AbsenceValue,
    AgendaSettings,
    AppointmentTypeValue,
    DayExceptionValue,
    to_instant,
)
from permanence.core.errors import PermanenceError

if TYPE_CHECKING:
    from permanence.core.practices.values import PractitionerInfo
    from permanence.core.workspace import Workspace

ID_ROLE = Qt.ItemDataRole.UserRole + 1
ERROR_STYLE = "color: #b3261e; font-weight: 600;"
OK_STYLE = "color: #1b5e20;"
HOURS, TYPES, ABSENCES, EXCEPTIONS = range(4)
TAB_TITLES = ("&Horaires", "&Motifs de rendez-vous", "A&bsences", "E&xceptions")
# Column widths in pixels; the last column of each table (except « Horaires ») stretches.
COLUMN_WIDTHS = ((140, 90, 90), (205, 85, 95, 150, 130, 180), (150, 150, 180), (110, 170, 240))
SHORT_DAYS = tuple(name[:3] for name in WEEKDAY_NAMES)

_TIME = re.compile(r"^\s*(\d{1,2})\s*(?:[h:.]\s*(\d{2})?)?\s*$", re.IGNORECASE)
_RANGE_SPLIT = re.compile(r"\s*(?:-|–|—|\sà\s)\s*")
_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\s*$")


# -- reading what was typed -----------------------------------------------------------------


def parse_time(text: str, label: str) -> time:
    """ "8", "8 h", "8h30", "08:30", "8.30" → 08:30."""
    match = _TIME.match(text)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if hour <= 23 and minute <= 59:
            return time(hour, minute)
        if hour == 24 and minute == 0:
            return time(23, 59)
    shown = text.strip() or "(vide)"
    raise AgendaError(f"{label} : « {shown} » n'est pas une heure (exemple : 08:30).")


def parse_ranges(text: str, label: str) -> tuple[TimeRange, ...]:
    """ "11:45-12:15; 17 h 30 – 18 h" → ((11:45, 12:15), (17:30, 18:00)); empty → ()."""
    ranges = []
    for part in filter(None, (p.strip() for p in re.split(r"[;,]", text))):
        bounds = _RANGE_SPLIT.split(part)
        if len(bounds) != 2:
            raise AgendaError(f"{label} : « {part} » n'est pas une plage (exemple : 14:00-17:00).")
        ranges.append((parse_time(bounds[0], label), parse_time(bounds[1], label)))
    return tuple(ranges)


def parse_date(text: str, label: str, today: date | None = None) -> date:
    """ "24/11/2026", "24/11/26" or "24/11" (this year)."""
    match = _DATE.match(text)
    if match:
        year_text = match.group(3)
        year = (today or date.today()).year if year_text is None else int(year_text)
        if year < 100:
            year += 2000
        try:
            return date(year, int(match.group(2)), int(match.group(1)))
        except ValueError:
            pass
    shown = text.strip() or "(vide)"
    raise AgendaError(f"{label} : « {shown} » n'est pas une date (exemple : 24/11/2026).")


def parse_moment(text: str, label: str) -> date | datetime:
    """ "24/11/2026" (a whole day) or "24/11/2026 14:00" (a local time)."""
    day_text, _, hour_text = text.strip().partition(" ")
    day = parse_date(day_text, label)
    if not hour_text.strip():
        return day
    return datetime.combine(day, parse_time(hour_text, label))


def parse_weekdays(text: str, label: str) -> frozenset[int]:
    """ "lun, mar, jeu" → {0, 1, 3}; empty → every day."""
    days = set()
    for word in filter(None, re.split(r"[\s,;]+", text.strip().casefold())):
        found = [i for i, name in enumerate(WEEKDAY_NAMES) if name.startswith(word[:3])]
        if len(word) < 2 or not found:
            raise AgendaError(f"{label} : « {word} » n'est pas un jour (exemple : lun, mar).")
        days.add(found[0])
    return frozenset(days)


def parse_minutes(text: str, label: str, *, empty: int | None = None) -> int:
    cleaned = text.strip().removesuffix("min").strip()
    if not cleaned and empty is not None:
        return empty
    try:
        return int(cleaned)
    except ValueError:
        shown = text.strip() or "(vide)"
        raise AgendaError(
            f"{label} : « {shown} » n'est pas un nombre de minutes (exemple : 20)."
        ) from None


def format_hhmm(moment: time) -> str:
    return f"{moment:%H:%M}"


def format_ranges(ranges: Sequence[TimeRange]) -> str:
    return "; ".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in ranges)


def format_weekdays(days: frozenset[int]) -> str:
    return ", ".join(SHORT_DAYS[d] for d in sorted(days))


def absence_bounds(value: AbsenceValue, zone: ZoneInfo) -> tuple[str, str]:
    """Whole local days as "01/12/2026" (last day included), otherwise with the time."""
    start, end = value.starts_at.astimezone(zone), value.ends_at.astimezone(zone)
    if start.time() == time(0) and end.time() == time(0):
        return f"{start:%d/%m/%Y}", f"{end.date() - timedelta(days=1):%d/%m/%Y}"
    return f"{start:%d/%m/%Y %H:%M}", f"{end:%d/%m/%Y %H:%M}"


# -- widgets --------------------------------------------------------------------------------


class WeekdayDelegate(QStyledItemDelegate):
    """The « jour » column: a list of the days of the week (type the first letters)."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        editor = QComboBox(parent)
        editor.addItems(list(WEEKDAY_NAMES))
        editor.setAccessibleName("Jour de la semaine")
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            editor.setCurrentIndex(max(0, editor.findText(text)))

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class SettingsTable(QTableView):
    """A keyboard table: Inser adds a row, Suppr deletes the current one."""

    def __init__(self, model: QStandardItemModel, name: str, new_row: Callable[[int], None]):
        super().__init__()
        self.setModel(model)
        self._model = model
        self._new_row = new_row
        self.setAccessibleName(name)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)

    def add_row(self) -> None:
        current = self.currentIndex()
        row = current.row() + 1 if current.isValid() else self._model.rowCount()
        self._new_row(row)
        first_editable = next(
            (
                column
                for column in range(self._model.columnCount())
                if (item := self._model.item(row, column)) is not None
                and item.isEditable()
                and not item.isCheckable()
            ),
            0,
        )
        index = self._model.index(row, first_editable)
        self.setCurrentIndex(index)
        self.setFocus()
        self.edit(index)

    def remove_row(self) -> None:
        current = self.currentIndex()
        if not current.isValid():
            return
        row = current.row()
        self._model.removeRow(row)
        if self._model.rowCount():
            self.setCurrentIndex(
                self._model.index(min(row, self._model.rowCount() - 1), current.column())
            )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.state() != QAbstractItemView.State.EditingState:
            if event.key() == Qt.Key.Key_Insert:
                self.add_row()
                return
            if event.key() == Qt.Key.Key_Delete:
                self.remove_row()
                return
        super().keyPressEvent(event)


class SettingsTab(QWidget):
    """Help text, the table, Ajouter / Supprimer, and the tab's own problem line."""

    def __init__(
        self,
        help_text: str,
        table_name: str,
        model: QStandardItemModel,
        new_row: Callable[[int], None],
    ) -> None:
        super().__init__()
        self.help = QLabel(help_text)
        self.help.setWordWrap(True)
        self.table = SettingsTable(model, table_name, new_row)
        self.help.setBuddy(self.table)
        self.add_button = QPushButton("Ajouter une ligne (Inser)")
        self.remove_button = QPushButton("Supprimer la ligne (Suppr)")
        for button in (self.add_button, self.remove_button):
            button.setAutoDefault(False)
        self.add_button.setAccessibleName(f"Ajouter une ligne : {table_name}")
        self.remove_button.setAccessibleName(f"Supprimer la ligne : {table_name}")
        self.add_button.clicked.connect(self.table.add_row)
        self.remove_button.clicked.connect(self.table.remove_row)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setAccessibleName(f"Problème : {table_name}")
        self.problem.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.help)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.problem)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))


def _item(text: str = "", *, editable: bool = True) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(editable)
    if len(text) > 30:  # long texts (a replacement's details) are elided in the cell
        item.setToolTip(text)
    return item


def _check(checked: bool, name: str) -> QStandardItem:
    item = QStandardItem()
    item.setCheckable(True)
    item.setEditable(False)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    item.setData(name, Qt.ItemDataRole.AccessibleTextRole)
    return item


def _text(model: QStandardItemModel, row: int, column: int) -> str:
    item = model.item(row, column)
    return item.text().strip() if item is not None else ""


def _checked(model: QStandardItemModel, row: int, column: int) -> bool:
    item = model.item(row, column)
    return item is not None and item.checkState() == Qt.CheckState.Checked


def _row_id(model: QStandardItemModel, row: int) -> int | None:
    item = model.item(row, 0)
    value = item.data(ID_ROLE) if item is not None else None
    return int(value) if value is not None else None


class _TabError(AgendaError):
    def __init__(self, tab: int, row: int | None, text: str) -> None:
        super().__init__(text)
        self.tab = tab
        self.row = row


def _tab_of(message: str) -> int:
    """Which tab a message of the core is about (by its French prefix)."""
    for prefix, tab in (
        ("Horaires", HOURS),
        ("Plage horaire", HOURS),
        ("Motif", TYPES),
        ("Deux motifs", TYPES),
        ("Absence", ABSENCES),
        ("Exception", EXCEPTIONS),
        ("Deux exceptions", EXCEPTIONS),
    ):
        if message.startswith(prefix):
            return tab
    return HOURS


class AgendaSettingsDialog(QDialog):
    """The settings of one practitioner's agenda. `saved` carries the new `AgendaSettings`."""

    saved = Signal(object)

    def __init__(
        self, workspace: Workspace, practitioner: PractitionerInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.practitioner = practitioner
        self._zone = ZoneInfo(practitioner.timezone or "Europe/Paris")
        title = f"Agenda de {practitioner.display_name} — réglages"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.heading = QLabel(
            f"<b>{practitioner.display_name}</b> — heures locales ({self._zone.key}). "
            "Inser ajoute une ligne, Suppr la supprime, F2 ou la frappe modifie une case ; "
            "Ctrl+S enregistre tout."
        )
        self.heading.setWordWrap(True)

        self.hours_model = QStandardItemModel(0, 3, self)
        self.hours_model.setHorizontalHeaderLabels(["Jour", "Début", "Fin"])
        self.hours = SettingsTab(
            "Une ligne par plage de travail ; les pauses sont les trous entre deux plages "
            "(ex. lundi 08:30–12:30 puis 14:00–19:00).",
            "Horaires de la semaine",
            self.hours_model,
            self._new_period,
        )
        self.hours.table.setItemDelegateForColumn(0, WeekdayDelegate(self.hours.table))

        self.types_model = QStandardItemModel(0, 7, self)
        self.types_model.setHorizontalHeaderLabels(
            [
                "Nom",
                "Durée (min)",
                "Tampon (min)",
                "Réservable secrétariat",
                "Urgences seulement",
                "Plages",
                "Jours",
            ]
        )
        for column, tip in enumerate(
            (
                "Nom du motif",
                "Durée du rendez-vous en minutes",
                "Temps gardé libre après chaque rendez-vous, en minutes",
                "Le secrétariat peut-il prendre ce rendez-vous ?",
                "Réservé aux cas triés urgents",
                "Heures permises, ex. 11:45-12:15 ; vide : toutes les heures de travail",
                "Jours permis, ex. lun, mar, jeu ; vide : tous les jours",
            )
        ):
            self.types_model.setHeaderData(
                column, Qt.Orientation.Horizontal, tip, Qt.ItemDataRole.ToolTipRole
            )
        self.types = SettingsTab(
            "Plages : « 11:45-12:15; 17:30-18:00 » ; jours : « lun, mar, jeu ». "
            "Espace coche ou décoche une case. Supprimer un motif le retire des propositions "
            "(les rendez-vous déjà pris le gardent).",
            "Motifs de rendez-vous",
            self.types_model,
            self._new_type,
        )

        self.absences_model = QStandardItemModel(0, 4, self)
        self.absences_model.setHorizontalHeaderLabels(["Du", "Au", "Motif", "Remplacement"])
        self.absences = SettingsTab(
            "Dates « 24/12/2026 » (journées entières, dernier jour compris) ou avec l'heure "
            "« 24/12/2026 14:00 ».",
            "Absences",
            self.absences_model,
            self._new_absence,
        )

        self.exceptions_model = QStandardItemModel(0, 4, self)
        self.exceptions_model.setHorizontalHeaderLabels(
            ["Jour", "Plages (vide = fermé)", "Note", "Résumé"]
        )
        self.exceptions = SettingsTab(
            "Un jour aux horaires différents : « 24/11/2026 » et « 14:00-17:00 » ; "
            "plages vides : fermé ce jour-là.",
            "Exceptions datées",
            self.exceptions_model,
            self._new_exception,
        )
        self.exceptions_model.itemChanged.connect(self._on_exception_changed)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Réglages de l'agenda")
        self.pages = (self.hours, self.types, self.absences, self.exceptions)
        for page, label in zip(self.pages, TAB_TITLES, strict=True):
            self.tabs.addTab(page, label)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        self.save_button = QPushButton("&Enregistrer (Ctrl+S)")
        self.close_button = QPushButton("&Fermer")
        for button in (self.save_button, self.close_button):
            button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)

        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self.resize(1000, 580)
        self.setMinimumSize(720, 420)
        self.load()

    # -- filling the tables ------------------------------------------------------------------
    def load(self) -> None:
        self._fill(self._ws.agenda_settings.load(self.practitioner.id))

    def _fill(self, settings: AgendaSettings) -> None:
        self.settings = settings
        for model in (self.hours_model, self.types_model, self.absences_model):
            model.removeRows(0, model.rowCount())
        self.exceptions_model.removeRows(0, self.exceptions_model.rowCount())
        for weekday, ranges in enumerate(settings.weekly):
            for start, end in ranges:
                self._add_period(self.hours_model.rowCount(), weekday, start, end)
        for value in settings.appointment_types:
            self._add_type(self.types_model.rowCount(), value)
        for absence in settings.absences:
            first, last = absence_bounds(absence, self._zone)
            row = [_item(first), _item(last), _item(absence.reason), _item(absence.replacement)]
            row[0].setData(absence.id, ID_ROLE)
            self.absences_model.appendRow(row)
        for exception in settings.exceptions:
            self._add_exception(
                self.exceptions_model.rowCount(),
                f"{exception.day:%d/%m/%Y}",
                format_ranges(exception.periods),
                exception.note,
                exception.summary,
            )
        for tab, page in enumerate(self.pages):
            for column, width in enumerate(COLUMN_WIDTHS[tab]):
                page.table.setColumnWidth(column, width)
            page.table.horizontalHeader().setStretchLastSection(tab != HOURS)
        self._clear_problems()

    def _add_period(self, row: int, weekday: int, start: time | None, end: time | None) -> None:
        self.hours_model.insertRow(
            row,
            [
                _item(WEEKDAY_NAMES[weekday]),
                _item(format_hhmm(start) if start else ""),
                _item(format_hhmm(end) if end else ""),
            ],
        )

    def _new_period(self, row: int) -> None:
        weekday = 0
        if row > 0:
            previous = _text(self.hours_model, row - 1, 0)
            weekday = WEEKDAY_NAMES.index(previous) if previous in WEEKDAY_NAMES else 0
        self._add_period(row, weekday, None, None)

    def _add_type(self, row: int, value: AppointmentTypeValue) -> None:
        cells = [
            _item(value.name),
            _item(str(value.duration_min) if value.duration_min else ""),
            _item(str(value.buffer_after_min)),
            _check(value.bookable_by_secretary, "Réservable par le secrétariat"),
            _check(value.urgent_only, "Urgences seulement"),
            _item(format_ranges(value.windows)),
            _item(format_weekdays(value.weekdays)),
        ]
        cells[0].setData(value.id, ID_ROLE)
        self.types_model.insertRow(row, cells)

    def _new_type(self, row: int) -> None:
        self._add_type(row, AppointmentTypeValue("", 0))

    def _new_absence(self, row: int) -> None:
        self.absences_model.insertRow(row, [_item() for _ in range(4)])

    def _add_exception(self, row: int, day: str, periods: str, note: str, summary: str) -> None:
        self.exceptions_model.insertRow(
            row, [_item(day), _item(periods), _item(note), _item(summary, editable=False)]
        )

    def _new_exception(self, row: int) -> None:
        self._add_exception(row, "", "", "", "")

    def _on_exception_changed(self, item: QStandardItem) -> None:
        if item.column() == 3:
            return
        row = item.row()
        try:
            value = self._exception_at(row)
            summary = value.summary
        except AgendaError:
            summary = ""
        current = self.exceptions_model.item(row, 3)
        if current is not None and current.text() != summary:
            current.setText(summary)

    # -- reading the tables --------------------------------------------------------------------
    def _template(self) -> dict[int, list[TimeRange]]:
        days: dict[int, list[TimeRange]] = {}
        model = self.hours_model
        for row in range(model.rowCount()):
            label = f"Horaires, ligne {row + 1}"
            try:
                name = _text(model, row, 0)
                if name not in WEEKDAY_NAMES:
                    raise AgendaError(f"{label} : choisissez un jour de la semaine.")
                start = parse_time(_text(model, row, 1), f"{label}, début")
                end = parse_time(_text(model, row, 2), f"{label}, fin")
            except AgendaError as exc:
                raise _TabError(HOURS, row, str(exc)) from exc
            days.setdefault(WEEKDAY_NAMES.index(name), []).append((start, end))
        return days

    def _types(self) -> list[AppointmentTypeValue]:
        values = []
        model = self.types_model
        for row in range(model.rowCount()):
            name = _text(model, row, 0)
            label = f"Motif « {name} »" if name else f"Motifs, ligne {row + 1}"
            try:
                if not name:
                    raise AgendaError(f"{label} : le nom est obligatoire.")
                values.append(
                    AppointmentTypeValue(
                        name=name,
                        duration_min=parse_minutes(_text(model, row, 1), f"{label}, durée"),
                        buffer_after_min=parse_minutes(
                            _text(model, row, 2), f"{label}, tampon après", empty=0
                        ),
                        bookable_by_secretary=_checked(model, row, 3),
                        urgent_only=_checked(model, row, 4),
                        windows=parse_ranges(_text(model, row, 5), f"{label}, plages"),
                        weekdays=parse_weekdays(_text(model, row, 6), f"{label}, jours"),
                        id=_row_id(model, row),
                        position=row,
                    )
                )
            except AgendaError as exc:
                raise _TabError(TYPES, row, str(exc)) from exc
        return values

    def _absences(self) -> list[AbsenceValue]:
        values = []
        model = self.absences_model
        for row in range(model.rowCount()):
            label = f"Absence, ligne {row + 1}"
            try:
                first = parse_moment(_text(model, row, 0), f"{label}, du")
                last = parse_moment(_text(model, row, 1), f"{label}, au")
                values.append(
                    AbsenceValue(
                        to_instant(first, self._zone),
                        to_instant(last, self._zone, end=True),
                        _text(model, row, 2),
                        _text(model, row, 3),
                        _row_id(model, row),
                    )
                )
            except AgendaError as exc:
                raise _TabError(ABSENCES, row, str(exc)) from exc
        return values

    def _exception_at(self, row: int) -> DayExceptionValue:
        model = self.exceptions_model
        label = f"Exception, ligne {row + 1}"
        day = parse_date(_text(model, row, 0), f"{label}, jour")
        periods = parse_ranges(_text(model, row, 1), f"Exception du {day:%d/%m/%Y}")
        return DayExceptionValue(day, periods, _text(model, row, 2))

    def _exceptions(self) -> list[DayExceptionValue]:
        values = []
        for row in range(self.exceptions_model.rowCount()):
            try:
                values.append(self._exception_at(row))
            except AgendaError as exc:
                raise _TabError(EXCEPTIONS, row, str(exc)) from exc
        return values

    # -- saving ---------------------------------------------------------------------------------
    def save(self) -> bool:
        """Check every tab, then save everything at once; on a problem nothing is written."""
        self._clear_problems()
        try:
            template = self._template()
            types = self._types()
            absences = self._absences()
            exceptions = self._exceptions()
            settings = self._ws.agenda_settings.save_all(
                self.practitioner.id,
                template=template,
                appointment_types=types,
                absences=absences,
                exceptions=exceptions,
            )
        except _TabError as exc:
            self._show_problem(exc.tab, str(exc), exc.row)
            return False
        except AgendaError as exc:
            self._show_problem(_tab_of(str(exc)), str(exc), None)
            return False
        except PermanenceError as exc:
            self._show_problem(self.tabs.currentIndex(), str(exc), None)
            return False
        current = self.tabs.currentIndex()
        self._fill(settings)
        self.tabs.setCurrentIndex(current)
        self.message.setStyleSheet(OK_STYLE)
        self.message.setText("Réglages de l'agenda enregistrés.")
        self.saved.emit(settings)
        return True

    def _show_problem(self, tab: int, text: str, row: int | None) -> None:
        page = self.pages[tab]
        page.show_problem(text)
        self.tabs.setTabText(tab, f"{TAB_TITLES[tab]} ⚠")
        self.tabs.setTabToolTip(tab, text)
        self.tabs.setCurrentIndex(tab)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(f"Rien n'a été enregistré : {text}")
        if row is not None:
            page.table.setCurrentIndex(page.table.model().index(row, 0))
        page.table.setFocus()

    def _clear_problems(self) -> None:
        for tab, page in enumerate(self.pages):
            page.show_problem("")
            self.tabs.setTabText(tab, TAB_TITLES[tab])
            self.tabs.setTabToolTip(tab, "")
        self.message.setText("")

    def problem(self, tab: int) -> str:
        """The problem shown on a tab (empty when none)."""
        label = self.pages[tab].problem
        return "" if label.isHidden() else label.text()
