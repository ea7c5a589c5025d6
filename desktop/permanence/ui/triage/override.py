"""The secretary's level override: a level and a mandatory reason, recorded with the call."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from permanence.core.triage import LEVELS_BY_RANK, Level

REASON_MISSING = "Indiquez la raison du changement de niveau."


class LevelOverrideBox(QGroupBox):
    """Choose a level and a reason; an empty reason is refused with a French message."""

    #: a level was chosen with its reason (level id, reason).
    chosen = Signal(str, str)
    #: the secretary went back to the computed level.
    cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Modifier le niveau", parent)
        self.level_box = QComboBox()
        self.level_box.setAccessibleName("Nouveau niveau d'urgence")
        for level in LEVELS_BY_RANK:
            self.level_box.addItem(level.label, level.value)
        self.reason_edit = QLineEdit()
        self.reason_edit.setAccessibleName("Raison du changement de niveau")
        self.reason_edit.setPlaceholderText("obligatoire, ex. : le médecin rappelle lui-même")
        self.apply_button = QPushButton("Appliquer le niveau")
        self.apply_button.setAccessibleName("Appliquer le niveau choisi")
        self.reset_button = QPushButton("Revenir au niveau calculé")
        self.reset_button.setAccessibleName("Revenir au niveau calculé")
        self.reset_button.setEnabled(False)
        self.error = QLabel()
        self.error.setObjectName("triageOverrideError")
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        form = QFormLayout(self)
        level_label = QLabel("&Niveau :")
        level_label.setBuddy(self.level_box)
        reason_label = QLabel("&Raison :")
        reason_label.setBuddy(self.reason_edit)
        form.addRow(level_label, self.level_box)
        form.addRow(reason_label, self.reason_edit)
        form.addRow(buttons)
        form.addRow(self.error)
        self.apply_button.clicked.connect(self._on_apply_clicked)
        self.reason_edit.returnPressed.connect(self._on_apply_clicked)
        self.reset_button.clicked.connect(self._on_reset_clicked)

    def select_level(self, level: Level) -> None:
        self.level_box.setCurrentIndex(self.level_box.findData(level.value))

    def reset(self) -> None:
        self.reason_edit.clear()
        self.error.hide()
        self.reset_button.setEnabled(False)

    def _on_apply_clicked(self) -> None:
        reason = self.reason_edit.text().strip()
        if not reason:
            self.error.setText(REASON_MISSING)
            self.error.show()
            self.reason_edit.setFocus()
            return
        self.error.hide()
        self.reset_button.setEnabled(True)
        self.chosen.emit(str(self.level_box.currentData()), reason)

    def _on_reset_clicked(self) -> None:
        self.reset()
        self.cleared.emit()
