"""The practitioner's evening: the day's messages (urgent first, then by time), each opened
with its confirmed text, history and notes; one key for "lu" / "rappelé" / "clos"; the PDF
digest of the day and the open callbacks as an .ics file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from permanence.core.agenda.french import format_date, format_time
from permanence.core.errors import PermanenceError
from permanence.core.messages import STATUS_LABELS, build_digest, export_callbacks_ics
from permanence.core.security.audit import EXPORTED, VIEWED
from permanence.ui.digest_pdf import write_digest_pdf

if TYPE_CHECKING:
    from permanence.core.messages import EventInfo, MessageInfo
    from permanence.core.practices.values import PractitionerInfo
    from permanence.core.workspace import Workspace

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Heure", "Urgent", "Appelant", "Pour", "Motif", "Rappel", "Statut")
DEFAULT_TZ = "Europe/Paris"
STATUS_KEYS = (("lu", "Ctrl+Shift+L"), ("rappelé", "Ctrl+Shift+R"), ("clos", "Ctrl+Shift+C"))
ERROR_STYLE = "color: #b3261e;"


class MessagesModel(QAbstractTableModel):
    """One row per message, in the service's order (urgent first, then time)."""

    def __init__(self) -> None:
        super().__init__()
        self._items: list[MessageInfo] = []
        self.zone = ZoneInfo(DEFAULT_TZ)

    def set_items(self, items: list[MessageInfo], zone: ZoneInfo) -> None:
        self.beginResetModel()
        self._items, self.zone = list(items), zone
        self.endResetModel()

    def item(self, row: int) -> MessageInfo:
        return self._items[row]

    def row_of(self, message_id: int) -> int:
        return next((i for i, m in enumerate(self._items) if m.id == message_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        message = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells(message)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and message.urgent and index.column() == 1:
            return QBrush(QColor("#b3261e"))
        if role == Qt.ItemDataRole.FontRole and message.status == "nouveau":
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _cells(self, message: MessageInfo) -> tuple[str, ...]:
        local = message.created_at.astimezone(self.zone)
        return (
            format_time(local.time()),
            "urgent" if message.urgent else "",
            message.caller_name,
            message.patient_name if message.draft.is_third_party else "",
            message.draft.reason,
            message.callback_display,
            message.status_label + ("" if message.confirmed else " · non confirmé"),
        )


class PractitionerMessagesView(QWidget):
    """Choose a practitioner and a day; read, follow and export the messages."""

    #: a message's status or note changed (its MessageInfo).
    message_changed = Signal(object)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        #: the clock (tests replace it).
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)
        self._build()
        self._connect()
        self._fill_practitioners()

    # -- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.practitioner_box = QComboBox()
        self.practitioner_box.setAccessibleName("Praticien")
        self.day_edit = QDateEdit(QDate.currentDate())
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("dd/MM/yyyy")
        self.day_edit.setAccessibleName("Jour des messages")
        self.summary = QLabel()
        self.summary.setAccessibleName("Résumé des messages du jour")
        self.model = MessagesModel()
        self.table = QTableView()
        self.table.setAccessibleName("Messages du jour")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("Détail du message")
        self.note_edit = QLineEdit()
        self.note_edit.setAccessibleName("Note du praticien")
        self.note_edit.setPlaceholderText("rappelée, RDV donné jeudi…")
        self.note_button = QPushButton("Ajouter la &note")
        self.status_buttons: dict[str, QPushButton] = {}
        for status, keys in STATUS_KEYS:
            label = {"lu": "&Lu", "rappelé": "&Rappelé", "clos": "&Clos"}[status]
            button = QPushButton(f"{label} ({keys.replace('Shift', 'Maj')})")
            button.setAccessibleName(f"Marquer le message comme {status}")
            self.status_buttons[status] = button
        self.pdf_button = QPushButton("&PDF du jour…")
        self.ics_button = QPushButton("E&xporter les rappels (.ics)…")
        self.email_button = QPushButton("Envoyer par e-&mail…")
        self.since_last = QCheckBox("Depuis le dernier PDF")
        self.since_last.setToolTip(
            "Le PDF reprend tous les messages arrivés depuis le précédent PDF de ce praticien"
        )
        self.ics_privacy = QComboBox()
        self.ics_privacy.setAccessibleName("Confidentialité des rappels exportés")
        for label, value in (
            ("Initiales et numéro", "initials"),
            ("« Rappel patient » seulement", "minimal"),
            ("Tout (nom, motif, numéro)", "full"),
        ):
            self.ics_privacy.addItem(label, value)
        self.ics_events = QCheckBox("En rendez-vous (au lieu de tâches)")
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName("État de la dernière action")

        top = QHBoxLayout()
        top.addWidget(_label("Pra&ticien", self.practitioner_box))
        top.addWidget(self.practitioner_box, 1)
        top.addWidget(_label("&Jour", self.day_edit))
        top.addWidget(self.day_edit)
        top.addWidget(self.pdf_button)
        top.addWidget(self.since_last)
        top.addWidget(self.email_button)
        exports = QHBoxLayout()
        exports.addWidget(QLabel("Rappels vers l'agenda du praticien :"))
        exports.addWidget(self.ics_privacy)
        exports.addWidget(self.ics_events)
        exports.addWidget(self.ics_button)
        exports.addStretch(1)
        statuses = QHBoxLayout()
        for button in self.status_buttons.values():
            statuses.addWidget(button)
        statuses.addStretch(1)
        note = QHBoxLayout()
        note.addWidget(_label("N&ote", self.note_edit))
        note.addWidget(self.note_edit, 1)
        note.addWidget(self.note_button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.detail, 1)
        lower_layout.addLayout(statuses)
        lower_layout.addLayout(note)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Messages du praticien</b>"))
        layout.addLayout(top)
        layout.addLayout(exports)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status_label)
        self._set_actions_enabled(False)

    def _connect(self) -> None:
        self.practitioner_box.currentIndexChanged.connect(self._on_filter_changed)
        self.day_edit.dateChanged.connect(self._on_filter_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.note_button.clicked.connect(self.add_note)
        self.note_edit.returnPressed.connect(self.add_note)
        self.pdf_button.clicked.connect(self._on_pdf_clicked)
        self.email_button.clicked.connect(lambda: self.email_dialog())
        self.ics_button.clicked.connect(self._on_ics_clicked)
        for status, keys in STATUS_KEYS:
            button = self.status_buttons[status]
            button.clicked.connect(lambda _c=False, s=status: self.set_status(s))
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda s=status: self.set_status(s))

    def _fill_practitioners(self) -> None:
        self.practitioner_box.blockSignals(True)
        self.practitioner_box.clear()
        for practice in self._ws.practices.list():
            for person in practice.practitioners:
                self.practitioner_box.addItem(f"{person.display_name} — {practice.name}", person.id)
        self.practitioner_box.blockSignals(False)

    # -- public API --------------------------------------------------------------------------
    def show_practitioner(self, practitioner_id: int, day: date | None = None) -> None:
        """Open on this practitioner (and day; default: today)."""
        index = self.practitioner_box.findData(practitioner_id)
        if index < 0:
            self._fill_practitioners()
            index = self.practitioner_box.findData(practitioner_id)
        self.day_edit.blockSignals(True)
        self.day_edit.setDate(QDate(day or self._today()))
        self.day_edit.blockSignals(False)
        self.practitioner_box.blockSignals(True)
        self.practitioner_box.setCurrentIndex(max(index, 0))
        self.practitioner_box.blockSignals(False)
        self.refresh()

    def practitioner_id(self) -> int | None:
        value = self.practitioner_box.currentData()
        return int(value) if value is not None else None

    def day(self) -> date:
        chosen = self.day_edit.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def refresh(self, select_id: int | None = None) -> None:
        """Reload the list (keeps the selected message when it is still listed)."""
        pid = self.practitioner_id()
        current = select_id if select_id is not None else self._current_id()
        if pid is None:
            self.model.set_items([], ZoneInfo(DEFAULT_TZ))
            self.summary.setText("Aucun praticien.")
            self._show_detail(None)
            return
        try:
            practitioner = self._ws.practices.practitioner(pid)
            items = self._ws.messages.for_practitioner(pid, day=self.day())
        except PermanenceError as exc:
            self._say(exc.message, error=True)
            return
        self.model.set_items(items, ZoneInfo(practitioner.timezone or DEFAULT_TZ))
        urgent = sum(1 for m in items if m.urgent)
        text = f"{len(items)} message{'s' if len(items) > 1 else ''}"
        if urgent:
            text += f", dont {urgent} urgent{'s' if urgent > 1 else ''}"
        self.summary.setText(f"{text} — {format_date(self.day(), year=True)}.")
        row = self.model.row_of(current) if current is not None else -1
        if items:
            self.table.selectRow(max(row, 0))
        else:
            self._show_detail(None)

    def current_message(self) -> MessageInfo | None:
        index = self.table.currentIndex()
        return self.model.item(index.row()) if index.isValid() else None

    def set_status(self, status: str) -> MessageInfo | None:
        message = self.current_message()
        if message is None:
            return None
        try:
            info = self._ws.messages.set_status(message.id, status, by=self._by())
        except PermanenceError as exc:
            self._say(exc.message, error=True)
            return None
        self._say(f"Message n° {info.id} : {info.status_label.lower()}.")
        self.refresh(select_id=info.id)
        self.message_changed.emit(info)
        return info

    def add_note(self) -> MessageInfo | None:
        message = self.current_message()
        if message is None:
            return None
        try:
            info = self._ws.messages.add_note(message.id, self.note_edit.text(), self._by())
        except PermanenceError as exc:
            self._say(exc.message, error=True)
            return None
        self.note_edit.clear()
        self._say(f"Note ajoutée au message n° {info.id}.")
        self.refresh(select_id=info.id)
        self.message_changed.emit(info)
        return info

    def export_pdf(self, path: Path) -> bool:
        """The day's digest of the chosen practitioner as a PDF file."""
        pid = self.practitioner_id()
        if pid is None:
            return False
        marker = f"digest.last.{pid}"
        since = None
        if self.since_last.isChecked():
            stored = self._ws.setting(marker, "")
            since = datetime.fromisoformat(stored) if stored else None
        try:
            digest = (
                build_digest(self._ws, pid, since=since, now=self.now())
                if since is not None
                else build_digest(self._ws, pid, day=self.day(), now=self.now())
            )
            write_digest_pdf(digest, path)
        except PermanenceError as exc:
            self._say(exc.message, error=True)
            return False
        except OSError as exc:
            self._say(f"Impossible d'écrire « {path} » : {exc.strerror or exc}.", error=True)
            return False
        self._ws.set_setting(marker, self.now().isoformat())
        self._ws.audit.record(EXPORTED, "praticien", pid, f"Récapitulatif PDF ({digest.counts})")
        self._say(f"PDF enregistré : {path}")
        return True

    def email_dialog(self) -> QDialog | None:
        """The e-mail dialog for the chosen practitioner and day (opened, not blocking)."""
        pid = self.practitioner_id()
        if pid is None:
            return None
        from permanence.ui.messages.email_dialog import EmailDigestDialog

        dialog = EmailDigestDialog(
            self._ws, self._ws.practices.practitioner(pid), self.day(), parent=self
        )
        dialog.open()
        return dialog

    def export_ics(self, path: Path) -> bool:
        """The chosen practitioner's open callbacks as an iCalendar file."""
        pid = self.practitioner_id()
        if pid is None:
            return False
        try:
            practitioner = self._ws.practices.practitioner(pid)
            callbacks = self._ws.messages.callbacks(self.now(), practitioner_id=pid)
            data = export_callbacks_ics(
                callbacks,
                privacy=self.ics_privacy.currentData(),
                as_events=self.ics_events.isChecked(),
                practitioner=practitioner,
                now=self.now(),
            )
            path.write_bytes(data)
        except PermanenceError as exc:
            self._say(exc.message, error=True)
            return False
        except OSError as exc:
            self._say(f"Impossible d'écrire « {path} » : {exc.strerror or exc}.", error=True)
            return False
        if not self._ws.read_only:
            self._ws.audit.record(EXPORTED, "praticien", pid, f"{len(callbacks)} rappel(s) (ICS)")
        self._say(f"{len(callbacks)} rappel(s) exporté(s) : {path}")
        return True

    # -- slots -------------------------------------------------------------------------------
    def _on_filter_changed(self, *_args: object) -> None:
        self.refresh()

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_detail(self.model.item(current.row()) if current.isValid() else None)

    def _on_pdf_clicked(self) -> None:
        name = f"messages-{self.day().isoformat()}.pdf"
        path, _filter = QFileDialog.getSaveFileName(
            self, "Enregistrer le PDF du jour", name, "PDF (*.pdf)"
        )
        if path:
            self.export_pdf(Path(path))

    def _on_ics_clicked(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, "Exporter les rappels", "rappels.ics", "Calendrier (*.ics)"
        )
        if path:
            self.export_ics(Path(path))

    # -- helpers -----------------------------------------------------------------------------
    def _show_detail(self, message: MessageInfo | None) -> None:
        self._set_actions_enabled(message is not None)
        if message is None:
            self.detail.setPlainText("Aucun message sélectionné.")
            return
        try:
            events = self._ws.messages.events(message.id)
        except PermanenceError as exc:
            self.detail.setPlainText(exc.message)
            return
        self.detail.setHtml(_detail_html(message, events, self.model.zone))
        if not self._ws.read_only:
            self._ws.audit.record(VIEWED, "message", message.id)

    def _set_actions_enabled(self, enabled: bool) -> None:
        for widget in (*self.status_buttons.values(), self.note_button, self.note_edit):
            widget.setEnabled(enabled)

    def _current_id(self) -> int | None:
        message = self.current_message()
        return message.id if message else None

    def _today(self) -> date:
        pid = self.practitioner_id()
        zone = DEFAULT_TZ
        if pid is not None:
            practitioner: PractitionerInfo = self._ws.practices.practitioner(pid)
            zone = practitioner.timezone or DEFAULT_TZ
        return self.now().astimezone(ZoneInfo(zone)).date()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(ERROR_STYLE if error else "")

    def _by(self) -> str:
        return self._ws.secretary or "secrétariat"


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _detail_html(message: MessageInfo, events: list[EventInfo], zone: ZoneInfo) -> str:
    def when(moment: datetime) -> str:
        local = moment.astimezone(zone)
        return f"{format_date(local.date())} à {format_time(local.time())}"

    d = message.draft
    head = f"<b>{escape(message.caller_name or 'Appelant inconnu')}</b>"
    if message.urgent:
        head += " — <b style='color:#b3261e'>URGENT</b>"
    if message.private:
        head += " — privé"
    lines = [head]
    if d.is_third_party:
        relation = f" ({escape(d.relation)})" if d.relation else ""
        lines.append(f"Pour : {escape(message.patient_name)}{relation}")
    lines.append(f"Rappel : {escape(message.callback_display)}")
    if message.confirmed and message.confirmed_at:
        state = f"Confirmé par l'appelant le {when(message.confirmed_at)}"
    else:
        state = "<b>Non confirmé</b>" + (
            f" : {escape(message.unconfirmed_reason)}" if message.unconfirmed_reason else ""
        )
    lines.append(f"{state} · pris par {escape(message.taken_by)}")
    parts = ["<p>" + "<br>".join(lines) + "</p>"]
    parts.append(f"<blockquote>{escape(message.readback_text)}</blockquote>")
    if d.body:
        parts.append(f"<p><i>Message :</i> {escape(d.body)}</p>")
    if message.practitioner_note:
        note = escape(message.practitioner_note).replace("\n", "<br>")
        parts.append(f"<p><i>Notes :</i><br>{note}</p>")
    history = "".join(
        f"<li>{when(e.at)} — {escape(_event_text(e))}, par {escape(e.by)}</li>" for e in events
    )
    parts.append(f"<p><i>Historique :</i></p><ul>{history}</ul>")
    return "".join(parts)


def _event_text(event: EventInfo) -> str:
    if event.kind == "statut":
        before = STATUS_LABELS.get(event.from_status, event.from_status)
        after = STATUS_LABELS.get(event.to_status, event.to_status)
        text = f"{before} → {after}"
    elif event.kind == "correction":
        return "Correction : " + "; ".join(event.detail.splitlines())
    elif event.kind == "note":
        text = "Note"
    else:
        text = "Relecture"
    return f"{text} ({event.detail})" if event.detail else text
