"""Starting the GUI fast: the window first, then the workspace opens on a worker thread.

`run_gui` imports the widgets and shows the main window (busy bar in the status bar);
right after its first paint it starts the single-instance server and launches the
opening of the workspace (SQLAlchemy, migrations, the demo copy, the first screen's
queries) through the background-task helper, and fills the window when the workspace
is ready. Started earlier, the worker mostly shared the GIL with the window's imports:
the window came about 120 ms later, for data barely sooner (about 30 ms, bench_startup).
What the first screen does not need waits: the caller indexes and the evening views'
imports until the data is shown (`MainWindow` starts `Workspace.prewarm`), the
consignes editor until Ctrl+E.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from permanence.ui.tasks import run_in_background
from permanence.ui.trace import LoopWatch, report

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from permanence.core.workspace import Workspace
    from permanence.ui.main_window import MainWindow
    from permanence.ui.single_instance import InstanceServer


class FirstRunNeededError(Exception):
    """No workspace in the folder yet: the first-run assistant creates it."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.folder = folder


def open_workspace(options: argparse.Namespace, *, read_only: bool = False) -> Workspace:
    """Runs on a worker thread: imports and opens everything the window needs.

    The GUI holds the workspace's writer lock. An encrypted workspace raises
    WorkspaceLockedError (the login dialog follows) unless PERMANENCE_USER and
    PERMANENCE_PASSWORD are set (scripted starts and screenshots); an empty folder raises
    FirstRunNeededError, except when started headless, which creates a plain workspace.
    """
    if options.demo:
        from permanence.core.demo import create_demo_workspace

        workspace = create_demo_workspace()
    else:
        import os

        from permanence.core.db.engine import DB_FILENAME
        from permanence.core.security.keyslots import KeySlots
        from permanence.core.workspace import Workspace, WorkspaceLockedError, resolve_location

        folder = resolve_location(options.workspace).directory
        headless = options.screenshot is not None or bool(options.exit_when_ready)
        if (
            folder is not None
            and not headless
            and not (folder / DB_FILENAME).exists()
            and not KeySlots.exists_in(folder)
        ):
            raise FirstRunNeededError(folder)
        try:
            workspace = Workspace.open(options.workspace, exclusive=True, read_only=read_only)
        except WorkspaceLockedError:
            user, password = (
                os.environ.get("PERMANENCE_USER"),
                os.environ.get("PERMANENCE_PASSWORD"),
            )
            if folder is None or not user or password is None:
                raise
            workspace = Workspace.unlock(
                folder, user, password, exclusive=not read_only, read_only=read_only
            )
    warm_first_screen(workspace)
    return workspace


def warm_first_screen(workspace: Workspace) -> None:
    """Run once, on the worker, the queries the first screen runs on the GUI thread.

    The first run of a query configures the mappers and compiles the statement (a few ms
    each, cached after); paid here, `attach_workspace` only reads. The caller indexes are
    built later, in `Workspace.prewarm`, once the window shows the data.
    """
    from datetime import UTC, datetime

    _ = workspace.name
    workspace.calls.drafts_to_recover()
    for practice in workspace.practices.list()[:1]:
        for practitioner in practice.practitioners[:1]:
            workspace.consignes.current(practice.id, practitioner.id)
            workspace.agenda.absence_at(practitioner.id, datetime.now(UTC))


def create_application(argv: list[str] | None = None) -> QApplication:
    from PySide6.QtWidgets import QApplication

    import permanence
    from permanence.ui.i18n import install_french

    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Permanence")
    app.setApplicationDisplayName("Permanence")
    app.setOrganizationName("Permanence")
    app.setApplicationVersion(permanence.__version__)
    app.setDesktopFileName("fr.permanence.Permanence")
    app._translators = install_french(app)  # type: ignore[attr-defined]  # keep them alive
    from PySide6.QtGui import QIcon

    from permanence.core.resources import resource_path

    app.setWindowIcon(QIcon(str(resource_path("icons", "fr.permanence.Permanence.svg"))))
    return app


