"""A CalDAV conflict: the appointment as Permanence has it and as the server has it, side
by side in French (« mardi 14 janvier », « 10 h 30 », title, place), what differs in bold,
and the two ways out: « Garder la version de Permanence » (sent again over the server's
copy) or « Garder la version du serveur » (the appointment follows it). The choice runs on
a worker thread (keeping ours talks to the server); with several conflicts they come one
after the other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from permanence.core.calendars.caldav_items import EventFacts
from permanence.core.calendars.caldav_sync import ConflictInfo, ResolveReport
from permanence.core.errors import PermanenceError
from permanence.ui.format import format_day, format_time
from permanence.ui.tasks import run_in_background

if TYPE_CHECKING:
    from permanence.core.workspace import Workspace

ROWS = ("Date", "Heure", "Titre", "Lieu")
DIFF_STYLE = "font-weight: 700; color: #8a4b00;"
ERROR_STYLE = "color: #b3261e; font-weight: 600;"
OK_STYLE = "color: #1b5e20;"


def describe(facts: EventFacts | None, zone: ZoneInfo, gone: str) -> tuple[str, str, str, str]:
    """(date, hours, title, place) in French; `gone` on the date line when there is none."""
    if facts is None:
        return (gone, "—", "—", "—")
    start, end = facts.start.astimezone(zone), facts.end.astimezone(zone)
    day = format_day(start.date())
    hours = f"{format_time(start)} – {format_time(end)}"
    if facts.cancelled:
        day = f"{day} (annulé)"
    return (day, hours, facts.summary or "—", facts.location or "—")


class ConflictDialog(QDialog):
    """The conflicts of one CalDAV source, one at a time; `resolved` after each choice."""

    resolved = Signal(object)

    def __init__(
        self,
        workspace: Workspace,
        source_id: int,
        password_for: Callable[[int], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._source_id = source_id
        self._password_for = password_for
        self.conflicts: list[ConflictInfo] = []
        self.working = False
        self.last_report: ResolveReport | None = None
        self.setWindowTitle("Conflit d'agenda")

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.explain = QLabel(
            "Ce rendez-vous a été modifié dans Permanence et sur l'agenda du serveur. "
            "Rien n'a été écrasé : choisissez la version à garder."
        )
        self.explain.setWordWrap(True)

        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(8)
        ours_title = QLabel("<b>Version de Permanence</b>")
        theirs_title = QLabel("<b>Version du serveur</b>")
        grid.addWidget(ours_title, 0, 1)
        grid.addWidget(theirs_title, 0, 2)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        grid.addWidget(line, 1, 0, 1, 3)
        self.ours_cells: list[QLabel] = []
        self.theirs_cells: list[QLabel] = []
        for row, name in enumerate(ROWS, start=2):
            label = QLabel(f"{name} :")
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(label, row, 0)
            for column, cells in ((1, self.ours_cells), (2, self.theirs_cells)):
                cell = QLabel()
                cell.setWordWrap(True)
                cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                cell.setAccessibleName(f"{name} — {'Permanence' if column == 1 else 'serveur'}")
                cell.setMinimumWidth(240)
                grid.addWidget(cell, row, column)
                cells.append(cell)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(12)
        self.progress.setAccessibleName("Envoi en cours")
        self.progress.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")

        self.ours_button = QPushButton("Garder la version de &Permanence")
        self.theirs_button = QPushButton("Garder la version du &serveur")
        self.later_button = QPushButton("Plus &tard")
        for button in (self.ours_button, self.theirs_button, self.later_button):
            button.setAutoDefault(False)
        self.ours_button.clicked.connect(lambda: self.choose("ours"))
        self.theirs_button.clicked.connect(lambda: self.choose("theirs"))
        self.later_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.ours_button)
        buttons.addWidget(self.theirs_button)
        buttons.addStretch(1)
        buttons.addWidget(self.later_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.explain)
        layout.addSpacing(6)
        layout.addLayout(grid)
        layout.addStretch(1)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(720, 320)
        self.reload()

    # -- showing ---------------------------------------------------------------------------
    def reload(self) -> None:
        try:
            self.conflicts = self._ws.caldav.conflicts(self._source_id)
        except PermanenceError as error:
            self.conflicts = []
            self._say(error.message, error=True)
        self._show()

    @property
    def current(self) -> ConflictInfo | None:
        return self.conflicts[0] if self.conflicts else None

    def _show(self) -> None:
        conflict = self.current
        if conflict is None:
            self.heading.setText("<b>Aucun conflit</b> : tout est réglé pour cet agenda.")
            for cell in self.ours_cells + self.theirs_cells:
                cell.clear()
            self._update_buttons()
            return
        try:
            zone = ZoneInfo(conflict.zone or "Europe/Paris")
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo("Europe/Paris")
        who = f" de {conflict.caller_name}" if conflict.caller_name else ""
        count = len(self.conflicts)
        more = f" (1 sur {count})" if count > 1 else ""
        self.heading.setText(f"<b>Rendez-vous{who}</b> — n°{conflict.appointment_id}{more}")
        ours = describe(conflict.ours, zone, "supprimé dans Permanence")
        theirs = describe(conflict.theirs, zone, "supprimé sur le serveur")
        for mine, other, a, b in zip(ours, theirs, self.ours_cells, self.theirs_cells, strict=True):
            a.setText(mine)
            b.setText(other)
            style = DIFF_STYLE if mine != other else ""
            a.setStyleSheet(style)
            b.setStyleSheet(style)
        self._update_buttons()

    def field_texts(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """What the two columns show (for tests and accessibility)."""
        return (
            tuple(cell.text() for cell in self.ours_cells),
            tuple(cell.text() for cell in self.theirs_cells),
        )

    # -- choosing --------------------------------------------------------------------------
    def choose(self, keep: str) -> None:
        conflict = self.current
        if conflict is None or self.working:
            return
        self.working = True
        self._say(
            "Envoi de la version de Permanence au serveur…"
            if keep == "ours"
            else "Application de la version du serveur…"
        )
        self._update_buttons()
        caldav, entry_id, source_id = self._ws.caldav, conflict.entry_id, self._source_id
        lookup = self._password_for

        def work() -> ResolveReport:
            password = lookup(source_id) if keep == "ours" else None
            return caldav.resolve_conflict(entry_id, keep, password)

        run_in_background(work, on_done=self._on_resolved, on_error=self._on_failed)

    def _on_resolved(self, report: object) -> None:
        if not shiboken6.isValid(self):
            return
        assert isinstance(report, ResolveReport)
        self.working = False
        self.last_report = report
        self.resolved.emit(report)
        self.reload()
        self._say(report.message, error=not report.ok)

    def _on_failed(self, error: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self.working = False
        reason = error.message if isinstance(error, PermanenceError) else str(error)
        self._say(f"Choix non appliqué : {reason}", error=True)
        self.reload()

    def _update_buttons(self) -> None:
        has = self.current is not None and not self.working
        self.ours_button.setEnabled(has)
        self.theirs_button.setEnabled(has)
        self.progress.setVisible(self.working)
        self.later_button.setText("Plus &tard" if self.current is not None else "&Fermer")

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
        self.message.setText(text)
