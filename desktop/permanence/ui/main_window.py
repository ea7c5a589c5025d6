"""The main window: assembles the feature widgets and their actions, nothing more.

It can be shown before the workspace is open (start-up opens it on a worker thread, so
the window is there at once); `attach_workspace` then fills it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QWidget,
)

import permanence
from permanence.core.errors import PermanenceError
from permanence.core.practices import PracticeInfo, PractitionerInfo
from permanence.ui.actions import make_action, shortcut_text
from permanence.ui.consignes import ConsignesPanel
from permanence.ui.navigator import NavigatorWidget
from permanence.ui.trace import report

if TYPE_CHECKING:
    from PySide6.QtWidgets import QSystemTrayIcon

    from permanence.core.calls.values import CallInfo
    from permanence.core.workspace import Workspace
    from permanence.ui.agenda import AgendaView
    from permanence.ui.call.card import CallCard
    from permanence.ui.calllog import CallLogView
    from permanence.ui.consignes import ConsignesEditor
    from permanence.ui.followups import FollowUpsView
    from permanence.ui.messages import PractitionerMessagesView
    from permanence.ui.security.lock import LockController


class MainWindow(QMainWindow):
    def __init__(self, workspace: Workspace | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._workspace: Workspace | None = None
        self._practices: dict[int, PracticeInfo] = {}
        self.navigator = NavigatorWidget()
        self.consignes = ConsignesPanel()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.navigator)
        splitter.addWidget(self.consignes)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([280, 1000])
        splitter.setChildrenCollapsible(False)
        self.home = splitter
        self.stack = QStackedWidget()
        self.stack.addWidget(self.home)
        # The outer stack holds the content and, when locked, the lock screen instead.
        self.outer = QStackedWidget()
        self.outer.addWidget(self.stack)
        self.setCentralWidget(self.outer)
        self.lock_controller: LockController | None = None
        self._maintenance: QTimer | None = None
        self._maintenance_running = False
        self.call_card: CallCard | None = None
        self.call_log: CallLogView | None = None
        self.followups: FollowUpsView | None = None
        self.messages: PractitionerMessagesView | None = None
        self.agenda: AgendaView | None = None
        self.tray: QSystemTrayIcon | None = None
        self._overdue_notified = 0
        self.overdue_label = QLabel()
        self.overdue_label.setObjectName("overdueLabel")
        self.overdue_label.setStyleSheet("#overdueLabel { color: #b3261e; font-weight: 600; }")
        self._pending_calls: list[dict[str, str]] = []
        self.setWindowTitle("Permanence")
        self.resize(1280, 720)
        self.workspace_label = QLabel("Ouverture de l'espace de travail…")
        self.workspace_label.setAccessibleName("Espace de travail utilisé")
        # Busy until the workspace (opened on a worker thread at start-up) is attached.
        self.opening = QProgressBar()
        self.opening.setRange(0, 0)  # busy mode
        self.opening.setTextVisible(False)
        self.opening.setMaximumSize(120, 14)
        self.opening.setAccessibleName("Ouverture de l'espace de travail en cours")
        self.statusBar().addPermanentWidget(self.opening)
        self.statusBar().addPermanentWidget(self.workspace_label, 1)
        self.statusBar().addPermanentWidget(self.overdue_label)
        self._build_actions()
        self.navigator.selected.connect(self._on_selected)
        if workspace is not None:
            self.attach_workspace(workspace)

    # -- public --------------------------------------------------------------------------
    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            raise RuntimeError("workspace not attached yet")
        return self._workspace

    def attach_workspace(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self.opening.hide()
        self.setWindowTitle(f"Permanence — {workspace.name}")
        self.workspace_label.setText(self._status_text(workspace))
        self._restrict_actions(workspace)
        if workspace.encrypted:
            from permanence.ui.security.lock import LockController

            self.lock_controller = LockController(
                self, workspace, on_lock=self._before_lock, set_locked_ui=self._set_locked_ui
            )
            self.outer.addWidget(self.lock_controller.screen)
        self.reload()
        from permanence.ui.followups import FollowUpsView

        self.followups = FollowUpsView(workspace)
        self.followups.overdue_changed.connect(self._on_overdue_changed)
        self.stack.addWidget(self.followups)
        # The rest (caller indexes, messages, calendars, triage catalog) loads in the
        # background once the window has painted the practices (started at the event
        # loop's next turn, so the worker's imports do not slow that first paint); the
        # callbacks count follows when it is ready.
        QTimer.singleShot(0, self, self._start_prewarm)
        self._recover_draft()
        for pending in self._pending_calls:
            self.new_call(to_number=pending["to"], from_number=pending["from"])
        self._pending_calls.clear()

    # -- session: who is logged in, what the role allows, locking ------------------------
    @staticmethod
    def _status_text(workspace: Workspace) -> str:
        from permanence.core.security.accounts import ROLE_LABELS

        text = f"Espace de travail : {workspace.location.label}"
        if workspace.location.is_demo:
            text += "  ·  Démo : données fictives, non chiffrées"
        elif workspace.encrypted:
            role = ROLE_LABELS.get(workspace.user.role, workspace.user.role)
            text += f"  ·  Chiffré  ·  {workspace.user.label} ({role.lower()})"
        else:
            text += "  ·  Non chiffré"
        if workspace.read_only:
            text += "  ·  LECTURE SEULE"
        return text

    def _restrict_actions(self, workspace: Workspace) -> None:
        """Enable what the role and the mode (read-only) allow."""
        for action in self.actions_list:
            action.setEnabled(True)
        forbidden: set[QAction] = set()
        if workspace.read_only:
            forbidden |= {
                self.action_new_call,
                self.action_edit,
                self.action_agenda_settings,
                self.action_calendars,
                self.action_billing,
            }
        if workspace.user.is_practitioner:
            # A practitioner reads his or her own messages, callbacks, agenda and consignes.
            forbidden |= {
                self.action_new_call,
                self.action_call_log,
                self.action_billing,
                self.action_agenda_settings,
                self.action_calendars,
            }
        if not workspace.encrypted:
            forbidden |= {self.action_lock}
        for action in forbidden:
            action.setEnabled(False)

    def lock_now(self) -> None:
        if self.lock_controller is not None:
            self.lock_controller.lock()

    def _before_lock(self) -> None:
        if self.call_card is not None and self.call_card.call_id is not None:
            self.call_card.save_draft()

    def _set_locked_ui(self, locked: bool) -> None:
        assert self.lock_controller is not None
        self.menuBar().setVisible(not locked)
        self.statusBar().setVisible(not locked)
        if locked:
            for action in self.actions():
                action.setEnabled(action is self.action_quit)
            self.outer.setCurrentWidget(self.lock_controller.screen)
        else:
            self._restrict_actions(self.workspace)
            self.outer.setCurrentWidget(self.stack)
            pending, self._pending_calls = self._pending_calls, []
            for call in pending:
                self.new_call(to_number=call["to"], from_number=call["from"])

    def show_accounts(self) -> None:
        """Accounts (administrator) or one's own password (everyone)."""
        if self._workspace is None:
            return
        if not self.workspace.encrypted:
            QMessageBox.information(
                self,
                "Comptes",
                "Les comptes et mots de passe n'existent que dans un espace de travail chiffré "
                "(la démonstration ne l'est pas).",
            )
            return
        from permanence.ui.security.accounts_dialog import AccountsDialog

        dialog = AccountsDialog(self.workspace, parent=self)
        dialog.exec()
        if self.lock_controller is not None:
            self.lock_controller.apply_settings()

    def reload(self) -> None:
        if self._workspace is None:
            return
        practices = self.workspace.practices.list()
        self._practices = {p.id: p for p in practices}
        current = self.navigator.current()
        self.navigator.set_practices(practices)
        if current:
            self.navigator.select(*current)

    def _ensure_call_card(self) -> CallCard:
        """The call card is built at the first call (it is not needed to start up)."""
        if self.call_card is None:
            from permanence.ui.call.card import CallCard

            self.call_card = CallCard(self.workspace)
            self.call_card.closed.connect(self._on_call_closed)
            self.stack.addWidget(self.call_card)
        return self.call_card

    def new_call(self, *, to_number: str = "", from_number: str = "") -> bool:
        """Pick up: open the call card (the screen pop calls this with both numbers)."""
        locked = self.lock_controller is not None and self.lock_controller.locked
        if self._workspace is None or locked:
            # Before the workspace opens, or while locked: the call waits for her (the lock
            # screen says a call is waiting, without any number or name).
            self._pending_calls.append({"to": to_number, "from": from_number})
            if locked:
                assert self.lock_controller is not None
                self.lock_controller.screen.error.setText(
                    "Un appel entrant attend : déverrouillez pour répondre."
                )
            return False
        if not self.action_new_call.isEnabled():
            self.statusBar().showMessage(
                "Ce compte ne prend pas d'appels (compte praticien ou lecture seule).", 8000
            )
            return False
        self._ensure_call_card()
        assert self.call_card is not None
        if self.call_card.call_id is not None:
            self.show_current_call()
            self.statusBar().showMessage(
                "Un appel est déjà en cours : closez-le d'abord (Ctrl+Entrée).", 8000
            )
            return False
        self.call_card.start(to_number=to_number, from_number=from_number)
        self.stack.setCurrentWidget(self.call_card)
        report("call_shown")
        return True

    def show_home(self) -> None:
        self.stack.setCurrentWidget(self.home)
        self.navigator.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_call_log(self) -> None:
        if self._workspace is None:
            return
        if self.call_log is None:
            from permanence.ui.calllog import CallLogView

            self.call_log = CallLogView(self.workspace)
            self.stack.addWidget(self.call_log)
        self.call_log.refresh()
        self.stack.setCurrentWidget(self.call_log)
        self.call_log.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_followups(self) -> None:
        if self.followups is None:
            return
        self.followups.refresh()
        self.stack.setCurrentWidget(self.followups)
        self.followups.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_messages(self) -> None:
        """The practitioner's evening: the day's messages, urgent first."""
        if self._workspace is None:
            return
        if self.messages is None:
            from permanence.ui.messages import PractitionerMessagesView

            self.messages = PractitionerMessagesView(self.workspace)
            self.stack.addWidget(self.messages)
        selection = self.current_selection()
        if selection is not None and selection[1] is not None:
            self.messages.show_practitioner(selection[1].id)
        else:
            self.messages.refresh()
        self.stack.setCurrentWidget(self.messages)

    def show_agenda(self) -> None:
        """Day and week view of the selected practitioner (or the practice's)."""
        if self._workspace is None:
            return
        if self.agenda is None:
            from permanence.ui.agenda import AgendaView

            self.agenda = AgendaView(self.workspace)
            self.stack.addWidget(self.agenda)
        selection = self.current_selection()
        if selection is not None:
            practice, doctor = selection
            ids = [doctor.id] if doctor else [d.id for d in practice.practitioners]
            self.agenda.show_practitioners(ids)
        self.agenda.refresh()
        self.stack.setCurrentWidget(self.agenda)
        self.agenda.grid.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _selected_practitioner(self, what: str) -> PractitionerInfo | None:
        """The practitioner chosen in the navigator, or a status message saying to pick one."""
        selection = self.current_selection()
        if selection is None or self._workspace is None:
            return None
        if selection[1] is None:
            self.statusBar().showMessage(
                f"Choisissez un praticien (pas le cabinet) pour {what}.", 8000
            )
        return selection[1]

    def _refresh_agenda(self) -> None:
        if self.agenda is not None:
            self.agenda.refresh()

    def edit_agenda_settings(self) -> None:
        """Working hours, motifs, absences and exceptions of the selected practitioner."""
        practitioner = self._selected_practitioner("régler son agenda")
        if practitioner is None:
            return
        from permanence.ui.agenda.settings_dialog import AgendaSettingsDialog

        dialog = AgendaSettingsDialog(self.workspace, practitioner, parent=self)
        dialog.saved.connect(lambda _settings: self._refresh_agenda())
        dialog.open()

    def edit_calendar_sources(self) -> None:
        """The practitioner's own calendars (.ics files, subscriptions) imported as busy time."""
        practitioner = self._selected_practitioner("ses agendas externes")
        if practitioner is None:
            return
        from permanence.ui.calendars import CalendarSourcesDialog

        dialog = CalendarSourcesDialog(self.workspace, practitioner, parent=self)
        dialog.synced.connect(lambda _report: self._refresh_agenda())
        dialog.open()

    def edit_billing_rules(self) -> None:
        selection = self.current_selection()
        if selection is None or self._workspace is None:
            return
        from permanence.ui.billing import BillingRulesDialog

        dialog = BillingRulesDialog(self.workspace, selection[0], parent=self)
        dialog.open()

    def show_current_call(self) -> None:
        if self.call_card is not None and self.call_card.call_id is not None:
            self.stack.setCurrentWidget(self.call_card)

    def on_instance_message(self, message: object) -> None:
        """A later `permanence call` handed us a call: come to the front with it."""
        if not isinstance(message, dict) or message.get("action") != "call":
            return
        self.showNormal()
        self.raise_()
        self.activateWindow()
        self.new_call(
            to_number=str(message.get("to", "")), from_number=str(message.get("from", ""))
        )

    def current_selection(self) -> tuple[PracticeInfo, PractitionerInfo | None] | None:
        chosen = self.navigator.current()
        if chosen is None or chosen[0] not in self._practices:
            return None
        practice = self._practices[chosen[0]]
        return practice, practice.practitioner(chosen[1]) if chosen[1] is not None else None

    def edit_consignes(self, section: str = "accueil") -> ConsignesEditor | None:
        selection = self.current_selection()
        if selection is None or self._workspace is None:
            return None
        from permanence.ui.consignes import ConsignesEditor

        editor = ConsignesEditor(
            self.workspace,
            *selection,
            section=section,
            author=self.workspace.secretary,
            parent=self,
        )
        editor.finished.connect(lambda _result: self._show_current())
        editor.open()
        return editor

    # -- slots ---------------------------------------------------------------------------
    def _on_call_closed(self, call: CallInfo) -> None:
        self.stack.setCurrentWidget(self.home)
        if self.followups is not None:
            self.followups.refresh()
        billed = "facturé" if call.billable else "non facturé"
        self.statusBar().showMessage(
            f"Appel clos : {call.outcome_label} — {call.billing_reason or billed}.", 10000
        )

    def _start_prewarm(self) -> None:
        from permanence.ui.tasks import run_in_background

        run_in_background(
            self.workspace.prewarm,
            on_done=lambda _none: self._on_prewarmed(),
            on_error=lambda _exc: self._on_prewarmed(),
        )

    def _on_prewarmed(self) -> None:
        # The window may have been closed while the worker ran.
        if shiboken6.isValid(self) and self.followups is not None:
            self.followups.refresh()
        if shiboken6.isValid(self) and not hasattr(self, "calendar_refresher"):
            # Calendar sources: refreshed now, then every 15 minutes (Ctrl+Maj+I: at once).
            from permanence.ui.calendars.scheduler import install_calendar_refresh

            self.calendar_refresher = install_calendar_refresh(self, self.workspace)
        if shiboken6.isValid(self) and self._maintenance is None:
            self._start_maintenance()

    # -- upkeep: retention purge and the daily backup, off the GUI thread -----------------
    def _start_maintenance(self) -> None:
        self._maintenance = QTimer(self)
        self._maintenance.setInterval(3600 * 1000)  # is a daily backup due? checked hourly
        self._maintenance.timeout.connect(self._run_maintenance)
        self._maintenance.start()
        self._run_maintenance()

    def _run_maintenance(self) -> None:
        workspace = self._workspace
        if workspace is None or workspace.read_only or workspace.location.is_demo:
            return
        if self._maintenance_running:
            return  # the previous round is still at work
        self._maintenance_running = True
        from permanence.ui.tasks import run_in_background

        def upkeep() -> str:
            from permanence.core.security.retention import purge_at_startup

            done = []
            report = purge_at_startup(workspace)
            if report is not None and report.total:
                done.append(report.summary)
            backup = workspace.backups.run_due()
            if backup is not None:
                done.append(f"Sauvegarde du jour faite : {backup.path.name}")
            return " · ".join(done)

        run_in_background(upkeep, on_done=self._maintenance_done, on_error=self._maintenance_failed)

    def _maintenance_done(self, text: object) -> None:
        self._maintenance_running = False
        if shiboken6.isValid(self) and text:
            self.statusBar().showMessage(str(text), 10_000)

    def _maintenance_failed(self, exc: Exception) -> None:
        self._maintenance_running = False
        if not shiboken6.isValid(self):
            return
        message = exc.message if isinstance(exc, PermanenceError) else str(exc)
        # Never silent: a backup that fails must be seen the same day.
        QMessageBox.warning(self, "Sauvegarde ou purge impossible", message)

    def _on_overdue_changed(self, count: int) -> None:
        self.overdue_label.setText(f"{count} rappel(s) en retard" if count else "")
        if count > self._overdue_notified:
            self._notify(
                "Rappels en retard",
                f"{count} rappel(s) promis sont en retard (Ctrl+R pour les voir).",
            )
        self._overdue_notified = count

    def _notify(self, title: str, text: str) -> None:
        """A tray notification when the system has a tray, else the status bar."""
        from PySide6.QtWidgets import QSystemTrayIcon

        if QSystemTrayIcon.isSystemTrayAvailable():
            if self.tray is None:
                self.tray = QSystemTrayIcon(self.windowIcon(), self)
                self.tray.setToolTip("Permanence")
                self.tray.activated.connect(lambda _reason: self.show_followups())
                self.tray.show()
            # No patient data in the notification: the lock screen may show it.
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Warning, 10_000)
        self.statusBar().showMessage(text, 10_000)

    def _recover_draft(self) -> None:
        """After a crash or power cut, reopen the call that was in progress."""
        try:
            drafts = self.workspace.calls.drafts_to_recover()
            if not drafts:
                return
            call = self.workspace.calls.claim(drafts[0].id)
        except PermanenceError as exc:
            self.statusBar().showMessage(exc.message, 10000)
            return
        card = self._ensure_call_card()
        card.resume(call)
        self.stack.setCurrentWidget(card)

    def _on_selected(self, _practice_id: int, _practitioner_id: object) -> None:
        self._show_current()

    def _show_current(self) -> None:
        selection = self.current_selection()
        if selection is None:
            self.consignes.clear()
            return
        practice, practitioner = selection
        try:
            consignes = self.workspace.consignes.current(
                practice.id, practitioner.id if practitioner else None
            )
            absence = (
                self.workspace.agenda.absence_at(practitioner.id, datetime.now(UTC))
                if practitioner
                else None
            )
        except PermanenceError as exc:
            QMessageBox.warning(self, "Consignes indisponibles", exc.message)
            return
        self.consignes.show_consignes(practice, practitioner, consignes, absence)

    def _on_shortcuts(self) -> None:
        rows = "".join(
            f"<tr><td>{escape(a.text().replace('&', ''))}</td>"
            f"<td><b>{escape(shortcut_text(a))}</b></td></tr>"
            for a in self.actions_list
        )
        QMessageBox.information(
            self, "Raccourcis clavier", f"<table cellpadding='3'>{rows}</table>"
        )

    def _on_about(self) -> None:
        where = self._workspace.location.label if self._workspace else "—"
        QMessageBox.about(
            self,
            "À propos de Permanence",
            f"<b>Permanence</b> {permanence.__version__}<br>"
            "Permanence téléphonique pour télésecrétaire indépendante.<br>"
            f"Espace de travail : {escape(where)}",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.call_card is not None and self.call_card.call_id is not None:
            self.call_card.save_draft()  # kept as a draft; the next start reopens it
        if self._workspace is not None:
            self._workspace.close()
        super().closeEvent(event)

    # -- construction --------------------------------------------------------------------
    def _build_actions(self) -> None:
        nav = self.navigator
        self.action_search = make_action(
            self, "&Rechercher un cabinet…", ["Ctrl+K", "Ctrl+F"], nav.focus_search
        )
        self.action_next = make_action(self, "Élément &suivant", "Alt+Down", lambda: self._move(1))
        self.action_previous = make_action(
            self, "Élément &précédent", "Alt+Up", lambda: self._move(-1)
        )
        self.action_reload = make_action(self, "&Actualiser", "F5", self.reload)
        self.action_new_call = make_action(
            self, "&Nouvel appel", "F2", lambda: self.new_call(), tip="Décrocher : fiche d'appel"
        )
        self.action_home = make_action(self, "&Consignes des cabinets", "F3", self.show_home)
        self.action_call_log = make_action(self, "Ca&hier d'appels", "Ctrl+L", self.show_call_log)
        self.action_agenda = make_action(self, "A&genda des praticiens", "Ctrl+G", self.show_agenda)
        self.action_agenda_settings = make_action(
            self,
            "Réglages de l'agenda du praticien…",
            "Ctrl+Shift+G",
            self.edit_agenda_settings,
        )
        self.action_calendars = make_action(
            self, "Agendas e&xternes du praticien…", "Ctrl+I", self.edit_calendar_sources
        )
        self.action_messages = make_action(
            self, "&Messages des praticiens", "F4", self.show_messages
        )
        self.action_followups = make_action(self, "Rappels à &faire", "Ctrl+R", self.show_followups)
        self.action_billing = make_action(
            self, "Règles de &facturation du cabinet…", "Ctrl+B", self.edit_billing_rules
        )
        self.action_edit = make_action(
            self, "&Modifier les consignes…", "Ctrl+E", self.edit_consignes
        )
        self.action_quit = make_action(self, "&Quitter", "Ctrl+Q", self.close)
        self.action_lock = make_action(
            self,
            "&Verrouiller",
            "F12",
            self.lock_now,
            tip="Cacher toutes les données jusqu'au mot de passe",
        )
        self.action_accounts = make_action(
            self, "Comptes et &mots de passe…", "Ctrl+Shift+U", self.show_accounts
        )
        self.action_shortcuts = make_action(self, "&Raccourcis clavier", "F1", self._on_shortcuts)
        self.action_about = make_action(self, "À &propos de Permanence", "Shift+F1", self._on_about)
        self.actions_list: list[QAction] = [
            self.action_new_call,
            self.action_home,
            self.action_call_log,
            self.action_agenda,
            self.action_agenda_settings,
            self.action_calendars,
            self.action_messages,
            self.action_followups,
            self.action_billing,
            self.action_search,
            self.action_next,
            self.action_previous,
            self.action_reload,
            self.action_edit,
            self.action_lock,
            self.action_accounts,
            self.action_shortcuts,
            self.action_about,
            self.action_quit,
        ]
        for action in (
            self.action_reload,
            self.action_edit,
            self.action_new_call,
            self.action_call_log,
            self.action_agenda,
            self.action_agenda_settings,
            self.action_calendars,
            self.action_messages,
            self.action_followups,
            self.action_billing,
            self.action_lock,
            self.action_accounts,
        ):
            action.setEnabled(False)  # until the workspace is open
        menus = self.menuBar()
        calls_menu = menus.addMenu("&Appels")
        for action in (
            self.action_new_call,
            self.action_home,
            self.action_call_log,
            self.action_agenda,
            self.action_messages,
            self.action_followups,
        ):
            calls_menu.addAction(action)
        file_menu = menus.addMenu("&Fichier")
        file_menu.addAction(self.action_lock)
        file_menu.addAction(self.action_accounts)
        file_menu.addSeparator()
        file_menu.addAction(self.action_quit)
        practices_menu = menus.addMenu("&Cabinets")
        for action in (
            self.action_agenda_settings,
            self.action_calendars,
            self.action_billing,
            self.action_search,
            self.action_next,
            self.action_previous,
            self.action_reload,
        ):
            practices_menu.addAction(action)
        consignes_menu = menus.addMenu("C&onsignes")
        consignes_menu.addAction(self.action_edit)
        help_menu = menus.addMenu("&Aide")
        help_menu.addAction(self.action_shortcuts)
        help_menu.addAction(self.action_about)

        # ---- BEGIN audit log, retention and RGPD (issue 8, parts 4-5) -------------------------
        # Kept in this one block. The dialogs refuse the wrong role themselves; the menu
        # greys what the logged-in user may not open.
        def open_privacy(what: str) -> None:
            if self._workspace is None:
                return
            from permanence.ui.security import audit_dialog, person_dialog

            opener = {
                "audit": audit_dialog.open_audit_dialog,
                "person": person_dialog.open_person_dialog,
                "retention": audit_dialog.ask_retention_months,
            }[what]
            opener(self, self.workspace)

        self.action_audit_log = make_action(
            self, "&Journal d'audit…", "Ctrl+Shift+J", lambda: open_privacy("audit")
        )
        self.action_person_data = make_action(
            self,
            "&Données d'une personne (RGPD)…",
            "Ctrl+Shift+P",
            lambda: open_privacy("person"),
            tip="Exporter ou effacer tout ce qui concerne un appelant",
        )
        self.action_retention = make_action(
            self, "Durée de &conservation…", "Ctrl+Shift+D", lambda: open_privacy("retention")
        )
        privacy_actions = (self.action_audit_log, self.action_person_data, self.action_retention)
        self.actions_list.extend(privacy_actions)
        for action in privacy_actions:
            action.setEnabled(False)  # until the workspace is open
        # In the "Fichier" menu, after the accounts, before "Quitter".
        before = next((a for a in file_menu.actions() if a.isSeparator()), self.action_quit)
        file_menu.insertSeparator(before)
        file_menu.insertActions(before, list(privacy_actions))

        def grey_by_role() -> None:
            ws = self._workspace
            user = ws.user if ws is not None else None
            self.action_audit_log.setEnabled(user is not None and user.is_admin)
            self.action_retention.setEnabled(
                user is not None and user.is_admin and ws is not None and not ws.read_only
            )
            self.action_person_data.setEnabled(user is not None and not user.is_practitioner)

        file_menu.aboutToShow.connect(grey_by_role)
        # ---- END audit log, retention and RGPD ------------------------------------------------

    def _move(self, step: int) -> None:
        tree = self.navigator.tree
        current = tree.currentIndex()
        index = tree.indexBelow(current) if step > 0 else tree.indexAbove(current)
        if index.isValid():
            tree.setCurrentIndex(index)
