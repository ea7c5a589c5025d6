"""First start: a short assistant creates the encrypted workspace and its first account.

Three pages: what Permanence keeps and where (the folder, encrypted), the administrator
account (her own), and what to start with (the demo practices or nothing). Creating runs on
a worker thread (key derivation and the demo take a second or two) with a busy indicator.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from permanence.core.errors import PermanenceError
from permanence.ui.tasks import run_in_background

if TYPE_CHECKING:
    from permanence.core.workspace import Workspace


def _label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


class WelcomePage(QWizardPage):
    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.setTitle("Bienvenue dans Permanence")
        self.setSubTitle("Quelques réglages avant le premier appel (une minute).")
        layout = QVBoxLayout(self)
        layout.addWidget(
            _label(
                "Permanence garde les consignes de vos cabinets, les appelants, les messages "
                "et les rendez-vous. Ce sont des données de santé : elles sont "
                "<b>chiffrées</b> sur ce disque et ne s'ouvrent qu'avec votre mot de passe."
            )
        )
        layout.addWidget(_label(f"<b>Dossier des données :</b><br>{folder}"))
        layout.addWidget(
            _label(
                "Une sauvegarde chiffrée est faite chaque jour dans ce dossier "
                "(sous-dossier « sauvegardes ») ; copiez-la aussi sur un support externe. "
                "Sans mot de passe, ni l'espace ni ses sauvegardes ne peuvent être lus : "
                "créez plus tard un second compte administrateur de secours."
            )
        )
        layout.addStretch(1)


class AccountPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Votre compte")
        self.setSubTitle("Le compte administrateur : il gère aussi les autres comptes.")
        form = QFormLayout(self)
        self.display_name = QLineEdit()
        self.display_name.setAccessibleName("Votre nom")
        self.username = QLineEdit()
        self.username.setAccessibleName("Identifiant")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Mot de passe")
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.again.setAccessibleName("Mot de passe, à nouveau")
        form.addRow("Votre &nom", self.display_name)
        form.addRow("&Identifiant", self.username)
        form.addRow("&Mot de passe", self.password)
        form.addRow("&Confirmation", self.again)
        form.addRow(_label("Au moins 8 caractères, variés. Il n'est écrit nulle part en clair."))
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Message d'erreur")
        form.addRow(self.error)
        self.display_name.textEdited.connect(self._suggest_username)

    def _suggest_username(self, text: str) -> None:
        if not self.username.isModified():
            first = text.strip().split(" ")[0] if text.strip() else ""
            self.username.setText(first.casefold())

    def validatePage(self) -> bool:
        from permanence.core.security.accounts import validate_new_account

        if self.password.text() != self.again.text():
            self.error.setText("Les deux mots de passe ne sont pas identiques.")
            return False
        try:
            validate_new_account(self.username.text(), "admin", self.password.text())
        except PermanenceError as exc:
            self.error.setText(exc.message)
            return False
        self.error.clear()
        return True


class ContentPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Pour commencer")
        self.setSubTitle("Vous pourrez ajouter vos cabinets ensuite.")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.workspace_name = QLineEdit("Ma permanence")
        self.workspace_name.setAccessibleName("Nom de l'espace de travail")
        form.addRow("Nom de l'&espace", self.workspace_name)
        layout.addLayout(form)
        self.demo = QRadioButton("Charger les &cabinets de démonstration (fictifs) pour essayer")
        self.empty = QRadioButton("Commencer &vide")
        self.demo.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.demo)
        group.addButton(self.empty)
        layout.addWidget(self.demo)
        layout.addWidget(self.empty)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setVisible(False)
        self.progress.setAccessibleName("Création en cours")
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addStretch(1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)


class FirstRunWizard(QWizard):
    """On accept, `workspace` is the new workspace, open and logged in."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.workspace: Workspace | None = None
        self.setWindowTitle("Permanence — premier démarrage")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self.setButtonText(QWizard.WizardButton.NextButton, "&Suivant >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< &Précédent")
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Créer l'espace de travail")
        self.setButtonText(QWizard.WizardButton.CancelButton, "&Quitter")
        self.welcome = WelcomePage(folder)
        self.account = AccountPage()
        self.content = ContentPage()
        for page in (self.welcome, self.account, self.content):
            self.addPage(page)
        self.resize(620, 460)
        self._creating = False

    def accept(self) -> None:
        if self._creating:
            return
        self._creating = True
        for which in (
            QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.CancelButton,
        ):
            self.button(which).setEnabled(False)
        self.content.progress.setVisible(True)
        self.content.status.setText("Création de l'espace chiffré…")
        folder = self.folder
        username = self.account.username.text()
        password = self.account.password.text()
        display_name = self.account.display_name.text()
        with_demo = self.content.demo.isChecked()
        name = self.content.workspace_name.text().strip() or "Ma permanence"

        def create() -> Workspace:
            from permanence.core.workspace import Workspace

            workspace = Workspace.create_encrypted(
                folder, username, password, display_name=display_name, exclusive=True
            )
            try:
                if with_demo:
                    from permanence.core.demo import load_demo, read_demo
                    from permanence.core.resources import resource_path

                    load_demo(workspace, read_demo(resource_path("demo")), today=date.today())
                workspace.set_setting("workspace.name", name)
                workspace.set_setting("workspace.secretary", display_name.strip())
                from permanence.ui.app import warm_first_screen

                warm_first_screen(workspace)  # the caller indexes: the window's prewarm
            except BaseException:
                workspace.close()
                raise
            return workspace

        run_in_background(create, on_done=self._created, on_error=self._failed)

    def _created(self, workspace: Workspace) -> None:
        self.workspace = workspace
        super().accept()

    def _failed(self, exc: Exception) -> None:
        self._creating = False
        self.content.progress.setVisible(False)
        message = exc.message if isinstance(exc, PermanenceError) else f"Erreur : {exc}"
        self.content.status.setText(f"L'espace n'a pas été créé : {message}")
        for which in (
            QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.CancelButton,
        ):
            self.button(which).setEnabled(True)
