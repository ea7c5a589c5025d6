"""RGPD: find a person, see what is held about them, export it, or erase them.

Search by name (or by number when digits are typed) through the callers service; the
chosen person's counts show what an erasure deletes. "Exporter les données…" writes the
printable HTML page (audited); "Effacer cette personne…" (administrators) asks to type
the last name in a confirmation that names what will go.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from permanence.core.callers.values import CallerInfo
from permanence.core.errors import PermanenceError, PermissionDeniedError
from permanence.core.security.privacy import (
    ERASED_LABEL,
    ErasureReport,
    PersonHoldings,
    confirms_erasure,
    erase_person,
    export_person,
    holdings,
)
from permanence.core.text import fold
from permanence.core.workspace import Workspace
from permanence.ui.table_model import ValuesTableModel

SEARCH_LIMIT = 30
ERROR_STYLE = "color: #b3261e;"


class CallersModel(ValuesTableModel[CallerInfo]):
    columns = ("N°", "Nom", "Type", "Téléphones")

    def cell(self, item: CallerInfo, column: int, role: int) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            str(item.id),
            item.display_name,
            item.kind_label,
            ", ".join(item.display_phones) or "—",
        )[column]


def _file_name(caller: CallerInfo) -> str:
    name = "-".join(fold(caller.display_name).replace("'", " ").split()) or "personne"
    return f"donnees-{name}-{caller.id}.html"


class ConfirmErasureDialog(QDialog):
    """Names what will be deleted; OK only once the last name is typed."""

    def __init__(self, held: PersonHoldings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.held = held
        caller = held.caller
        self.setWindowTitle("Effacer une personne")
        intro = QLabel(
            f"<b>Effacer définitivement {escape(caller.display_name)}</b> "
            f"(appelant n° {caller.id}) ?<br>Seront supprimés :<ul>"
            + "".join(f"<li>{escape(line)}</li>" for line in held.lines())
            + "</ul>Le journal d'audit garde la trace de l'effacement, sans le nom. "
            "Cette opération ne peut pas être annulée."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Nom de famille à taper pour confirmer")
        self.name_edit.setPlaceholderText(caller.last_name)
        prompt = QLabel(f"Pour confirmer, tapez le &nom de famille ({escape(caller.last_name)}) :")
        prompt.setBuddy(self.name_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Effacer définitivement")
        self.ok_button.setEnabled(False)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("Annuler")
        # Enter in the field erases only once the name is right (never a default button).
        for button in (self.ok_button, cancel):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name_edit.textChanged.connect(self._on_typed)
        self.name_edit.returnPressed.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(prompt)
        layout.addWidget(self.name_edit)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def confirmed(self) -> bool:
        return confirms_erasure(self.held.caller, self.name_edit.text())

    def _on_typed(self, _text: str) -> None:
        self.ok_button.setEnabled(self.confirmed())

    def accept(self) -> None:
        if self.confirmed():  # Enter in the field must not bypass the check
            super().accept()


class PersonDialog(QDialog):
    """Not for practitioner accounts (PermissionDeniedError); erasing needs an administrator."""

    #: emitted after an erasure, with its report.
    erased = Signal(object)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        if workspace.user.is_practitioner:
            raise PermissionDeniedError(
                "Un compte praticien ne peut pas exporter ni effacer les données d'une personne."
            )
        super().__init__(parent)
        self._ws = workspace
        self._held: PersonHoldings | None = None
        self.confirm_dialog: ConfirmErasureDialog | None = None
        self.setWindowTitle("Données d'une personne (RGPD)")
        self.resize(920, 600)

        self.search_edit = QLineEdit()
        self.search_edit.setAccessibleName("Rechercher une personne")
        self.search_edit.setPlaceholderText("Nom, prénom ou numéro de téléphone")
        self.search_edit.setClearButtonEnabled(True)
        search_label = QLabel("&Rechercher :")
        search_label.setBuddy(self.search_edit)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.search)
        self.search_edit.textChanged.connect(lambda _t: self._timer.start())
        self.search_edit.returnPressed.connect(self.search)

        self.model = CallersModel()
        self.table = QTableView()
        self.table.setAccessibleName("Personnes trouvées")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)

        self.details = QLabel()
        self.details.setAccessibleName("Ce que l'espace de travail détient sur cette personne")
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setMinimumWidth(330)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.hide()

        self.export_button = QPushButton("E&xporter les données…")
        self.export_button.setToolTip(
            "Tout ce qui concerne cette personne, en page HTML à ouvrir et imprimer"
        )
        self.erase_button = QPushButton("E&ffacer cette personne…")
        if not workspace.user.is_admin:
            self.erase_button.setToolTip("Réservé à un administrateur")
        close_button = QPushButton("Fermer")
        self.export_button.clicked.connect(self._on_export_clicked)
        self.erase_button.clicked.connect(self.ask_erase)
        close_button.clicked.connect(self.accept)

        search_row = QHBoxLayout()
        search_row.addWidget(search_label)
        search_row.addWidget(self.search_edit, 1)
        body = QHBoxLayout()
        body.addWidget(self.table, 3)
        body.addWidget(self.details, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.erase_button)
        buttons.addStretch(1)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(search_row)
        layout.addLayout(body, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        self._show(None)

    # -- public --------------------------------------------------------------------------------
    def search(self) -> list[CallerInfo]:
        """Callers matching the text typed (by number when it has 4 digits or more)."""
        self._timer.stop()
        typed = self.search_edit.text().strip()
        found: list[CallerInfo] = []
        try:
            if sum(ch.isdigit() for ch in typed) >= 4:
                found = self._ws.callers.lookup_number(typed, limit=SEARCH_LIMIT)
            elif len(typed) >= 2:
                found = [m.caller for m in self._ws.callers.search(typed, limit=SEARCH_LIMIT)]
        except PermanenceError as exc:
            self._say(exc.message, error=True)
        self.model.set_items(found)
        if found:
            self.table.selectRow(0)
        else:
            self._show(None)
        return found

    def current(self) -> PersonHoldings | None:
        return self._held

    def export_to(self, path: Path) -> bool:
        held = self._held
        if held is None:
            return False
        try:
            export_person(self._ws, held.caller.id, path)
        except PermanenceError as exc:
            self._say(exc.message, error=True)
            return False
        self._say(f"Données de {held.caller.display_name} exportées : {path}")
        return True

    def ask_erase(self) -> ConfirmErasureDialog | None:
        """Open the confirmation (not blocking); the erasure runs when it is accepted."""
        held = self._held
        if held is None:
            return None
        if not self._ws.user.is_admin:
            self._say("Seul un administrateur peut effacer une personne.", error=True)
            return None
        if held.open_calls:
            self._say(
                "Un appel en cours concerne cette personne : closez-le avant de l'effacer.",
                error=True,
            )
            return None
        dialog = ConfirmErasureDialog(held, self)
        dialog.accepted.connect(lambda: self._erase(held))
        self.confirm_dialog = dialog
        dialog.open()
        dialog.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        return dialog

    # -- slots ---------------------------------------------------------------------------------
    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self._show(None)
            return
        caller = self.model.item(current.row())
        try:
            self._show(holdings(self._ws, caller.id))
        except PermanenceError as exc:
            self._show(None)
            self._say(exc.message, error=True)

    def _on_export_clicked(self) -> None:
        if self._held is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self,
            "Exporter les données de la personne",
            _file_name(self._held.caller),
            "Page HTML (*.html)",
        )
        if path:
            self.export_to(Path(path))

    def _erase(self, held: PersonHoldings) -> None:
        try:
            report = erase_person(self._ws, held.caller.id, datetime.now(UTC))
        except PermanenceError as exc:
            self._say(exc.message, error=True)
            return
        self._say(self._erased_text(held, report))
        self.erased.emit(report)
        self.search()

    # -- helpers -------------------------------------------------------------------------------
    @staticmethod
    def _erased_text(held: PersonHoldings, report: ErasureReport) -> str:
        text = (
            f"{held.caller.display_name} a été effacé(e) : {report.calls} appel(s), "
            f"{report.messages} message(s), {report.future_appointments} rendez-vous à venir "
            f"supprimés ; {report.past_appointments} rendez-vous passé(s) gardé(s) sous "
            f"« {ERASED_LABEL} »."
        )
        if report.calendar_items:
            text += (
                f" {report.calendar_items} rendez-vous avaient été envoyés dans un agenda "
                "CalDAV : supprimez-les aussi dans cet agenda."
            )
        return text

    def _show(self, held: PersonHoldings | None) -> None:
        self._held = held
        writable = not self._ws.read_only  # an export is audited: it writes the log
        self.export_button.setEnabled(held is not None and writable)
        self.erase_button.setEnabled(held is not None and writable and self._ws.user.is_admin)
        if held is None:
            self.details.setText(
                "<i>Recherchez une personne par son nom ou son numéro, puis choisissez-la "
                "dans la liste.</i>"
            )
            return
        caller = held.caller
        phones = ", ".join(caller.display_phones) or "aucun numéro"
        practices = ", ".join(held.practices) or "aucun cabinet"
        lines = [
            f"{held.calls} appel(s)"
            + (f", dont {held.open_calls} en cours" if held.open_calls else ""),
            f"{held.messages} message(s)",
            f"{held.followups} rappel(s) ou promesse(s)",
            f"{held.waitlist} inscription(s) en liste d'attente",
            f"{held.future_appointments} rendez-vous à venir, {held.past_appointments} passé(s)",
            f"{held.audit_entries} entrée(s) du journal d'audit",
        ]
        self.details.setText(
            f"<p><span style='font-size:14pt; font-weight:600'>{escape(caller.display_name)}"
            f"</span><br>{escape(caller.kind_label)} — appelant n° {caller.id}<br>"
            f"{escape(phones)}<br>{escape(practices)}</p>"
            "<p><b>Données détenues :</b></p><ul>"
            + "".join(f"<li>{escape(line)}</li>" for line in lines)
            + "</ul>"
        )

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(ERROR_STYLE if error else "")
        self.status_label.setVisible(bool(text))


def open_person_dialog(window: QWidget, workspace: Workspace) -> PersonDialog | None:
    """From the main window's menu: the dialog, or a French refusal for a practitioner."""
    try:
        dialog = PersonDialog(workspace, window)
    except PermanenceError as exc:
        QMessageBox.warning(window, "Données d'une personne", exc.message)
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
