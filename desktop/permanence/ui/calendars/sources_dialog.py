"""A practitioner's calendar sources (ICS file, ICS subscription, CalDAV): add, test, sync,
remove, and settle CalDAV conflicts.

The table shows, per source, its kind, name, location, the last sync time in French and
its state (« à jour » in green, « erreur : … » in red, with the French reason; for CalDAV
« OK », « hors ligne » or « conflit (n) » and the pushes still waiting). A sync
runs on a worker thread through `run_in_background`: a busy bar shows, the sync buttons
are disabled meanwhile and the window stays usable. Each finished sync emits `synced`
with its `SyncReport` so the agenda can be refreshed.

Keys: Ctrl+O adds a file, Ctrl+L a subscription, Ctrl+D a CalDAV calendar, F5 syncs the
selected source now, Maj+F5 syncs them all, Ctrl+K shows its conflicts, Suppr removes the
selected source (after confirmation), Échap closes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from permanence.core.calendars.caldav_sync import OFFLINE, CalDavState
from permanence.core.calendars.refresh import sync_source
from permanence.core.calendars.sources import CalendarSourceInfo, SyncReport
from permanence.core.errors import PermanenceError
from permanence.ui.calendars.passwords import passwords_for
from permanence.ui.format import format_day, format_time
from permanence.ui.tasks import run_in_background

if TYPE_CHECKING:
    from permanence.core.practices.values import PractitionerInfo
    from permanence.core.workspace import Workspace

KIND_LABELS = {
    "ics_file": "Fichier .ics",
    "ics_url": "Abonnement (URL)",
    "caldav": "CalDAV",
}
HEADERS = ("Type", "Nom", "Emplacement", "Dernière synchronisation", "État")
KIND, LABEL, LOCATION, LAST_SYNC, STATE = range(len(HEADERS))
SOURCE_ROLE = Qt.ItemDataRole.UserRole + 1
OK_COLOR = QColor("#1b5e20")
ERROR_COLOR = QColor("#b3261e")
PENDING_COLOR = QColor("#5f6368")
CONFLICT_COLOR = QColor("#8a4b00")
ERROR_STYLE = "color: #b3261e; font-weight: 600;"
OK_STYLE = "color: #1b5e20;"

ADD_FILE_KEY = "Ctrl+O"
ADD_URL_KEY = "Ctrl+L"
ADD_CALDAV_KEY = "Ctrl+D"
CONFLICTS_KEY = "Ctrl+K"
SYNC_KEY = "F5"
SYNC_ALL_KEY = "Shift+F5"
REMOVE_KEY = "Delete"


def format_sync_time(moment: datetime | None, zone: ZoneInfo, now: datetime | None = None) -> str:
    """ "lundi 23 novembre à 10 h 30" (the year is added when it is not this year)."""
    if moment is None:
        return "jamais"
    local = moment.astimezone(zone)
    this_year = (now or datetime.now(zone)).astimezone(zone).year
    day = format_day(local.date(), with_year=local.year != this_year)
    return f"{day} à {format_time(local)}"


def state_text(source: CalendarSourceInfo, running: bool, caldav: CalDavState | None = None) -> str:
    if running:
        return "synchronisation en cours…"
    if caldav is not None:
        return caldav_state_text(caldav)
    if source.last_status == "ok":
        return f"à jour — {source.last_message}" if source.last_message else "à jour"
    if source.last_status == "erreur":
        return f"erreur : {source.last_message}"
    return "jamais synchronisé"


def caldav_state_text(state: CalDavState) -> str:
    """ "OK", "hors ligne · 2 envoi(s) en attente", "conflit (1) — …", with the last message."""
    text = state.label
    if state.pending:
        text += f" · {state.pending} envoi(s) en attente"
    if state.last_message:
        text += f" — {state.last_message}"
    return text


class SourcesModel(QAbstractTableModel):
    """The sources of one practitioner, one per row."""

    def __init__(self, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self.sources: list[CalendarSourceInfo] = []
        self.running: set[int] = set()
        self.caldav: dict[int, CalDavState] = {}

    def set_sources(
        self, sources: list[CalendarSourceInfo], caldav: dict[int, CalDavState] | None = None
    ) -> None:
        self.beginResetModel()
        self.sources = list(sources)
        self.caldav = dict(caldav or {})
        self.endResetModel()

    def set_caldav_state(self, state: CalDavState) -> None:
        self.caldav[state.source_id] = state
        self.refresh_row(state.source_id)

    def set_running(self, source_id: int, running: bool) -> None:
        if running:
            self.running.add(source_id)
        else:
            self.running.discard(source_id)
        self.refresh_row(source_id)

    def update_source(self, source: CalendarSourceInfo) -> None:
        for row, old in enumerate(self.sources):
            if old.id == source.id:
                self.sources[row] = source
                self.refresh_row(source.id)
                return

    def refresh_row(self, source_id: int) -> None:
        row = self.row_of(source_id)
        if row >= 0:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def row_of(self, source_id: int) -> int:
        return next((row for row, s in enumerate(self.sources) if s.id == source_id), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.sources)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.sources):
            return None
        source = self.sources[index.row()]
        column = index.column()
        running = source.id in self.running
        if role == SOURCE_ROLE:
            return source
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self._text(source, column, running)
            if role == Qt.ItemDataRole.ToolTipRole and column == STATE and source.last_message:
                return source.last_message
            return text
        if column == STATE and role == Qt.ItemDataRole.ForegroundRole:
            state = self.caldav.get(source.id)
            if running or not source.last_status:
                return QBrush(PENDING_COLOR)
            if state is not None and state.conflicts:
                return QBrush(CONFLICT_COLOR)
            if source.last_status == OFFLINE:
                return QBrush(PENDING_COLOR)
            return QBrush(OK_COLOR if source.last_status == "ok" else ERROR_COLOR)
        conflicted = source.id in self.caldav and self.caldav[source.id].conflicts > 0
        if (
            column == STATE
            and role == Qt.ItemDataRole.FontRole
            and (source.last_status == "erreur" or conflicted)
        ):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _text(self, source: CalendarSourceInfo, column: int, running: bool) -> str:
        if column == KIND:
            return KIND_LABELS.get(source.kind, source.kind)
        if column == LABEL:
            return source.label
        if column == LOCATION:
            return source.location
        if column == LAST_SYNC:
            return format_sync_time(source.last_sync_at, self._zone)
        return state_text(source, running, self.caldav.get(source.id))


class _MiddleElide(QStyledItemDelegate):
    """Paths and addresses keep their beginning and their end: « /home/…/agenda.ics »."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle


