"""The agenda view: day or week of one or several practitioners side by side.

Keys (while the view has focus): ←/→ previous/next day (week in the week view), T or
Ctrl+T today, J or D day view, S or W week view, ↑/↓ appointment, Maj+←/→ neighbouring
column, Entrée opens the appointment (move, cancel, waiting list), Ctrl+Maj+L puts the
selected caller on the waiting list.
"""

from __future__ import annotations

from datetime import UTC, date, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from permanence.core.agenda.store import AppointmentInfo
from permanence.core.errors import PermanenceError
from permanence.ui.agenda.columns import Column, build_column, day_span
from permanence.ui.agenda.dialogs import AppointmentDialog, WaitlistDialog
from permanence.ui.agenda.grid import TimeGrid, appointment_text
from permanence.ui.format import DAYS, MONTHS, format_day

if TYPE_CHECKING:
    from permanence.core.practices import PractitionerInfo
    from permanence.core.workspace import Workspace

PRACTITIONER_ROLE = Qt.ItemDataRole.UserRole + 1
DAY, WEEK = "day", "week"
LEGEND = (
    "Légende : <span style='background:#dfe7f5'>&nbsp;rendez-vous&nbsp;</span> "
    "· blanc = libre · gris = fermé · <i>hachures grises</i> = absent "
    "· <span style='color:#c62828;font-weight:600'>hachures rouges = trou perdu</span> "
    "· « Occupé » = agenda importé"
)


