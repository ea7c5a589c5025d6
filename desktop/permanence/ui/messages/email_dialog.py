"""Sending a practitioner's day by e-mail through the practice's SMTP server.

The settings are kept per practice; the password (if the server wants one) is typed
each time and never stored. Sending runs in the background: a slow or unreachable
server never freezes the window.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from permanence.core.errors import PermanenceError
from permanence.core.messages.smtp import (
    SmtpSettings,
    load_smtp_settings,
    parse_recipients,
    save_smtp_settings,
)
from permanence.ui.tasks import run_in_background

if TYPE_CHECKING:
    from permanence.core.practices import PractitionerInfo
    from permanence.core.workspace import Workspace


class EmailDigestDialog(QDialog):
    def __init__(
        self,
        workspace: Workspace,
        practitioner: PractitionerInfo,
        day: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ws, self._practitioner, self._day = workspace, practitioner, day
        self.setWindowTitle(f"Envoyer les messages par e-mail — {practitioner.display_name}")
        saved = load_smtp_settings(workspace, practitioner.practice_id)
        self.host = QLineEdit(saved.host if saved else "")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(saved.port if saved else 587)
        self.starttls = QCheckBox("Chiffrer la connexion (STARTTLS)")
        self.starttls.setChecked(saved.starttls if saved else True)
        self.username = QLineEdit(saved.username if saved else "")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self._secret_name = f"smtp:{practitioner.practice_id}"
        stored = workspace.secrets.get(self._secret_name)
        self.password.setPlaceholderText("enregistré" if stored else "non enregistré")
        self.remember = QCheckBox(f"Mémoriser le mot de passe ({workspace.secrets.where})")
        self.remember.setChecked(bool(stored))
        self.remember.setAccessibleName("Mémoriser le mot de passe SMTP")
        self.sender_edit = QLineEdit(saved.sender if saved else "")
        self.recipients = QLineEdit("; ".join(saved.recipients) if saved else "")
        self.privacy = QComboBox()
        self.privacy.addItem("Résumé seulement : « N messages, dont X urgents »", "summary")
        self.privacy.addItem("Texte complet des messages (et le PDF)", "full")
        for widget, name in (
            (self.host, "Serveur SMTP"),
            (self.port, "Port SMTP"),
            (self.username, "Identifiant SMTP"),
            (self.password, "Mot de passe SMTP"),
            (self.sender_edit, "Adresse de l'expéditeur"),
            (self.recipients, "Destinataires"),
            (self.privacy, "Contenu de l'e-mail"),
        ):
            widget.setAccessibleName(name)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("emailStatus")
        form = QFormLayout()
        form.addRow("&Serveur :", self.host)
        form.addRow("&Port :", self.port)
        form.addRow(self.starttls)
        form.addRow("&Identifiant :", self.username)
        form.addRow("&Mot de passe :", self.password)
        form.addRow(self.remember)
        form.addRow("&Expéditeur :", self.sender_edit)
        form.addRow("&Destinataires :", self.recipients)
        form.addRow("&Contenu :", self.privacy)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Envoyer")
        self.buttons.accepted.connect(self.send)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(f"Messages du {day:%d/%m/%Y} pour <b>{practitioner.display_name}</b>.")
        )
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def settings(self) -> SmtpSettings:
        return SmtpSettings(
            host=self.host.text().strip(),
            port=self.port.value(),
            sender=self.sender_edit.text().strip(),
            recipients=parse_recipients(self.recipients.text()),
            starttls=self.starttls.isChecked(),
            username=self.username.text().strip(),
        )

    def send(self) -> bool:
        """Save the settings and send in the background; False when the form is wrong."""
        settings = self.settings()
        try:
            save_smtp_settings(self._ws, self._practitioner.practice_id, settings)
        except PermanenceError as exc:
            self._say(exc.message, error=True)
            return False
        privacy = str(self.privacy.currentData())
        password = self.password.text() or None
        try:
            if password and self.remember.isChecked():
                self._ws.secrets.set(self._secret_name, password)
            elif not self.remember.isChecked():
                self._ws.secrets.delete(self._secret_name)
            if password is None and self.remember.isChecked():
                password = self._ws.secrets.get(self._secret_name)
        except PermanenceError as exc:
            self._say(exc.message, error=True)
            return False
        workspace, practitioner_id, day = self._ws, self._practitioner.id, self._day
        self.buttons.setEnabled(False)
        self._say("Envoi en cours…")

        def job() -> str:
            from permanence.core.messages import build_digest, send_digest_email

            digest = build_digest(workspace, practitioner_id, day=day, privacy=privacy)  # type: ignore[arg-type]
            send_digest_email(
                digest,
                host=settings.host,
                port=settings.port,
                sender=settings.sender,
                recipients=list(settings.recipients),
                privacy=privacy,  # type: ignore[arg-type]
                starttls=settings.starttls,
                username=settings.username or None,
                password=password,
                timeout=20,
            )
            return digest.counts

        run_in_background(job, on_done=self._on_sent, on_error=self._on_failed)
        return True

    def _on_sent(self, counts: object) -> None:
        self.buttons.setEnabled(True)
        self._say(f"E-mail envoyé ({counts}).")

    def _on_failed(self, exc: Exception) -> None:
        self.buttons.setEnabled(True)
        message = exc.message if isinstance(exc, PermanenceError) else str(exc)
        self._say(f"Envoi impossible : {message}", error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet("color: #b3261e;" if error else "")
        self.status.setText(text)
