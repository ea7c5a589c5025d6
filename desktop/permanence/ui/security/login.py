"""The login dialog of an encrypted workspace.

The password check (Argon2id, a quarter of a second on purpose) runs on a worker thread so
the dialog stays responsive; repeated failures show the wait imposed by LoginGuard.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from permanence.core.errors import PermanenceError
from permanence.ui.tasks import run_in_background

if TYPE_CHECKING:
    from permanence.core.workspace import Workspace

LAST_USER_KEY = "login/last_user"


class LoginDialog(QDialog):
    """Ask for user name and password; `workspace` holds the opened workspace on accept."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.workspace: Workspace | None = None
        self.read_only = False
        self.setWindowTitle("Permanence — identification")
        self.setModal(True)
        intro = QLabel(
            "<b>Cet espace de travail est chiffré.</b><br>"
            "Identifiez-vous pour ouvrir les cabinets, les messages et l'agenda."
        )
        intro.setWordWrap(True)
        self.username = QLineEdit()
        self.username.setAccessibleName("Identifiant")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Mot de passe")
        form = QFormLayout()
        form.addRow("&Identifiant", self.username)
        form.addRow("&Mot de passe", self.password)
        self.error = QLabel()
        self.error.setObjectName("loginError")
        self.error.setStyleSheet("#loginError { color: #b3261e; }")
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Message d'erreur")
        self.where = QLabel(f"Espace de travail : {folder}")
        self.where.setStyleSheet("color: palette(mid);")
        self.where.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Ouvrir")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Quitter")
        self.buttons.accepted.connect(self.try_login)
        self.buttons.rejected.connect(self.reject)
        self.password.returnPressed.connect(self.try_login)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.where)
        layout.addWidget(self.buttons)
        self.resize(440, self.sizeHint().height())
        last = str(QSettings().value(LAST_USER_KEY, "") or "")
        self.username.setText(last)
        (self.password if last else self.username).setFocus(Qt.FocusReason.OtherFocusReason)
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self._busy = False

    def try_login(self) -> None:
        if self._busy:
            return
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self.error.setText("Indiquez votre identifiant et votre mot de passe.")
            return
        self._set_busy(True)
        self.error.setText("Vérification…")
        from permanence.core.workspace import Workspace

        folder, read_only = self.folder, self.read_only

        def unlock() -> Workspace:
            from permanence.ui.app import warm_first_screen

            workspace = Workspace.unlock(
                folder, username, password, exclusive=not read_only, read_only=read_only
            )
            # The caller indexes are built by the main window's prewarm, once it shows.
            warm_first_screen(workspace)
            return workspace

        run_in_background(unlock, on_done=self._opened, on_error=self._failed)

    def _opened(self, workspace: Workspace) -> None:
        self._set_busy(False)
        self.workspace = workspace
        QSettings().setValue(LAST_USER_KEY, workspace.user.username)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        from permanence.core.security.accounts import TooManyAttemptsError
        from permanence.core.security.workspace_lock import WorkspaceBusyError

        self._set_busy(False)
        self.password.clear()
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(exc, WorkspaceBusyError) and not self.read_only:
            answer = QMessageBox.question(
                self,
                "Espace de travail déjà ouvert",
                f"{exc.message}\n\nL'ouvrir en lecture seule (consultation, sans rien modifier) ?",
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.read_only = True
                self.error.setText("Retapez le mot de passe pour ouvrir en lecture seule.")
            else:
                self.error.setText(exc.message)
            return
        if isinstance(exc, TooManyAttemptsError):
            self._wait_until(exc.wait_seconds)
            return
        message = exc.message if isinstance(exc, PermanenceError) else f"Erreur : {exc}"
        self.error.setText(message)
        self._show_pending_wait()

    def _show_pending_wait(self) -> None:
        from permanence.core.security.accounts import LoginGuard

        wait = LoginGuard(self.folder).wait_needed()
        if wait > 0:
            self._wait_until(wait, prefix=self.error.text() + " ")

    def _wait_until(self, seconds: float, prefix: str = "") -> None:
        self._remaining = max(1, round(seconds))
        self._prefix = prefix
        self.ok.setEnabled(False)
        self._tick(first=True)
        self._countdown.start()

    def _tick(self, first: bool = False) -> None:
        if not first:
            self._remaining -= 1
        if self._remaining <= 0:
            self._countdown.stop()
            self.ok.setEnabled(True)
            self.error.setText(self._prefix + "Vous pouvez réessayer.")
            return
        self.error.setText(
            f"{self._prefix}Trop d'essais : nouvel essai possible dans {self._remaining} s."
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.ok.setEnabled(not busy)
        self.username.setEnabled(not busy)
        self.password.setEnabled(not busy)
