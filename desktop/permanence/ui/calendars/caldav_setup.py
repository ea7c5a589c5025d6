"""Setting up a CalDAV calendar: server address, user name, password, a connection test
that lists the account's calendars, the calendar to use, the practitioner it belongs to and
what it may receive about patients (complet / initiales / minimal).

« Tester la connexion » runs on a worker (`run_in_background`): a busy bar shows, the
window stays usable and the result is one clear French sentence (wrong password, not a
calendar, unreachable, certificate problem…). The password goes to the secret store, never
to a plain file or the database in clear.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from permanence.core.calendars.caldav_items import PRIVACY_HELP, PRIVACY_LABELS
from permanence.core.calendars.caldav_sync import CalDavError
from permanence.core.calendars.sources import CalendarSourceInfo
from permanence.core.errors import PermanenceError
from permanence.ui.calendars.passwords import passwords_for
from permanence.ui.tasks import run_in_background

if TYPE_CHECKING:
    from permanence.core.practices.values import PractitionerInfo
    from permanence.core.workspace import Workspace

ERROR_STYLE = "color: #b3261e; font-weight: 600;"
OK_STYLE = "color: #1b5e20;"
NEUTRAL_STYLE = "color: palette(text);"
PRIVACY_ORDER = ("minimal", "initials", "full")


def password_place(where: str) -> str:
    """Where the password will be kept, as one French sentence."""
    if where.startswith("nulle part"):
        return (
            "Aucun endroit sûr pour garder le mot de passe (pas de trousseau système, espace "
            "de travail non chiffré) : il restera en mémoire jusqu'à la fermeture."
        )
    return f"Le mot de passe sera gardé {where}, jamais dans un fichier en clair."


class CalDavSetupDialog(QDialog):
    """Add a CalDAV calendar to a practitioner; `added` carries the new source."""

    added = Signal(object)
    #: The end of a connection test: (ok, French message).
    tested = Signal(bool, str)

    def __init__(
        self,
        workspace: Workspace,
        practitioner: PractitionerInfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.testing = False
        self.source: CalendarSourceInfo | None = None
        self.save_message = ""
        self.setWindowTitle("Ajouter un agenda CalDAV")

        intro = QLabel(
            "Agenda en ligne du praticien (Nextcloud, iCloud, Fastmail, Radicale…). "
            "Ses rendez-vous comptent comme temps occupé ; les rendez-vous pris ici et les "
            "rappels y sont envoyés."
        )
        intro.setWordWrap(True)

        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("https://cloud.exemple.fr/remote.php/dav")
        self.url_edit.setAccessibleName("Adresse du serveur CalDAV")
        self.user_edit = QLineEdit()
        self.user_edit.setAccessibleName("Identifiant")
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setAccessibleName("Mot de passe")
        self.test_button = QPushButton("&Tester la connexion")
        self.test_button.setAutoDefault(False)
        self.test_button.clicked.connect(self.test_connection)
        for edit in (self.url_edit, self.user_edit, self.password_edit):
            edit.returnPressed.connect(self.test_connection)
            edit.textChanged.connect(self._credentials_changed)

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(12)
        self.progress.setAccessibleName("Test de connexion en cours")
        self.progress.hide()
        self.result_label = QLabel(
            "Saisissez l'adresse, l'identifiant et le mot de passe, puis testez."
        )
        self.result_label.setWordWrap(True)
        self.result_label.setAccessibleName("Résultat du test de connexion")
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.calendar_combo = QComboBox()
        self.calendar_combo.setAccessibleName("Agenda à utiliser")
        self.calendar_combo.setPlaceholderText("Testez d'abord la connexion")
        self.calendar_combo.setEnabled(False)
        self.calendar_combo.currentIndexChanged.connect(self._update_buttons)

        self.practitioner_combo = QComboBox()
        self.practitioner_combo.setAccessibleName("Praticien de cet agenda")
        for practice in workspace.practices.list():
            for person in practice.practitioners:
                self.practitioner_combo.addItem(
                    f"{person.display_name} — {practice.name}", person.id
                )
        if practitioner is not None:
            found = self.practitioner_combo.findData(practitioner.id)
            self.practitioner_combo.setCurrentIndex(max(found, 0))

        self.privacy_combo = QComboBox()
        self.privacy_combo.setAccessibleName("Confidentialité de ce qui est envoyé")
        for level in PRIVACY_ORDER:
            self.privacy_combo.addItem(
                f"{PRIVACY_LABELS[level].capitalize()} — {PRIVACY_HELP[level]}", level
            )
        self.privacy_combo.setCurrentIndex(PRIVACY_ORDER.index("initials"))
        self.callbacks_as_event = QCheckBox(
            "Rappels en &événements (pour les agendas qui n'affichent pas les tâches)"
        )
        self.callbacks_as_event.setAccessibleName("Rappels envoyés comme événements")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self._label("&Adresse du serveur :", self.url_edit), self.url_edit)
        form.addRow(self._label("&Identifiant :", self.user_edit), self.user_edit)
        password_row = QHBoxLayout()
        password_row.addWidget(self.password_edit, 1)
        password_row.addWidget(self.test_button)
        form.addRow(self._label("&Mot de passe :", self.password_edit), password_row)
        form.addRow(self.progress)
        form.addRow(self.result_label)
        form.addRow(self._label("A&genda :", self.calendar_combo), self.calendar_combo)
        form.addRow(self._label("&Praticien :", self.practitioner_combo), self.practitioner_combo)
        form.addRow(self._label("&Confidentialité :", self.privacy_combo), self.privacy_combo)
        form.addRow(self.callbacks_as_event)
        where = QLabel(password_place(workspace.secrets.where))
        where.setWordWrap(True)
        where.setStyleSheet("color: palette(placeholder-text);")
        form.addRow(where)

        self.save_button = QPushButton("&Enregistrer")
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton("Annuler")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.resize(640, 360)
        self.setMinimumWidth(520)
        self.url_edit.setFocus()
        self._update_buttons()

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    # -- testing ---------------------------------------------------------------------------
    def test_connection(self) -> None:
        """Discover the account's calendars on a worker; the result comes back by signal."""
        if self.testing:
            return
        url = self.url_edit.text().strip()
        if not url:
            self._say("Indiquez l'adresse du serveur CalDAV.", error=True)
            self.url_edit.setFocus()
            return
        user, password = self.user_edit.text().strip(), self.password_edit.text()
        self.testing = True
        self._say(f"Connexion à « {url} »…")
        self._update_buttons()
        caldav = self._ws.caldav
        run_in_background(
            lambda: caldav.discover(url, user, password),
            on_done=self._on_discovered,
            on_error=self._on_test_failed,
        )

    def _on_discovered(self, found: object) -> None:
        if not shiboken6.isValid(self):
            return
        self.testing = False
        calendars = list(found) if isinstance(found, list) else []
        self.calendar_combo.clear()
        for name, address in calendars:
            self.calendar_combo.addItem(name, address)
        self.calendar_combo.setEnabled(bool(calendars))
        if calendars:
            self.calendar_combo.setCurrentIndex(0)
            count = len(calendars)
            message = (
                f"Connexion réussie : {count} agenda(s) trouvé(s). "
                "Choisissez celui du praticien ci-dessous."
            )
            self._say(message, done=True)
            self.tested.emit(True, message)
            self.calendar_combo.setFocus()
        else:
            message = (
                "Connexion réussie, mais ce compte n'a aucun agenda : créez-en un sur le "
                "serveur, puis testez de nouveau."
            )
            self._say(message, error=True)
            self.tested.emit(False, message)
        self._update_buttons()

    def _on_test_failed(self, error: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self.testing = False
        if isinstance(error, CalDavError):
            message = str(error)
        elif isinstance(error, PermanenceError):
            message = error.message
        else:
            message = f"Test impossible : {error}"
        self.calendar_combo.clear()
        self.calendar_combo.setEnabled(False)
        self._say(message, error=True)
        self.tested.emit(False, message)
        self._update_buttons()

    def _credentials_changed(self) -> None:
        """Other credentials: the calendars listed no longer apply."""
        if self.calendar_combo.count() and not self.testing:
            self.calendar_combo.clear()
            self.calendar_combo.setEnabled(False)
            self._say("Identifiants modifiés : testez de nouveau la connexion.")
        self._update_buttons()

    # -- saving ----------------------------------------------------------------------------
    def save(self) -> CalendarSourceInfo | None:
        address = self.calendar_combo.currentData()
        practitioner_id = self.practitioner_combo.currentData()
        if not address:
            self._say("Testez la connexion puis choisissez un agenda.", error=True)
            return None
        if practitioner_id is None:
            self._say("Choisissez le praticien de cet agenda.", error=True)
            return None
        try:
            source = self._ws.caldav.add_source(
                int(practitioner_id),
                str(address),
                self.user_edit.text(),
                label=self.calendar_combo.currentText(),
                privacy=str(self.privacy_combo.currentData()),
            )
        except PermanenceError as error:
            self._say(error.message, error=True)
            return None
        if self.callbacks_as_event.isChecked():
            self._ws.caldav.set_callbacks_as(source.id, "event")
        self.save_message = passwords_for(self._ws).save(source.id, self.password_edit.text())
        self.password_edit.clear()
        self.source = source
        self.added.emit(source)
        self.accept()
        return source

    # -- state -----------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        self.progress.setVisible(self.testing)
        self.test_button.setEnabled(not self.testing)
        self.save_button.setEnabled(not self.testing and bool(self.calendar_combo.currentData()))

    def _say(self, text: str, *, error: bool = False, done: bool = False) -> None:
        self.result_label.setStyleSheet(
            ERROR_STYLE if error else (OK_STYLE if done else NEUTRAL_STYLE)
        )
        self.result_label.setText(text)
