"""Accounts and passwords: the administrator manages accounts and the lock delay; every
user can change his or her own password here."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from permanence.core.errors import PermanenceError
from permanence.core.security.accounts import ROLE_LABELS, AccountInfo
from permanence.core.workspace import Workspace
from permanence.ui.security.lock import DEFAULT_IDLE_MINUTES, IDLE_SETTING, idle_minutes
from permanence.ui.table_model import ValuesTableModel


class AccountsModel(ValuesTableModel[AccountInfo]):
    columns = ("Identifiant", "Nom", "Rôle", "Praticien", "État")

    def __init__(self, practitioners: dict[int, str]) -> None:
        super().__init__()
        self._practitioners = practitioners

    def cell(self, item: AccountInfo, column: int, role: int) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == 0:
            return item.username
        if column == 1:
            return item.display_name
        if column == 2:
            return ROLE_LABELS.get(item.role, item.role)
        if column == 3:
            return self._practitioners.get(item.practitioner_id or 0, "")
        return "actif" if item.active else "désactivé"


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


class PasswordDialog(QDialog):
    """A new password typed twice (and the current one when `ask_current`)."""

    def __init__(self, title: str, *, ask_current: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        form = QFormLayout(self)
        self.current = _password_field("Mot de passe actuel") if ask_current else None
        if self.current is not None:
            form.addRow("Mot de passe &actuel", self.current)
        self.new = _password_field("Nouveau mot de passe")
        self.again = _password_field("Nouveau mot de passe, à nouveau")
        form.addRow("&Nouveau mot de passe", self.new)
        form.addRow("&Confirmation", self.again)
        hint = QLabel("Au moins 8 caractères, variés. Il n'est écrit nulle part en clair.")
        hint.setWordWrap(True)
        form.addRow(hint)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _check(self) -> None:
        from permanence.core.security.keyslots import check_password_strength

        if self.new.text() != self.again.text():
            self.error.setText("Les deux mots de passe ne sont pas identiques.")
            return
        problem = check_password_strength(self.new.text())
        if problem:
            self.error.setText(problem)
            return
        self.accept()


class NewAccountDialog(QDialog):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.setWindowTitle("Nouveau compte")
        form = QFormLayout(self)
        self.username = QLineEdit()
        self.username.setAccessibleName("Identifiant")
        self.display_name = QLineEdit()
        self.display_name.setAccessibleName("Nom affiché")
        self.role = QComboBox()
        self.role.setAccessibleName("Rôle")
        for role, label in ROLE_LABELS.items():
            self.role.addItem(label, role)
        self.practitioner = QComboBox()
        self.practitioner.setAccessibleName("Praticien rattaché")
        for practice in workspace.practices.list():
            for person in practice.practitioners:
                self.practitioner.addItem(f"{person.display_name} — {practice.name}", person.id)
        self.password = _password_field("Mot de passe")
        self.again = _password_field("Mot de passe, à nouveau")
        form.addRow("&Identifiant", self.username)
        form.addRow("&Nom affiché", self.display_name)
        form.addRow("&Rôle", self.role)
        form.addRow("&Praticien (compte praticien)", self.practitioner)
        form.addRow("&Mot de passe", self.password)
        form.addRow("&Confirmation", self.again)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Créer le compte")
        buttons.accepted.connect(self.create_account)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.role.currentIndexChanged.connect(self._role_changed)
        self._role_changed()

    def _role_changed(self) -> None:
        self.practitioner.setEnabled(self.role.currentData() == "praticien")

    def create_account(self) -> None:
        if self.password.text() != self.again.text():
            self.error.setText("Les deux mots de passe ne sont pas identiques.")
            return
        role = str(self.role.currentData())
        try:
            self._ws.accounts.create(
                self.username.text(),
                self.password.text(),
                role=role,
                display_name=self.display_name.text(),
                practitioner_id=self.practitioner.currentData() if role == "praticien" else None,
            )
        except PermanenceError as exc:
            self.error.setText(exc.message)
            return
        self.accept()


class AccountsDialog(QDialog):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.setWindowTitle("Comptes et mots de passe")
        layout = QVBoxLayout(self)
        me = QLabel(
            f"Connecté en tant que <b>{workspace.user.label}</b> "
            f"({ROLE_LABELS.get(workspace.user.role, workspace.user.role).lower()})."
        )
        layout.addWidget(me)
        self.change_mine = QPushButton("Changer &mon mot de passe…")
        self.change_mine.clicked.connect(self.change_own_password)
        layout.addWidget(self.change_mine, 0, Qt.AlignmentFlag.AlignLeft)
        self.admin_box = QGroupBox("Comptes de cet espace de travail")
        admin = QVBoxLayout(self.admin_box)
        names = {
            person.id: person.display_name
            for practice in workspace.practices.list()
            for person in practice.practitioners
        }
        self.model = AccountsModel(names)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Comptes")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        admin.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button = QPushButton("&Ajouter…")
        self.reset_button = QPushButton("Nouveau mot de &passe…")
        self.deactivate_button = QPushButton("&Désactiver")
        for button in (self.add_button, self.reset_button, self.deactivate_button):
            row.addWidget(button)
        row.addStretch(1)
        admin.addLayout(row)
        self.add_button.clicked.connect(self.add_account)
        self.reset_button.clicked.connect(self.reset_password)
        self.deactivate_button.clicked.connect(self.deactivate)
        lock_row = QHBoxLayout()
        self.idle = QSpinBox()
        self.idle.setRange(0, 120)
        self.idle.setSuffix(" min")
        self.idle.setSpecialValueText("jamais")
        self.idle.setAccessibleName("Verrouillage automatique après")
        self.idle.setValue(idle_minutes(workspace))
        lock_label = QLabel("&Verrouillage automatique après")
        lock_label.setBuddy(self.idle)
        lock_row.addWidget(lock_label)
        lock_row.addWidget(self.idle)
        lock_row.addWidget(QLabel(f"d'inactivité (par défaut {DEFAULT_IDLE_MINUTES} min)"))
        lock_row.addStretch(1)
        admin.addLayout(lock_row)
        layout.addWidget(self.admin_box, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.admin_box.setVisible(workspace.user.is_admin)
        self.resize(720, 460 if workspace.user.is_admin else 160)
        self.refresh()

    def refresh(self) -> None:
        if self._ws.user.is_admin:
            self.model.set_items(self._ws.accounts.list())

    def selected(self) -> AccountInfo | None:
        index = self.table.currentIndex()
        return self.model.item(index.row()) if index.isValid() else None

    def add_account(self) -> None:
        if NewAccountDialog(self._ws, parent=self).exec():
            self.message.setText("Compte créé.")
            self.refresh()

    def change_own_password(self) -> None:
        dialog = PasswordDialog("Changer mon mot de passe", ask_current=True, parent=self)
        if not dialog.exec():
            return
        assert dialog.current is not None
        try:
            self._ws.accounts.change_password(
                self._ws.user.username, dialog.current.text(), dialog.new.text()
            )
        except PermanenceError as exc:
            QMessageBox.warning(self, "Mot de passe inchangé", exc.message)
            return
        self.message.setText("Votre mot de passe a été changé.")

    def reset_password(self) -> None:
        account = self.selected()
        if account is None:
            self.message.setText("Choisissez d'abord un compte dans la liste.")
            return
        dialog = PasswordDialog(
            f"Nouveau mot de passe pour {account.label}", ask_current=False, parent=self
        )
        if not dialog.exec():
            return
        try:
            self._ws.accounts.reset_password(account.username, dialog.new.text())
        except PermanenceError as exc:
            QMessageBox.warning(self, "Mot de passe inchangé", exc.message)
            return
        self.message.setText(f"Nouveau mot de passe enregistré pour {account.label}.")

    def deactivate(self) -> None:
        account = self.selected()
        if account is None:
            self.message.setText("Choisissez d'abord un compte dans la liste.")
            return
        answer = QMessageBox.question(
            self,
            "Désactiver le compte",
            f"Désactiver le compte « {account.username} » ? Son mot de passe n'ouvrira plus "
            "l'espace de travail.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._ws.accounts.deactivate(account.username)
        except PermanenceError as exc:
            QMessageBox.warning(self, "Compte non désactivé", exc.message)
            return
        self.refresh()

    def done(self, result: int) -> None:
        if self._ws.user.is_admin and not self._ws.read_only:
            self._ws.set_setting(IDLE_SETTING, str(self.idle.value()))
        super().done(result)
