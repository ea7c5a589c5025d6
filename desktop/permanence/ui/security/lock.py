"""Locking the window: after N idle minutes or on demand (F12).

Locked, the window shows only the lock screen: no practice, caller or message, in the
window, its title, its menus, or any other window of the app (they are hidden and come
back after unlocking). A call in progress is saved as a draft first and is still there
after unlocking. Unlocking needs the logged-in user's password, checked off the GUI thread.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from permanence.core.errors import PermanenceError
from permanence.ui.tasks import run_in_background

if TYPE_CHECKING:
    from permanence.core.workspace import Workspace

IDLE_SETTING = "lock.idle_minutes"
DEFAULT_IDLE_MINUTES = 5

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


def idle_minutes(workspace: Workspace) -> int:
    """The workspace's auto-lock delay in minutes (0: never)."""
    try:
        return max(0, int(workspace.setting(IDLE_SETTING, str(DEFAULT_IDLE_MINUTES))))
    except ValueError:
        return DEFAULT_IDLE_MINUTES


class IdleWatcher(QObject):
    """Emits `idle` after `minutes` without keyboard or mouse activity in the app."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_minutes(self, minutes: float) -> None:
        self._timer.setInterval(round(max(0.0, minutes) * 60_000))
        self.restart()

    def restart(self) -> None:
        if self._timer.interval() > 0:
            self._timer.start()
        else:
            self._timer.stop()

    def pause(self) -> None:
        self._timer.stop()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start()
        return False


class LockScreen(QWidget):
    """What the locked window shows: who is logged in, a password field, nothing else."""

    unlock_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("Permanence est verrouillé")
        title.setStyleSheet("font-size: 22pt; font-weight: 600;")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.who = QLabel()
        self.who.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Mot de passe pour déverrouiller")
        self.password.setPlaceholderText("Mot de passe")
        self.password.setMinimumWidth(260)
        self.button = QPushButton("&Déverrouiller")
        self.button.setDefault(True)
        self.error = QLabel()
        self.error.setObjectName("lockError")
        self.error.setStyleSheet("#lockError { color: #b3261e; }")
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error.setWordWrap(True)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.password)
        row.addWidget(self.button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(title)
        layout.addWidget(self.who)
        layout.addSpacing(16)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addStretch(3)
        self.button.clicked.connect(self._submit)
        self.password.returnPressed.connect(self._submit)

    def prepare(self, who: str) -> None:
        self.who.setText(f"Session de {who}. Tapez votre mot de passe pour reprendre.")
        self.password.clear()
        self.error.clear()
        self.set_busy(False)
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_busy(self, busy: bool) -> None:
        self.password.setEnabled(not busy)
        self.button.setEnabled(not busy)
        if not busy:
            self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def _submit(self) -> None:
        if self.password.text():
            self.unlock_requested.emit(self.password.text())


class LockController(QObject):
    """Locks and unlocks a window whose content lives in `content` (a stacked widget).

    `on_lock` runs before hiding (save the call draft); `set_locked_ui(bool)` hides or
    shows the window's menus and status bar.
    """

    locked_changed = Signal(bool)

    def __init__(
        self,
        window: QWidget,
        workspace: Workspace,
        *,
        on_lock: Callable[[], None],
        set_locked_ui: Callable[[bool], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._workspace = workspace
        self._on_lock = on_lock
        self._set_locked_ui = set_locked_ui
        self.screen = LockScreen()
        self.screen.unlock_requested.connect(self._try_unlock)
        self.watcher = IdleWatcher(self)
        self.watcher.idle.connect(self.lock)
        self.watcher.set_minutes(idle_minutes(workspace))
        self.locked = False
        self._title = ""
        self._hidden: list[QWidget] = []

    def apply_settings(self) -> None:
        self.watcher.set_minutes(idle_minutes(self._workspace))

    def lock(self) -> None:
        if self.locked:
            return
        self.locked = True
        self.watcher.pause()
        # If the draft cannot be saved, lock anyway: the widgets keep what was typed.
        with contextlib.suppress(PermanenceError):
            self._on_lock()
        self._hidden = [
            widget
            for widget in QApplication.topLevelWidgets()
            if widget is not self._window and widget.isVisible()
        ]
        for widget in self._hidden:
            widget.hide()
        self._title = self._window.windowTitle()
        self._window.setWindowTitle("Permanence — verrouillé")
        self._set_locked_ui(True)
        self.screen.prepare(self._workspace.user.label or "l'utilisateur")
        from permanence.core.security.audit import LOCKED

        if not self._workspace.read_only:
            with contextlib.suppress(PermanenceError):
                self._workspace.audit.record(LOCKED, "compte", self._workspace.user.id)
        self.locked_changed.emit(True)

    def _try_unlock(self, password: str) -> None:
        self.screen.set_busy(True)
        self.screen.error.setText("Vérification…")
        workspace = self._workspace
        run_in_background(
            lambda: workspace.verify_password(password),
            on_done=self._checked,
            on_error=self._failed,
        )

    def _checked(self, good: object) -> None:
        self.screen.set_busy(False)
        if not good:
            self.screen.password.clear()
            self.screen.error.setText("Mot de passe incorrect.")
            return
        self.unlock()

    def _failed(self, exc: Exception) -> None:
        self.screen.set_busy(False)
        self.screen.password.clear()
        self.screen.error.setText(exc.message if isinstance(exc, PermanenceError) else str(exc))

    def unlock(self) -> None:
        if not self.locked:
            return
        self.locked = False
        self._set_locked_ui(False)
        self._window.setWindowTitle(self._title)
        for widget in self._hidden:
            widget.show()
        self._hidden = []
        self.watcher.restart()
        self.locked_changed.emit(False)