class CalendarSourcesDialog(QDialog):
    """The calendar sources of one practitioner; syncs run in the background."""

    #: A finished sync (its `SyncReport`), successful or not.
    synced = Signal(object)

    def __init__(
        self, workspace: Workspace, practitioner: PractitionerInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.practitioner = practitioner
        try:
            zone = ZoneInfo(practitioner.timezone or "Europe/Paris")
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo("Europe/Paris")
        self._queue: list[int] = []
        self._current: int | None = None
        self.last_report: SyncReport | None = None

        self.setWindowTitle(f"Agendas de {practitioner.display_name}")
        self.heading = QLabel(
            f"<b>Agendas de {practitioner.display_name}</b> — leurs rendez-vous comptent "
            "comme temps occupé dans l'agenda."
        )
        self.heading.setWordWrap(True)

        self.model = SourcesModel(zone, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Agendas du praticien")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._location_delegate = _MiddleElide(self.table)
        self.table.setItemDelegateForColumn(LOCATION, self._location_delegate)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((KIND, 125), (LABEL, 140), (LOCATION, 200), (LAST_SYNC, 185)):
            self.table.setColumnWidth(column, width)

        self.add_file_button = QPushButton(f"Ajouter un &fichier… ({ADD_FILE_KEY})")
        self.add_url_button = QPushButton(f"Ajouter un &abonnement… ({ADD_URL_KEY})")
        self.add_caldav_button = QPushButton(f"Ajouter un agenda Cal&DAV… ({ADD_CALDAV_KEY})")
        self.sync_button = QPushButton(f"&Synchroniser maintenant ({SYNC_KEY})")
        self.sync_all_button = QPushButton("Tout s&ynchroniser (Maj+F5)")
        self.conflicts_button = QPushButton(f"&Conflits… ({CONFLICTS_KEY})")
        self.remove_button = QPushButton("&Retirer (Suppr)")
        self.close_button = QPushButton("Fermer")
        for button in (
            self.add_file_button,
            self.add_url_button,
            self.add_caldav_button,
            self.sync_button,
            self.sync_all_button,
            self.conflicts_button,
            self.remove_button,
            self.close_button,
        ):
            button.setAutoDefault(False)
        self.add_caldav_button.clicked.connect(self.show_caldav_setup)
        self.conflicts_button.clicked.connect(self.show_conflicts)
        QShortcut(QKeySequence(ADD_CALDAV_KEY), self, self.show_caldav_setup)
        QShortcut(QKeySequence(CONFLICTS_KEY), self, self.show_conflicts)
        self.add_file_button.clicked.connect(self.choose_file)
        self.add_url_button.clicked.connect(self.show_url_entry)
        self.sync_button.clicked.connect(self.sync_selected)
        self.sync_all_button.clicked.connect(self.sync_all)
        self.remove_button.clicked.connect(self.remove_selected)
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence(ADD_FILE_KEY), self, self.choose_file)
        QShortcut(QKeySequence(ADD_URL_KEY), self, self.show_url_entry)
        QShortcut(QKeySequence(SYNC_KEY), self, self.sync_selected)
        QShortcut(QKeySequence(SYNC_ALL_KEY), self, self.sync_all)
        remove_key = QShortcut(QKeySequence(REMOVE_KEY), self.table, self.remove_selected)
        remove_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        # The subscription address, shown by « Ajouter un abonnement… ».
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("https://exemple.fr/agenda.ics (ou webcal://…)")
        self.url_edit.setAccessibleName("Adresse de l'abonnement")
        self.url_edit.returnPressed.connect(self._add_typed_url)
        self.url_label = QLabel("A&dresse de l'abonnement :")
        self.url_label.setBuddy(self.url_edit)
        self.url_ok = QPushButton("Ajo&uter")
        self.url_ok.setAutoDefault(False)
        self.url_ok.clicked.connect(self._add_typed_url)
        self.url_row = QWidget()
        url_layout = QHBoxLayout(self.url_row)
        url_layout.setContentsMargins(0, 0, 0, 0)
        url_layout.addWidget(self.url_label)
        url_layout.addWidget(self.url_edit, 1)
        url_layout.addWidget(self.url_ok)
        self.url_row.hide()

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy mode
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(14)
        self.progress.setAccessibleName("Synchronisation en cours")
        self.progress.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # Two rows of buttons: adding on top, acting on the chosen source below (fits 1366 px).
        adding = QHBoxLayout()
        for button in (self.add_file_button, self.add_url_button, self.add_caldav_button):
            adding.addWidget(button)
        adding.addStretch(1)
        buttons = QHBoxLayout()
        for button in (
            self.sync_button,
            self.sync_all_button,
            self.conflicts_button,
            self.remove_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.url_row)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addLayout(adding)
        layout.addLayout(buttons)
        self.resize(1060, 420)
        self.setMinimumSize(760, 320)

        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.reload()
        self.table.setFocus()

    # -- state -----------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """True while a sync runs (or waits its turn)."""
        return self._current is not None or bool(self._queue)

    def reload(self, select_id: int | None = None) -> None:
        """Read the sources again; keep (or move) the selection."""
        current = self.current_source()
        keep = select_id if select_id is not None else (current.id if current else None)
        try:
            sources = self._ws.calendars.list(self.practitioner.id)
        except PermanenceError as exc:
            self._say(f"Lecture des agendas impossible : {exc.message}", error=True)
            return
        self.model.set_sources(sources, self._caldav_states(sources))
        row = self.model.row_of(keep) if keep is not None else -1
        if row < 0 and sources:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
        self._update_buttons()

    def _caldav_states(self, sources: list[CalendarSourceInfo]) -> dict[int, CalDavState]:
        states: dict[int, CalDavState] = {}
        for source in sources:
            if source.kind == "caldav":
                try:
                    states[source.id] = self._ws.caldav.state(source.id)
                except PermanenceError:
                    continue
        return states

    def current_source(self) -> CalendarSourceInfo | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        source: CalendarSourceInfo | None = index.data(SOURCE_ROLE)
        return source

    def state_of(self, source_id: int) -> str:
        """The text of the state cell of a source (for tests and accessibility)."""
        row = self.model.row_of(source_id)
        return str(self.model.index(row, STATE).data()) if row >= 0 else ""

    def _update_buttons(self) -> None:
        has_current = self.current_source() is not None
        self.sync_button.setEnabled(has_current and not self.busy)
        self.remove_button.setEnabled(has_current and not self.busy)
        self.sync_all_button.setEnabled(self.model.rowCount() > 0 and not self.busy)
        current = self.current_source()
        state = self.model.caldav.get(current.id) if current is not None else None
        conflicts = state.conflicts if state is not None else 0
        self.conflicts_button.setEnabled(conflicts > 0 and not self.busy)
        self.conflicts_button.setText(
            f"&Conflits ({conflicts})… ({CONFLICTS_KEY})" if conflicts else "&Conflits…"
        )
        self.progress.setVisible(self.busy)

    def _on_current_changed(self) -> None:
        """The whole state of the chosen source under the table (the cell may be cut)."""
        self._update_buttons()
        source = self.current_source()
        if source is not None and not self.busy and source.last_status:
            state = self.model.caldav.get(source.id)
            text = state_text(source, False, state)
            conflicted = state is not None and state.conflicts > 0
            self._say(text, error=source.last_status != "ok" or conflicted)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
        self.message.setText(text)

    # -- adding ----------------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            "Choisir un fichier agenda",
            str(Path.home()),
            "Agendas iCalendar (*.ics *.ical *.ifb);;Tous les fichiers (*)",
        )
        if path:
            self.add_file(path)

    def add_file(self, path: str | Path) -> CalendarSourceInfo | None:
        """Add an ICS file and test it at once (a background sync); None when refused."""
        shown = str(path).strip()
        if not shown:
            self._say("Indiquez le fichier agenda (.ics) à ajouter.", error=True)
            return None
        if not Path(shown).expanduser().is_file():
            self._say(
                f"Fichier introuvable : « {shown} ». Aucun agenda n'a été ajouté.", error=True
            )
            return None
        try:
            source = self._ws.calendars.add_file_source(self.practitioner.id, shown)
        except PermanenceError as exc:
            self._say(exc.message, error=True)
            return None
        self._added(source)
        return source

    def show_url_entry(self) -> None:
        self.url_row.show()
        self.url_edit.setFocus()
        self.url_edit.selectAll()

    def add_url(self, url: str) -> CalendarSourceInfo | None:
        """Add an ICS subscription and test it at once; None (and a French message) if refused.

        A refused address stays in the entry so that it can be corrected.
        """
        self.url_row.show()
        if self.url_edit.text() != url:
            self.url_edit.setText(url)
        try:
            source = self._ws.calendars.add_url_source(self.practitioner.id, url)
        except PermanenceError as exc:
            self._say(exc.message, error=True)
            self.url_edit.setFocus()
            return None
        self.url_edit.clear()
        self.url_row.hide()
        self._added(source)
        return source

    def _add_typed_url(self) -> None:
        self.add_url(self.url_edit.text())

    def _added(self, source: CalendarSourceInfo) -> None:
        self.reload(select_id=source.id)
        self._say(f"Agenda « {source.label} » ajouté ; test de lecture en cours…")
        self._enqueue([source.id])

    # -- syncing ---------------------------------------------------------------------------
    def sync_selected(self) -> None:
        source = self.current_source()
        if source is None:
            self._say("Choisissez d'abord un agenda dans la liste.", error=True)
            return
        if not self.busy:
            self._enqueue([source.id])

    def sync_all(self) -> None:
        if not self.busy and self.model.sources:
            self._enqueue([source.id for source in self.model.sources])

    def _enqueue(self, ids: list[int]) -> None:
        self._queue.extend(i for i in ids if i not in self._queue and i != self._current)
        if self._current is None:
            self._start_next()
        self._update_buttons()

    def _start_next(self) -> None:
        if not self._queue:
            self._current = None
            self._update_buttons()
            return
        source_id = self._current = self._queue.pop(0)
        self.model.set_running(source_id, True)
        row = self.model.row_of(source_id)
        label = self.model.sources[row].label if row >= 0 else str(source_id)
        self._say(f"Synchronisation de « {label} »…")
        calendars, caldav = self._ws.calendars, self._ws.caldav
        lookup = passwords_for(self._ws).lookup
        source = self.model.sources[row] if row >= 0 else None
        job: Callable[[], object]
        if source is not None and source.kind == "caldav":
            job = lambda: sync_source(calendars, caldav, source, lookup)  # noqa: E731
        else:
            job = lambda: calendars.sync(source_id)  # noqa: E731
        run_in_background(
            job,
            on_done=lambda report: self._on_synced(source_id, report),
            on_error=lambda exc: self._on_failed(source_id, exc),
        )
        self._update_buttons()

    def _on_synced(self, source_id: int, report: object) -> None:
        if not shiboken6.isValid(self):
            return
        ok = bool(getattr(report, "ok", False)) and not getattr(report, "conflicts", 0)
        if isinstance(report, SyncReport):
            self.last_report = report
        self._finish(source_id)
        self._say(str(getattr(report, "message", "")), error=not ok)
        self.synced.emit(report)
        self._start_next()

    def _on_failed(self, source_id: int, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self._finish(source_id)
        reason = exc.message if isinstance(exc, PermanenceError) else str(exc)
        self._say(f"Synchronisation impossible : {reason}", error=True)
        self._start_next()

    def _finish(self, source_id: int) -> None:
        self.model.set_running(source_id, False)
        try:
            source = self._ws.calendars.get(source_id)
            if source.kind == "caldav":
                self.model.caldav[source_id] = self._ws.caldav.state(source_id)
            self.model.update_source(source)
        except PermanenceError:
            self.reload()
        self._update_buttons()

    # -- CalDAV ----------------------------------------------------------------------------
    def show_caldav_setup(self) -> None:
        """The CalDAV setup (address, user, password, test, calendar, privacy)."""
        from permanence.ui.calendars.caldav_setup import CalDavSetupDialog

        dialog = CalDavSetupDialog(self._ws, self.practitioner, parent=self)
        dialog.added.connect(lambda source: self._caldav_added(source, dialog.save_message))
        self.caldav_setup = dialog
        dialog.open()

    def _caldav_added(self, source: object, where: str) -> None:
        assert isinstance(source, CalendarSourceInfo)
        if source.practitioner_id != self.practitioner.id:
            self._say(f"Agenda « {source.label} » ajouté à un autre praticien. {where}")
            return
        self.reload(select_id=source.id)
        self._say(f"Agenda « {source.label} » ajouté. {where} Synchronisation en cours…")
        self._enqueue([source.id])

    def show_conflicts(self) -> None:
        """Both versions of each conflict of the chosen CalDAV source, and the choice."""
        source = self.current_source()
        if source is None or source.kind != "caldav" or self.busy:
            return
        from permanence.ui.calendars.conflict_dialog import ConflictDialog

        dialog = ConflictDialog(self._ws, source.id, passwords_for(self._ws).lookup, self)
        dialog.resolved.connect(lambda _report: self._conflict_resolved(source.id))
        self.conflict_dialog = dialog
        dialog.open()

    def _conflict_resolved(self, source_id: int) -> None:
        if not shiboken6.isValid(self):
            return
        self._finish(source_id)
        self.synced.emit(None)

    # -- removing --------------------------------------------------------------------------
    def confirm_remove(self, source: CalendarSourceInfo) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Retirer un agenda")
        box.setText(f"Retirer l'agenda « {source.label} » ?")
        box.setInformativeText(
            "Son temps occupé disparaîtra de l'agenda. Le fichier ou l'abonnement lui-même "
            "n'est pas touché ; vous pourrez l'ajouter de nouveau."
        )
        remove = box.addButton("&Retirer", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton("&Annuler", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is remove

    def remove_selected(self) -> bool:
        source = self.current_source()
        if source is None or self.busy:
            return False
        if not self.confirm_remove(source):
            return False
        try:
            self._ws.calendars.remove(source.id)
            if source.kind == "caldav":
                passwords_for(self._ws).forget(source.id)
        except PermanenceError as exc:
            self._say(exc.message, error=True)
            self.reload()
            return False
        self.reload()
        self._say(f"Agenda « {source.label} » retiré, avec son temps occupé.")
        return True
