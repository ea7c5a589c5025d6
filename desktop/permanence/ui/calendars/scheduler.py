"""Calendars kept fresh: every source (files, subscriptions, CalDAV) refreshed at start-up
and every 15 minutes, and on demand (« Synchroniser les agendas maintenant », Ctrl+Maj+I).

The QTimer lives here, in the UI layer; the work runs through `run_in_background`, never on
the GUI thread, and one refresh at a time. When the server freed or moved one of our
appointments, or a conflict appeared, the secretary is told in a window she can keep open
(the patient may have to be called).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from permanence.core.calendars.refresh import REFRESH_MINUTES, SourceRefresh, refresh_all
from permanence.ui.calendars.passwords import passwords_for
from permanence.ui.tasks import run_in_background

if TYPE_CHECKING:
    from permanence.core.workspace import Workspace

SYNC_NOW_KEY = "Ctrl+Shift+I"
#: The start-up refresh waits a little: the first call of the day comes first.
STARTUP_DELAY_MS = 5000


def summary(results: list[SourceRefresh]) -> str:
    """ "Agendas synchronisés : 3 à jour, 1 hors ligne, 1 en erreur, 2 conflit(s)."."""
    if not results:
        return "Aucun agenda externe à synchroniser."
    ok = sum(1 for r in results if r.ok)
    offline = sum(1 for r in results if r.offline)
    failed = len(results) - ok - offline
    conflicts = sum(r.conflicts for r in results)
    pending = sum(r.pending for r in results)
    parts = [f"{ok} à jour"]
    if offline:
        parts.append(f"{offline} hors ligne")
    if failed:
        parts.append(f"{failed} en erreur")
    if conflicts:
        parts.append(f"{conflicts} conflit(s) à régler (Ctrl+I)")
    if pending:
        parts.append(f"{pending} envoi(s) en attente")
    return "Agendas synchronisés : " + ", ".join(parts) + "."


class CalendarRefresher(QObject):
    """Refreshes every calendar source of the workspace on a timer and on demand."""

    started = Signal()
    #: list[SourceRefresh] of the finished refresh.
    finished = Signal(object)

    def __init__(
        self,
        workspace: Workspace,
        parent: QObject | None = None,
        *,
        interval_minutes: float = REFRESH_MINUTES,
        notify: bool = True,
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.notify = notify
        self.running = False
        self.last_results: list[SourceRefresh] = []
        self.last_error = ""
        self.notice_box: QMessageBox | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(int(interval_minutes * 60_000))
        self.timer.timeout.connect(self.refresh_now)

    def start(self, *, now: bool = True, first_in_ms: int = 0) -> None:
        """Start the periodic refresh, and the start-up refresh (at once, or after
        `first_in_ms`)."""
        self.timer.start()
        if now and first_in_ms > 0:
            QTimer.singleShot(first_in_ms, self, self.refresh_now)
        elif now:
            self.refresh_now()

    def stop(self) -> None:
        self.timer.stop()

    def refresh_now(self) -> bool:
        """Refresh every source in the background; False when one is already running."""
        if self.running:
            return False
        self.running = True
        self.started.emit()
        calendars, caldav = self._ws.calendars, self._ws.caldav
        lookup = passwords_for(self._ws).lookup
        run_in_background(
            lambda: refresh_all(calendars, caldav, lookup),
            on_done=self._on_done,
            on_error=self._on_error,
        )
        return True

    def _on_done(self, results: Any) -> None:
        if not shiboken6.isValid(self):
            return
        self.running = False
        self.last_error = ""
        self.last_results = list(results)
        self.finished.emit(self.last_results)
        notices = [notice for result in self.last_results for notice in result.notices]
        if notices and self.notify:
            self._show_notices(notices)

    def _on_error(self, error: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self.running = False
        self.last_error = f"Synchronisation des agendas impossible : {error}"
        self.finished.emit([])

    def _show_notices(self, notices: list[str]) -> None:
        parent = self.parent()
        box = QMessageBox(parent if isinstance(parent, QWidget) else None)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("Agendas : changements sur le serveur")
        box.setText("L'agenda en ligne d'un praticien a changé des rendez-vous pris ici :")
        box.setInformativeText("\n\n".join(notices))
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.setModal(False)
        self.notice_box = box
        box.show()


def install_calendar_refresh(window: QMainWindow, workspace: Workspace) -> CalendarRefresher:
    """Hook the refresh into the main window: timer, start-up refresh, the menu action."""
    refresher = CalendarRefresher(workspace, window)
    action = QAction("S&ynchroniser les agendas maintenant", window)
    action.setShortcut(QKeySequence(SYNC_NOW_KEY))
    action.setToolTip("Fichiers, abonnements et agendas CalDAV de tous les praticiens")

    def sync_now() -> None:
        if refresher.refresh_now():
            window.statusBar().showMessage("Synchronisation des agendas…", 5000)
        else:
            window.statusBar().showMessage("Synchronisation des agendas déjà en cours…", 5000)

    def finished(results: object) -> None:
        if not shiboken6.isValid(window):
            return
        found = results if isinstance(results, list) else []
        text = refresher.last_error or summary(found)
        window.statusBar().showMessage(text, 15000)
        refresh_agenda = getattr(window, "_refresh_agenda", None)
        if callable(refresh_agenda):
            refresh_agenda()

    action.triggered.connect(sync_now)
    refresher.finished.connect(finished)
    window.addAction(action)
    for menu_action in window.menuBar().actions():
        if menu_action.text().replace("&", "") == "Cabinets" and menu_action.menu() is not None:
            menu = menu_action.menu()
            if hasattr(menu, "addAction"):
                menu.addAction(action)
            break
    window.calendar_sync_action = action  # type: ignore[attr-defined]
    refresher.start(first_in_ms=STARTUP_DELAY_MS)
    return refresher
