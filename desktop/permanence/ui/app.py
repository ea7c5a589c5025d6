"""Starting the GUI: the application object, French, the workspace, the main window."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

import permanence
from permanence.core.errors import PermanenceError
from permanence.core.workspace import Workspace
from permanence.ui.i18n import install_french


def create_application(argv: list[str] | None = None) -> QApplication:
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


def open_workspace(options: argparse.Namespace) -> Workspace:
    if options.demo:
        from permanence.core.demo import create_demo_workspace

        return create_demo_workspace()
    return Workspace.open(options.workspace)


def run_gui(options: argparse.Namespace) -> int:
    app = create_application()
    headless = options.screenshot is not None or options.exit_when_ready
    try:
        workspace = open_workspace(options)
    except PermanenceError as exc:
        print(f"permanence : {exc.message}", file=sys.stderr)
        if not headless:
            QMessageBox.critical(None, "Permanence ne peut pas démarrer", exc.message)
        return 2

    from permanence.ui.main_window import MainWindow

    window = MainWindow(workspace)
    if options.screenshot is not None:
        window.resize(1366, 768)
    window.show()
    outcome = {"code": 0}
    if options.screenshot is not None:
        QTimer.singleShot(150, lambda: _save_screenshot(window, options.screenshot, outcome))
    elif options.exit_when_ready:
        QTimer.singleShot(0, app.quit)
    app.exec()
    workspace.close()
    return outcome["code"]


def _save_screenshot(window: object, target: Path, outcome: dict[str, int]) -> None:
    from PySide6.QtWidgets import QWidget

    assert isinstance(window, QWidget)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(target)):
        print(f"permanence : impossible d'écrire la capture « {target} »", file=sys.stderr)
        outcome["code"] = 1
    QApplication.quit()
