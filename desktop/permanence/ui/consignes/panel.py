"""The consignes of the selected practitioner, readable at a glance.

Shows the practice's greeting in large type, a banner when the practitioner is absent
today (with the replacement), then every section of the sheet.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QTextBrowser, QVBoxLayout, QWidget

from permanence.core.consignes import Consignes
from permanence.core.practices import PracticeInfo, PractitionerInfo
from permanence.ui.consignes.render import consignes_html
from permanence.ui.format import format_day

if TYPE_CHECKING:
    from permanence.core.agenda.store import AbsenceInfo


def section_tints(palette: QPalette) -> tuple[str, str]:
    """Card backgrounds that follow the light or dark palette: a neutral and a warm tint."""
    base = palette.color(QPalette.ColorRole.Base)
    dark = base.lightness() < 128
    neutral = palette.color(QPalette.ColorRole.AlternateBase)
    if neutral == base:
        neutral = base.lighter(130) if dark else base.darker(104)
    warm = QColor("#4a2a1a") if dark else QColor("#fdeee4")
    return neutral.name(), warm.name()


class ConsignesPanel(QWidget):
    """Read-only view; editing goes through ConsignesEditor (Ctrl+E)."""

    #: asked to edit a section (section key).
    edit_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setObjectName("consignesTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        title_font = self.title.font()
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.greeting = QLabel()
        self.greeting.setObjectName("greeting")
        self.greeting.setWordWrap(True)
        self.greeting.setAccessibleName("Formule d'accueil")
        self.greeting.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.greeting.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.greeting.setFont(font)
        self.absence = QLabel()
        self.absence.setObjectName("absenceBanner")
        self.absence.setWordWrap(True)
        self.absence.setAccessibleName("Absence du praticien")
        self.absence.setFrameShape(QFrame.Shape.StyledPanel)
        self.absence.setStyleSheet(
            "#absenceBanner { background: #fff4e5; color: #7a3e00; border: 1px solid #f0a040;"
            " border-radius: 4px; padding: 6px; }"
        )
        self.absence.hide()
        self.browser = QTextBrowser()
        self.browser.setObjectName("consignesText")
        self.browser.setAccessibleName("Consignes du praticien")
        self.browser.setOpenLinks(False)
        heading = QLabel("Co&nsignes")
        heading.setBuddy(self.browser)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.greeting)
        layout.addWidget(self.absence)
        layout.addWidget(heading)
        layout.addWidget(self.browser, 1)
        self._consignes: Consignes | None = None
        self.columns = 2

    def show_consignes(
        self,
        practice: PracticeInfo,
        practitioner: PractitionerInfo | None,
        consignes: Consignes,
        absence: AbsenceInfo | None = None,
        *,
        first: str | None = None,
    ) -> None:
        """Show a sheet; `first` brings a section to the top (else absences when away)."""
        # phonenumbers is imported here, not at start-up: the workspace (on a worker
        # thread) has imported it by the time there is a sheet to show.
        from permanence.core.phone import format_for_display

        self._consignes = consignes
        who = (
            f"{practitioner.display_name} ({practitioner.kind_label})"
            if practitioner
            else "Tout le cabinet"
        )
        numbers = ", ".join(format_for_display(n) for n in practice.numbers)
        self.title.setText(f"{practice.name} — {who}  ·  {numbers}")
        self.greeting.setText(f"« {practice.greeting} »")
        self._show_absence(
            absence, ZoneInfo(practitioner.timezone if practitioner else "Europe/Paris")
        )
        first = first or ("absences" if absence else None)
        tint, strong = section_tints(self.palette())
        self.browser.setHtml(
            consignes_html(
                consignes, tint=tint, strong_tint=strong, first=first, columns=self.columns
            )
        )

    def clear(self) -> None:
        self._consignes = None
        self.title.clear()
        self.greeting.clear()
        self.absence.hide()
        self.browser.clear()

    def _show_absence(self, absence: AbsenceInfo | None, zone: ZoneInfo) -> None:
        if absence is None:
            self.absence.hide()
            return
        back = format_day(absence.ends_at.astimezone(zone).date())
        text = (
            f"<b>Absent aujourd'hui</b> ({escape(absence.reason or 'absence')}), "
            f"de retour le {escape(back)}."
        )
        if absence.replacement:
            text += f"<br>Remplacement : {escape(absence.replacement)}"
        self.absence.setText(text)
        self.absence.show()