class AgendaView(QWidget):
    """Emits `appointment_changed(AppointmentInfo)` after a move or a cancellation, and
    `waitlist_changed()` when someone is added to or served from the waiting list."""

    appointment_changed = Signal(object)
    waitlist_changed = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._day = date.today()
        self._mode = DAY
        self._practitioners: dict[int, PractitionerInfo] = {}
        self.dialog: AppointmentDialog | None = None
        self.waitlist_dialog: WaitlistDialog | None = None
        self.setAccessibleName("Agenda des praticiens")
        # Practitioners (checkable list).
        self.practitioner_model = QStandardItemModel(self)
        self.practitioner_list = QListView()
        self.practitioner_list.setModel(self.practitioner_model)
        self.practitioner_list.setAccessibleName("Praticiens affichés")
        self.practitioner_list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.practitioner_list.setMaximumWidth(200)
        self.practitioner_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.practitioner_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        practitioners_label = QLabel("&Praticiens (Espace pour cocher) :")
        practitioners_label.setBuddy(self.practitioner_list)
        practitioners_label.setWordWrap(True)
        practitioners_label.setMaximumWidth(200)
        # Navigation bar.
        self.previous_button = QPushButton("◀ Précédent")
        self.previous_button.setAccessibleName("Jour ou semaine précédente (flèche gauche)")
        self.today_button = QPushButton("Aujourd'hui (T)")
        self.next_button = QPushButton("Suivant ▶")
        self.next_button.setAccessibleName("Jour ou semaine suivante (flèche droite)")
        self.mode_box = QComboBox()
        self.mode_box.addItem("Jour (J)", DAY)
        self.mode_box.addItem("Semaine (S)", WEEK)
        self.mode_box.setAccessibleName("Affichage")
        mode_label = QLabel("&Affichage :")
        mode_label.setBuddy(self.mode_box)
        self.title = QLabel()
        self.title.setObjectName("agendaTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.waitlist_button = QPushButton("Liste d'attente… (Ctrl+Maj+L)")
        bar = QHBoxLayout()
        for widget in (self.previous_button, self.today_button, self.next_button):
            bar.addWidget(widget)
        bar.addSpacing(12)
        bar.addWidget(self.title, 1)
        bar.addWidget(mode_label)
        bar.addWidget(self.mode_box)
        bar.addWidget(self.waitlist_button)
        # Grid.
        self.grid = TimeGrid()
        self.scroller = QScrollArea()
        self.scroller.setWidget(self.grid)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.selection = QLabel()
        self.selection.setWordWrap(True)
        self.selection.setAccessibleName("Rendez-vous sélectionné")
        self.legend = QLabel(LEGEND)
        self.legend.setWordWrap(True)
        self.keys = QLabel(
            "← → jour/semaine · T aujourd'hui · J jour · S semaine · ↑ ↓ rendez-vous · "
            "Maj+← → praticien · Entrée ouvrir (déplacer, annuler)"
        )
        self.keys.setWordWrap(True)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b3261e; font-weight: 600;")
        self.message.setWordWrap(True)
        left = QVBoxLayout()
        left.addWidget(practitioners_label)
        left.addWidget(self.practitioner_list, 1)
        right = QVBoxLayout()
        right.addLayout(bar)
        right.addWidget(self.scroller, 1)
        right.addWidget(self.selection)
        right.addWidget(self.message)
        right.addWidget(self.legend)
        right.addWidget(self.keys)
        layout = QHBoxLayout(self)
        layout.addLayout(left)
        layout.addLayout(right, 1)
        self._fill_practitioners()
        self._shortcuts()
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.today_button.clicked.connect(self.go_today)
        self.mode_box.currentIndexChanged.connect(self._on_mode_changed)
        self.waitlist_button.clicked.connect(self.add_to_waitlist)
        self.practitioner_model.itemChanged.connect(lambda _item: self.refresh())
        self.practitioner_list.activated.connect(self._on_practitioner_activated)
        self.grid.step_requested.connect(self.step)
        self.grid.activated.connect(self._on_appointment_activated)
        self.grid.selection_changed.connect(self._on_selection_changed)
        self.refresh()

    # -- public ----------------------------------------------------------------------------
    @property
    def current_day(self) -> date:
        return self._day

    @property
    def mode(self) -> str:
        return self._mode

    @property
    def columns(self) -> list[Column]:
        return self.grid.columns

    def shown_practitioners(self) -> list[int]:
        return [
            item.data(PRACTITIONER_ROLE)
            for row in range(self.practitioner_model.rowCount())
            if (item := self.practitioner_model.item(row)).checkState() == Qt.CheckState.Checked
        ]

    def show_practitioners(self, practitioner_ids: list[int]) -> None:
        wanted = set(practitioner_ids)
        self.practitioner_model.blockSignals(True)
        for row in range(self.practitioner_model.rowCount()):
            item = self.practitioner_model.item(row)
            checked = item.data(PRACTITIONER_ROLE) in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.practitioner_model.blockSignals(False)
        self.refresh()

    def set_day(self, day: date) -> None:
        self._day = day
        self.refresh()

    def set_mode(self, mode: str) -> None:
        if mode not in (DAY, WEEK):
            raise ValueError(mode)
        self.mode_box.setCurrentIndex(self.mode_box.findData(mode))  # refreshes

    def step(self, delta: int) -> None:
        self.set_day(self._day + timedelta(days=delta * (7 if self._mode == WEEK else 1)))

    def go_today(self) -> None:
        self.set_day(date.today())

    def days(self) -> list[date]:
        if self._mode == DAY:
            return [self._day]
        monday = self._day - timedelta(days=self._day.weekday())
        week = [monday + timedelta(days=i) for i in range(7)]
        return [d for d in week if d.weekday() < 5 or self._weekend_used(d)]

    def refresh(self) -> None:
        self.message.clear()
        columns: list[Column] = []
        days = self.days()
        try:
            for pid in self.shown_practitioners():
                doctor = self._practitioners[pid]
                zone = ZoneInfo(doctor.timezone)
                since, until = day_span(days[0], zone)[0], day_span(days[-1], zone)[1]
                agenda = self._ws.bookings.agenda(
                    pid, since=since, until=until - timedelta(seconds=1)
                )
                booked = self._ws.bookings.appointments(pid, since, until)
                name = doctor.display_name
                columns.extend(build_column(pid, name, agenda, booked, day) for day in days)
        except PermanenceError as exc:
            self.message.setText(exc.message)
        if self._mode == WEEK and len(self.shown_practitioners()) > 1:
            columns.sort(key=lambda c: c.day)  # the practitioners side by side, day by day
        self.grid.set_columns(columns, compact=self._mode == WEEK)
        self.title.setText(self._title(days))
        self._show_selected()

    def _show_selected(self) -> None:
        rect = self.grid.selected_rect()
        if rect is not None:
            self.scroller.ensureVisible(rect.center().x(), rect.center().y(), 0, rect.height())

    def open_selected(self) -> AppointmentDialog | None:
        appointment = self.grid.selected_appointment()
        if appointment is None:
            self.message.setText("Aucun rendez-vous sélectionné (↑ ↓ pour choisir).")
            return None
        return self._open(appointment)

    def add_to_waitlist(self) -> WaitlistDialog:
        """Inscrire sur la liste d'attente: the selected appointment's caller and motif."""
        return self._open_waitlist(self.grid.selected_appointment())

    # -- internals -------------------------------------------------------------------------
    def _fill_practitioners(self) -> None:
        first = True
        for practice in self._ws.practices.list():
            for doctor in practice.practitioners:
                self._practitioners[doctor.id] = doctor
                item = QStandardItem(f"{doctor.display_name}\n{practice.name}")
                item.setToolTip(f"{doctor.display_name} — {practice.name}")
                item.setData(doctor.id, PRACTITIONER_ROLE)
                item.setCheckable(True)
                item.setEditable(False)
                item.setCheckState(Qt.CheckState.Checked if first else Qt.CheckState.Unchecked)
                first = False
                self.practitioner_model.appendRow(item)

    def _shortcuts(self) -> None:
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        bindings = (
            ("T", self.go_today),
            ("Ctrl+T", self.go_today),
            ("J", lambda: self.set_mode(DAY)),
            ("D", lambda: self.set_mode(DAY)),
            ("S", lambda: self.set_mode(WEEK)),
            ("W", lambda: self.set_mode(WEEK)),
            ("PgUp", lambda: self.step(-1)),
            ("PgDown", lambda: self.step(1)),
            ("Ctrl+Shift+L", self.add_to_waitlist),
        )
        for keys, slot in bindings:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)

    def _weekend_used(self, day: date) -> bool:
        for pid in self.shown_practitioners():
            start = day_span(day, ZoneInfo(self._practitioners[pid].timezone))[0]
            agenda_periods = self._ws.bookings.agenda(pid, since=start, until=start)
            exception = agenda_periods.exception_on(day)
            if agenda_periods.template.periods_on(day.weekday()) or (
                exception is not None and exception.periods
            ):
                return True
        return False

    def _title(self, days: list[date]) -> str:
        if self._mode == DAY:
            return format_day(self._day, with_year=True)
        first = days[0] - timedelta(days=days[0].weekday())
        return f"Semaine du {DAYS[0]} {first.day} {MONTHS[first.month - 1]} {first.year}"

    def _open(self, appointment: AppointmentInfo) -> AppointmentDialog:
        zone = ZoneInfo(self._practitioners[appointment.practitioner_id].timezone)
        dialog = AppointmentDialog(self._ws, appointment, zone, self)
        dialog.changed.connect(self._on_appointment_changed)
        dialog.waitlist_requested.connect(self._open_waitlist)
        dialog.finished.connect(lambda _r: self.grid.setFocus())
        self.dialog = dialog
        dialog.open()
        return dialog

    def _open_waitlist(self, appointment: AppointmentInfo | None) -> WaitlistDialog:
        names = [(pid, self._practitioners[pid].display_name) for pid in self._practitioners]
        dialog = WaitlistDialog(self._ws, names, appointment=appointment, parent=self)
        if appointment is None:
            shown = self.shown_practitioners()
            if shown:
                dialog.practitioner.setCurrentIndex(dialog.practitioner.findData(shown[0]))
        dialog.added.connect(lambda _entry: self.waitlist_changed.emit())
        self.waitlist_dialog = dialog
        dialog.open()
        return dialog

    def _on_mode_changed(self, _index: int) -> None:
        self._mode = self.mode_box.currentData()
        self.refresh()
        self.grid.setFocus()

    def _on_practitioner_activated(self, index: QModelIndex) -> None:
        item = self.practitioner_model.itemFromIndex(index)
        checked = item.checkState() == Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def _on_appointment_activated(self, appointment: object) -> None:
        if isinstance(appointment, AppointmentInfo):
            self._open(appointment)

    def _on_appointment_changed(self, appointment: object) -> None:
        self.refresh()
        if isinstance(appointment, AppointmentInfo) and appointment.status == "booked":
            self.grid.select(appointment.id)
        self.appointment_changed.emit(appointment)

    def _on_selection_changed(self, appointment: object) -> None:
        self._show_selected()
        if not isinstance(appointment, AppointmentInfo):
            self.selection.setText("Aucun rendez-vous sélectionné.")
            return
        doctor = self._practitioners.get(appointment.practitioner_id)
        zone = ZoneInfo(doctor.timezone) if doctor else UTC
        day = format_day(appointment.starts_at.astimezone(zone).date())
        phones = f" — {', '.join(appointment.caller_phones)}" if appointment.caller_phones else ""
        self.selection.setText(
            f"<b>{day}, {appointment_text(appointment, zone)}</b>{phones}"
            + (f" — {doctor.display_name}" if doctor else "")
            + " · Entrée pour déplacer ou annuler"
        )
