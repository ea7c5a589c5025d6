"""The administrator's audit log: who viewed, created, changed, exported or deleted what.

Filters (period, user, action, kind of object) above a sortable table; "Exporter…" writes
the entries shown as CSV, and that export is itself recorded in the log. Nothing here can
change an entry: the log offers no such thing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from permanence.core.errors import PermanenceError, PermissionDeniedError
from permanence.core.security.audit import ACTIONS, EXPORTED, AuditRecord
from permanence.core.workspace import Workspace
from permanence.ui.format import PARIS, format_day, format_time
from permanence.ui.table_model import ValuesTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: The most entries shown at once (newest first); the export writes the same ones.
LIMIT = 5_000
LOCAL_USER_LABEL = "utilisateur local (sans compte)"
AUDIT_KIND = "journal d'audit"
#: Kinds of object the log knows, as the administrator reads them.
KINDS = (
    "appel",
    "appelant",
    "message",
    "rappel",
    "rendez-vous",
    "consignes",
    "praticien",
    "compte",
    "secret",
    "conservation",
    AUDIT_KIND,
)
ERROR_STYLE = "color: #b3261e;"


def format_moment(moment: datetime, *, today: date | None = None) -> str:
    """ "mardi 14 janvier 10 h 30" in Paris time; the year is added when it is not this one."""
    local = moment.astimezone(PARIS)
    this_year = (today or datetime.now(PARIS).date()).year
    return f"{format_day(local.date(), with_year=local.year != this_year)} {format_time(local)}"


def actor_label(actor: str) -> str:
    return actor or "utilisateur local"


class AuditModel(ValuesTableModel[AuditRecord]):
    columns = ("Date", "Utilisateur", "Action", "Objet", "Détail")

    def cell(self, item: AuditRecord, column: int, role: int) -> Any:
        if role == SORT_ROLE:
            return item.id if column == 0 else str(self.cell(item, column, 0) or "").casefold()
        if role == Qt.ItemDataRole.ToolTipRole and column == 4:
            return item.summary or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == 0:
            return format_moment(item.at)
        if column == 1:
            return actor_label(item.actor)
        if column == 2:
            return item.action
        if column == 3:
            return f"{item.kind} n° {item.object_id}" if item.object_id else item.kind
        return item.summary


class AuditDialog(QDialog):
    """Administrator only: PermissionDeniedError for anyone else."""

    def __init__(
        self, workspace: Workspace, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        if not workspace.user.is_admin:
            raise PermissionDeniedError("Seul un administrateur peut consulter le journal d'audit.")
        super().__init__(parent)
        self._ws = workspace
        self._records: list[AuditRecord] = []
        self.setWindowTitle("Journal d'audit")
        self.resize(1100, 620)
        day = today or datetime.now(PARIS).date()

        self.since_edit = _date_edit(day - timedelta(days=30), "Début de la période")
        self.until_edit = _date_edit(day, "Fin de la période")
        self.user_filter = QComboBox()
        self.user_filter.setAccessibleName("Filtrer par utilisateur")
        self.action_filter = QComboBox()
        self.action_filter.setAccessibleName("Filtrer par action")
        self.action_filter.addItem("Toutes les actions", None)
        for action in ACTIONS:
            self.action_filter.addItem(action, action)
        self.kind_filter = QComboBox()
        self.kind_filter.setAccessibleName("Filtrer par type d'objet")
        self.kind_filter.addItem("Tous les objets", None)
        for kind in KINDS:
            self.kind_filter.addItem(kind, kind)
        self._fill_users()

        self.model = AuditModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setAccessibleName("Entrées du journal d'audit")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((220, 160, 150, 170)):
            self.table.setColumnWidth(column, width)

        self.count_label = QLabel()
        self.count_label.setAccessibleName("Nombre d'entrées")
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.hide()
        self.export_button = QPushButton("&Exporter…")
        self.export_button.setToolTip("Enregistrer les entrées affichées en CSV (Excel)")
        self.close_button = QPushButton("Fermer")
        self.export_button.clicked.connect(self._on_export_clicked)
        self.close_button.clicked.connect(self.accept)

        filters = QHBoxLayout()
        for text, widget, stretch in (
            ("&Du :", self.since_edit, 0),
            ("&au :", self.until_edit, 0),
            ("&Utilisateur :", self.user_filter, 1),
            ("Acti&on :", self.action_filter, 1),
            ("O&bjet :", self.kind_filter, 1),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget, stretch)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)

        for edit in (self.since_edit, self.until_edit):
            edit.dateChanged.connect(lambda _d: self.refresh())
        for combo in (self.user_filter, self.action_filter, self.kind_filter):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh()

    # -- public --------------------------------------------------------------------------------
    def period(self) -> tuple[datetime, datetime]:
        """UTC bounds of the chosen days (Paris time): [first day 0 h, day after last 0 h)."""
        first, last = _day(self.since_edit.date()), _day(self.until_edit.date())
        if last < first:
            first, last = last, first
        start = datetime.combine(first, time(0), tzinfo=PARIS).astimezone(UTC)
        end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=PARIS).astimezone(UTC)
        return start, end

    def records(self) -> list[AuditRecord]:
        """The entries shown (newest first)."""
        return list(self._records)

    def refresh(self) -> None:
        since, until = self.period()
        try:
            records = self._ws.audit.entries(
                since=since,
                until=until,
                actor=self.user_filter.currentData(),
                kind=self.kind_filter.currentData(),
                limit=None if self.action_filter.currentData() else LIMIT,
            )
        except PermanenceError as exc:
            self._say(exc.message, error=True)
            return
        action = self.action_filter.currentData()
        if action:
            records = [r for r in records if r.action == action][:LIMIT]
        self._records = records
        self.model.set_items(records)
        count = len(records)
        text = f"{count} entrée{'s' if count > 1 else ''}"
        if count >= LIMIT:
            text += f" (les {LIMIT:_} plus récentes ; réduisez la période)".replace("_", "\u202f")
        self.count_label.setText(text + ".")
        self.export_button.setEnabled(bool(records) and not self._ws.read_only)

    def export_csv(self, path: Path) -> bool:
        """Write the entries shown as CSV, and record the export in the log."""
        records = self.records()
        try:
            Path(path).write_text(self._ws.audit.to_csv(records), encoding="utf-8", newline="")
        except OSError as exc:
            self._say(f"Impossible d'écrire « {path} » : {exc.strerror or exc}.", error=True)
            return False
        first, last = _day(self.since_edit.date()), _day(self.until_edit.date())
        self._ws.audit.record(
            EXPORTED,
            AUDIT_KIND,
            "",
            f"{len(records)} entrée(s) du {first.strftime('%d/%m/%Y')} "
            f"au {last.strftime('%d/%m/%Y')} (CSV)",
        )
        self._say(f"{len(records)} entrée(s) exportée(s) : {path}")
        self.refresh()
        return True

    # -- helpers -------------------------------------------------------------------------------
    def _fill_users(self) -> None:
        self.user_filter.addItem("Tous les utilisateurs", None)
        try:
            accounts = self._ws.accounts.list()
        except PermanenceError:
            accounts = []
        for account in accounts:
            label = account.username
            if account.display_name:
                label += f" ({account.display_name})"
            self.user_filter.addItem(label, account.username)
        self.user_filter.addItem(LOCAL_USER_LABEL, "")

    def _on_export_clicked(self) -> None:
        first, last = _day(self.since_edit.date()), _day(self.until_edit.date())
        name = f"journal-audit-{first.isoformat()}-{last.isoformat()}.csv"
        path, _filter = QFileDialog.getSaveFileName(
            self, "Exporter le journal d'audit", name, "CSV (*.csv)"
        )
        if path:
            self.export_csv(Path(path))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(ERROR_STYLE if error else "")
        self.status_label.setVisible(bool(text))


def _date_edit(day: date, name: str) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setAccessibleName(name)
    return edit


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def open_audit_dialog(window: QWidget, workspace: Workspace) -> AuditDialog | None:
    """From the main window's menu: the dialog, or a French refusal for non-administrators."""
    from PySide6.QtWidgets import QMessageBox

    try:
        dialog = AuditDialog(workspace, window)
    except PermanenceError as exc:
        QMessageBox.warning(window, "Journal d'audit", exc.message)
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def ask_retention_months(window: QWidget, workspace: Workspace) -> QWidget | None:
    """The administrator's "Durée de conservation…": a small input, opened (not blocking).

    Returns the QInputDialog (tests fill it), or None after a French refusal.
    """
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    from permanence.core.security.retention import (
        MAX_MONTHS,
        MIN_MONTHS,
        retention_months,
        set_retention_months,
    )

    if not workspace.user.is_admin or workspace.read_only:
        why = "en lecture seule" if workspace.read_only else "réservée à un administrateur"
        QMessageBox.warning(window, "Durée de conservation", f"Cette action est {why}.")
        return None
    dialog = QInputDialog(window)
    dialog.setWindowTitle("Durée de conservation")
    dialog.setInputMode(QInputDialog.InputMode.IntInput)
    dialog.setLabelText(
        "Les appels et les messages plus anciens que cette durée\n"
        "sont supprimés au démarrage. Les rendez-vous, les fiches\n"
        "des appelants et le journal d'audit sont conservés.\n\n"
        "Durée de conservation, en mois :"
    )
    dialog.setIntRange(MIN_MONTHS, MAX_MONTHS)
    dialog.setIntValue(retention_months(workspace))
    dialog.setOkButtonText("Enregistrer")
    dialog.setCancelButtonText("Annuler")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def save(months: int) -> None:
        try:
            set_retention_months(workspace, months)
        except PermanenceError as exc:
            QMessageBox.warning(window, "Durée de conservation", exc.message)

    dialog.intValueSelected.connect(save)
    dialog.open()
    return dialog
