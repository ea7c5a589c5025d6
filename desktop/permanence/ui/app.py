"""Starting the GUI fast: the workspace opens on a worker thread while Qt starts.

`run_gui` launches the opening of the workspace (SQLAlchemy, migrations, the demo copy)
first, through the background-task helper, then imports the widgets, shows the main
window, and fills it when the workspace is ready. Both halves overlap on two cores.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from permanence.ui.tasks import run_in_background

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from permanence.core.workspace import Workspace
    from permanence.ui.main_window import MainWindow


def open_workspace(options: argparse.Namespace) -> Workspace:
    """Runs on a worker thread: imports and opens everything the window needs."""
    if options.demo:
        from permanence.core.demo import create_demo_workspace

        return create_demo_workspace()
    from permanence.core.workspace import Workspace

    return Workspace.open(options.workspace)


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
    return app


class _Startup:
    """Joins the two halves: whichever of window and workspace comes last finishes."""

    def __init__(self, options: argparse.Namespace) -> None:
        self.options = options
        self.code = 0
        self.window: MainWindow | None = None
        self.workspace: Workspace | None = None

    def on_opened(self, workspace: Any) -> None:
        self.workspace = workspace
        self._finish()

    def on_failed(self, exc: Exception) -> None:
        from PySide6.QtWidgets import QApplication, QMessageBox

        from permanence.core.errors import PermanenceError

        message = exc.message if isinstance(exc, PermanenceError) else f"Erreur inattendue : {exc}"
        print(f"permanence : {message}", file=sys.stderr)
        if not self._headless:
            QMessageBox.critical(self.window, "Permanence ne peut pas démarrer", message)
        self.code = 2
        QApplication.quit()

    def window_ready(self, window: MainWindow) -> None:
        self.window = window
        _report("window_shown")
        self._finish()

    @property
    def _headless(self) -> bool:
        return self.options.screenshot is not None or bool(self.options.exit_when_ready)

    def _finish(self) -> None:
        if self.window is None or self.workspace is None:
            return
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        self.window.attach_workspace(self.workspace)
        _report("data_ready")
        if self.options.screenshot is not None:
            window, target = self.window, self.options.screenshot
            QTimer.singleShot(150, lambda: self._save_screenshot(window, target))
        elif self.options.exit_when_ready:
            QTimer.singleShot(0, QApplication.quit)

    def _save_screenshot(self, window: QWidget, target: Path) -> None:
        from PySide6.QtWidgets import QApplication

        target.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(target)):
            print(f"permanence : impossible d'écrire la capture « {target} »", file=sys.stderr)
            self.code = 1
        QApplication.quit()


def _report(event: str) -> None:
    """For the start-up benchmark: seconds since the launcher's PERMANENCE_STARTUP_T0."""
    origin = os.environ.get("PERMANENCE_STARTUP_T0")
    if origin:
        print(f"startup {event} {time.time() - float(origin):.4f}", file=sys.stderr, flush=True)


def run_gui(options: argparse.Namespace) -> int:
    startup = _Startup(options)
    run_in_background(
        lambda: open_workspace(options), on_done=startup.on_opened, on_error=startup.on_failed
    )
    app = create_application()
    from permanence.ui.main_window import MainWindow

    window = MainWindow()
    if options.screenshot is not None:
        window.resize(1366, 768)
    window.show()
    startup.window_ready(window)
    app.exec()
    if startup.workspace is not None:
        startup.workspace.close()
    return startup.code