class _Startup:
    """Joins the two halves: whichever of window and workspace comes last finishes."""

    def __init__(self, options: argparse.Namespace) -> None:
        self.options = options
        self.code = 0
        self.window: MainWindow | None = None
        self.workspace: Workspace | None = None
        self._watch = LoopWatch()

    def on_opened(self, workspace: Any) -> None:
        self.workspace = workspace
        self._finish()

    def on_failed(self, exc: Exception) -> None:
        from PySide6.QtWidgets import QApplication, QMessageBox

        from permanence.core.errors import PermanenceError

        if not self._headless and self._ask_user(exc):
            return

        message = exc.message if isinstance(exc, PermanenceError) else f"Erreur inattendue : {exc}"
        print(f"permanence : {message}", file=sys.stderr)
        if not self._headless:
            QMessageBox.critical(self.window, "Permanence ne peut pas démarrer", message)
        self.code = 2
        QApplication.quit()

    def _ask_user(self, exc: Exception) -> bool:
        """Handle what needs her: first run, login, a workspace already open. True if handled."""
        from PySide6.QtWidgets import QApplication, QMessageBox

        from permanence.core.security.workspace_lock import WorkspaceBusyError
        from permanence.core.workspace import WorkspaceLockedError

        dialog: Any = None
        if isinstance(exc, FirstRunNeededError):
            from permanence.ui.security.first_run import FirstRunWizard

            dialog = FirstRunWizard(exc.folder, parent=self.window)
        elif isinstance(exc, WorkspaceLockedError):
            from permanence.core.workspace import resolve_location
            from permanence.ui.security.login import LoginDialog

            folder = resolve_location(self.options.workspace).directory
            assert folder is not None
            dialog = LoginDialog(folder, parent=self.window)
        elif isinstance(exc, WorkspaceBusyError):
            answer = QMessageBox.question(
                self.window,
                "Espace de travail déjà ouvert",
                f"{exc.message}\n\nL'ouvrir en lecture seule (consultation, sans rien modifier) ?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                QApplication.quit()
                return True
            options = self.options
            run_in_background(
                lambda: open_workspace(options, read_only=True),
                on_done=self.on_opened,
                on_error=self.on_failed,
            )
            return True
        else:
            return False
        if dialog.exec() and dialog.workspace is not None:
            self.on_opened(dialog.workspace)
        else:
            QApplication.quit()
        return True

    def window_ready(self, window: MainWindow) -> None:
        self.window = window
        self._finish()

    def window_painted(self) -> None:
        """The window is on screen and answers: from now on, the GUI thread is watched."""
        report("window_shown")
        self._watch.start()

    @property
    def _headless(self) -> bool:
        return self.options.screenshot is not None or bool(self.options.exit_when_ready)

    def _finish(self) -> None:
        if self.window is None or self.workspace is None:
            return
        from PySide6.QtCore import QTimer

        self.window.attach_workspace(self.workspace)
        when_painted(self.window, self._data_shown, at_most_ms=1000)
        if self.options.screenshot is not None:
            window, target = self.window, self.options.screenshot
            QTimer.singleShot(150, lambda: self._save_screenshot(window, target))

    def _data_shown(self) -> None:
        from PySide6.QtWidgets import QApplication

        report("data_ready")
        self._watch.stop()
        if self.options.exit_when_ready and self.options.screenshot is None:
            QApplication.quit()

    def _save_screenshot(self, window: QWidget, target: Path) -> None:
        from PySide6.QtWidgets import QApplication

        target.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(target)):
            print(f"permanence : impossible d'écrire la capture « {target} »", file=sys.stderr)
            self.code = 1
        QApplication.quit()


def when_painted(window: QWidget, callback: Callable[[], None], *, at_most_ms: int) -> None:
    """Call `callback` once, when `window` has painted (its next repaint pass) and the
    event loop is free again, or after `at_most_ms` if it does not paint (minimised…).

    A zero timer started after `show()` would fire before the first paint.
    """
    from PySide6.QtCore import QEvent, QObject, QTimer

    class _NextPaint(QObject):
        done = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.UpdateRequest:
                # The whole pass paints while this event is handled; the timer fires after.
                window.removeEventFilter(self)
                QTimer.singleShot(0, self.fire)
            return False

        def fire(self) -> None:
            if not self.done:
                self.done = True
                window.removeEventFilter(self)
                self.deleteLater()
                callback()

    watcher = _NextPaint(window)
    window.installEventFilter(watcher)
    QTimer.singleShot(at_most_ms, watcher, watcher.fire)


def _listen_for_calls(window: MainWindow) -> InstanceServer:
    """The single-instance server: later `permanence call` hand their call to `window`."""
    from permanence.ui.single_instance import InstanceServer

    server = InstanceServer()
    if not server.listen():
        print(
            "permanence : une autre fenêtre de Permanence est déjà ouverte ; les appels "
            "entrants (permanence call) y sont envoyés.",
            file=sys.stderr,
        )
    server.message_received.connect(window.on_instance_message)
    return server


def run_gui(options: argparse.Namespace, *, incoming: dict[str, str] | None = None) -> int:
    """The GUI; `incoming` is a call handed over by `permanence call` when none ran."""
    options.screenshot = getattr(options, "screenshot", None)
    options.exit_when_ready = getattr(options, "exit_when_ready", False)
    startup = _Startup(options)
    app = create_application()
    from permanence.ui.main_window import MainWindow

    window = MainWindow()
    if options.screenshot is not None:
        window.resize(1366, 768)
    if incoming is not None:
        window.on_instance_message(incoming)
    window.show()
    startup.window_ready(window)
    servers: list[InstanceServer] = []

    def after_first_paint() -> None:
        startup.window_painted()
        # The single-instance server first (QtNetwork, a ping of a running copy: 25 ms),
        # then the workspace (see the module's docstring for why not before the window);
        # started alongside the server, the worker's imports made that step twice as long.
        servers.append(_listen_for_calls(window))
        run_in_background(
            lambda: open_workspace(options), on_done=startup.on_opened, on_error=startup.on_failed
        )

    when_painted(window, after_first_paint, at_most_ms=300)
    app.exec()
    for server in servers:
        server.close()
    if startup.workspace is not None:
        startup.workspace.close()
    return startup.code
