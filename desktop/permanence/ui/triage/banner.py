"""The level banner: colour AND word for every level, the rule, and what to say."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from permanence.core.triage import Level

# Background and text colours chosen for a contrast ratio of at least 4.5:1.
LEVEL_COLOURS: dict[Level, tuple[str, str]] = {
    Level.VITAL: ("#b3261e", "#ffffff"),
    Level.URGENT: ("#b85400", "#ffffff"),
    Level.SOON: ("#f2c230", "#1f1a00"),
    Level.ROUTINE: ("#2e7d32", "#ffffff"),
}
WAITING_COLOURS = ("#e8e8e8", "#202020")


DEAF_LINE = "Personne sourde ou malentendante : 114 par SMS."


def emergency_script(numbers: tuple[str, ...]) -> str:
    """What to tell the caller when the secretary raises a call to vital herself."""
    first = numbers[0] if numbers else "15"
    others = [n for n in numbers[1:] if n != "114"]
    extra = f" (ou le {' ou le '.join(others)})" if others else ""
    say = f"Dites : « Raccrochez et appelez le {first} immédiatement{extra}. »"
    return f"{say} Aucun rendez-vous.\n{DEAF_LINE}"


def vital_script(disposition: str) -> str:
    """The rule's own words for a vital level, with the 114 line when it is missing."""
    return disposition if "114" in disposition else f"{disposition}\n{DEAF_LINE}"


class LevelBanner(QFrame):
    """Large coloured banner; the level is always written, never shown by colour alone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("triageBanner")
        self.setAccessibleName("Niveau d'urgence")
        self.level_word = QLabel()
        self.level_word.setObjectName("triageLevelWord")
        font = self.level_word.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.level_word.setFont(font)
        self.rule_label = QLabel()
        self.rule_label.setObjectName("triageRule")
        self.rule_label.setWordWrap(True)
        rule_font = self.rule_label.font()
        rule_font.setBold(True)
        self.rule_label.setFont(rule_font)
        self.script = QLabel()
        self.script.setObjectName("triageScript")
        self.script.setWordWrap(True)
        self.script.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.override_note = QLabel()
        self.override_note.setObjectName("triageOverrideNote")
        self.override_note.setWordWrap(True)
        self.override_note.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 10)
        for widget in (self.level_word, self.rule_label, self.script, self.override_note):
            layout.addWidget(widget)
        self.show_waiting()

    def _paint(self, background: str, foreground: str) -> None:
        self.setStyleSheet(
            f"#triageBanner {{ background-color: {background}; border-radius: 6px; }}"
            f"#triageBanner QLabel {{ color: {foreground}; background: transparent; }}"
        )

    def show_waiting(self) -> None:
        self._paint(*WAITING_COLOURS)
        self.level_word.setText("EN ATTENTE")
        self.rule_label.setText("Tapez le motif de l'appel : l'urgence s'affiche ici.")
        self.script.clear()
        self.override_note.hide()

    def show_assessment(self, level: Level, rule_label: str, script: str, note: str = "") -> None:
        """Paint `level` with the rule's label, the script to read and an optional note."""
        self._paint(*LEVEL_COLOURS[level])
        self.level_word.setText(level.label.upper())
        self.rule_label.setText(rule_label)
        self.script.setText(script)
        self.override_note.setVisible(bool(note))
        self.override_note.setText(note)
        self.setAccessibleDescription(f"Niveau {level.label}. {rule_label}. {script}")
