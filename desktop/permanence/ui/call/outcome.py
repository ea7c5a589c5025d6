"""The outcome of the call: one checkable button per outcome, Ctrl+1 … Ctrl+7."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QPushButton, QWidget

OUTCOME_BUTTONS: tuple[tuple[str, str], ...] = (
    ("rdv", "Rendez-vous"),
    ("message", "Message"),
    ("transfert", "Transfert"),
    ("information", "Information"),
    ("demarchage", "Démarchage"),
    ("faux_numero", "Faux numéro"),
    ("raccroche", "Raccroché"),
)


class OutcomeBar(QWidget):
    """Exactly one outcome (or none yet); emits `outcome_changed(key)`."""

    outcome_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QPushButton] = {}
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for index, (key, label) in enumerate(OUTCOME_BUTTONS, start=1):
            button = QPushButton(f"{label} ({index})")
            button.setToolTip(f"Issue : {label} (Ctrl+{index})")
            button.setCheckable(True)
            # A QShortcut rather than the button's own (which animates the click for 100 ms):
            # the outcome is set at once, so Ctrl+4 then Ctrl+Entrée closes with it.
            shortcut = QShortcut(QKeySequence(f"Ctrl+{index}"), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda b=button: b.setChecked(True))
            button.setAccessibleName(f"Issue de l'appel : {label}")
            button.setProperty("outcome", key)
            self.group.addButton(button, index)
            self.buttons[key] = button
            layout.addWidget(button, (index - 1) // 4, (index - 1) % 4)
        self.group.buttonToggled.connect(self._on_toggled)

    @property
    def outcome(self) -> str | None:
        checked = self.group.checkedButton()
        return str(checked.property("outcome")) if checked else None

    def set_outcome(self, key: str | None) -> None:
        if key is None:
            self.group.setExclusive(False)
            for button in self.buttons.values():
                button.setChecked(False)
            self.group.setExclusive(True)
        else:
            self.buttons[key].setChecked(True)

    def _on_toggled(self, button: QPushButton, checked: bool) -> None:
        if checked:
            self.outcome_changed.emit(str(button.property("outcome")))
