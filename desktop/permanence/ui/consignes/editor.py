"""Editing the consignes: one section at a time, every version kept and visible."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from permanence.core.consignes import SECTIONS, SectionVersion
from permanence.core.errors import PermanenceError
from permanence.core.practices import PracticeInfo, PractitionerInfo
from permanence.ui.format import format_day_time

if TYPE_CHECKING:
    from permanence.core.workspace import Workspace

VERSION_ROLE = Qt.ItemDataRole.UserRole + 1


class ConsignesEditor(QDialog):
    """Dialog: section, text, and the history of that section with its older texts."""

    def __init__(
        self,
        workspace: Workspace,
        practice: PracticeInfo,
        practitioner: PractitionerInfo | None,
        *,
        section: str = "accueil",
        author: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._practice = practice
        self._practitioner = practitioner
        self._author = author
        self._loaded_text = ""
        self._loaded_section = ""
        self.saved_versions = 0
        who = practitioner.display_name if practitioner else "tout le cabinet"
        self.setWindowTitle(f"Consignes — {who}")
        self.resize(980, 600)

        self.section_box = QComboBox()
        self.section_box.setAccessibleName("Section des consignes")
        for key, label in SECTIONS.items():
            self.section_box.addItem(label, key)
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName("Texte de la section")
        self.editor.setTabChangesFocus(True)
        self.history_model = QStandardItemModel(self)
        self.history = QListView()
        self.history.setAccessibleName("Versions précédentes")
        self.history.setModel(self.history_model)
        self.history.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.old_text = QPlainTextEdit()
        self.old_text.setReadOnly(True)
        self.old_text.setAccessibleName("Texte de la version choisie")
        self.restore_button = QPushButton("&Reprendre cette version")
        self.restore_button.setEnabled(False)
        self.status = QLabel()
        self.status.setObjectName("editorStatus")
        self._build_layout()

        save = QAction("Enregistrer", self)
        save.setShortcut(QKeySequence.StandardKey.Save)
        save.triggered.connect(self.save)
        self.addAction(save)
        self.section_box.currentIndexChanged.connect(self._on_section_changed)
        self.history.selectionModel().currentChanged.connect(self._on_version_chosen)
        self.restore_button.clicked.connect(self._on_restore)
        index = self.section_box.findData(section)
        self.section_box.setCurrentIndex(max(index, 0))
        self._load_section()

    # -- public --------------------------------------------------------------------------
    @property
    def section(self) -> str:
        return str(self.section_box.currentData())

    def has_unsaved_changes(self) -> bool:
        return self.editor.toPlainText().rstrip() != self._loaded_text.rstrip()

    def save(self) -> bool:
        """Save the current section as a new version; False (with a message) on error."""
        if not self.has_unsaved_changes():
            self.status.setText("Aucune modification à enregistrer.")
            return True
        try:
            version = self._ws.consignes.update(
                self._practice.id,
                self._practitioner.id if self._practitioner else None,
                self._loaded_section,
                self.editor.toPlainText(),
                author=self._author,
            )
        except PermanenceError as exc:
            QMessageBox.warning(self, "Consignes non enregistrées", exc.message)
            return False
        self.saved_versions += 1
        self.status.setText(f"Version {version.version} enregistrée.")
        if self._loaded_section == self.section:
            self._load_section()
        else:
            self._loaded_text = self.editor.toPlainText()
        return True

    # -- slots ---------------------------------------------------------------------------
    def _on_section_changed(self, _index: int) -> None:
        if not self._loaded_section:  # first load, done by the constructor
            return
        if self._loaded_section and self._loaded_section != self.section and self._confirm_leave():
            self._load_section()
        elif self._loaded_section != self.section:
            self.section_box.blockSignals(True)
            self.section_box.setCurrentIndex(self.section_box.findData(self._loaded_section))
            self.section_box.blockSignals(False)

    def _on_version_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        version = current.data(VERSION_ROLE) if current.isValid() else None
        self.old_text.setPlainText(version.body if isinstance(version, SectionVersion) else "")
        self.restore_button.setEnabled(isinstance(version, SectionVersion))

    def _on_restore(self) -> None:
        self.editor.setPlainText(self.old_text.toPlainText())
        self.editor.setFocus()
        self.status.setText("Ancienne version reprise : enregistrez (Ctrl+S) pour la rétablir.")

    def done(self, result: int) -> None:
        if self._confirm_leave():
            super().done(result)

    # -- helpers -------------------------------------------------------------------------
    def _load_section(self) -> None:
        practitioner_id = self._practitioner.id if self._practitioner else None
        versions = self._ws.consignes.history(self._practice.id, practitioner_id, self.section)
        self._loaded_text = versions[0].body if versions else ""
        self._loaded_section = self.section
        self.editor.setPlainText(self._loaded_text)
        self.history_model.clear()
        for version in versions:
            author = f" — {version.author}" if version.author else ""
            item = QStandardItem(
                f"Version {version.version} · {format_day_time(version.created_at)}{author}"
            )
            item.setData(version, VERSION_ROLE)
            self.history_model.appendRow(item)
        if not versions:
            self.history_model.appendRow(QStandardItem("Aucune version enregistrée"))
        self.old_text.clear()
        self.restore_button.setEnabled(False)

    def _confirm_leave(self) -> bool:
        if not self.has_unsaved_changes():
            return True
        answer = QMessageBox.question(
            self,
            "Modifications non enregistrées",
            "La section a été modifiée. Enregistrer avant de continuer ?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.addRow("&Section :", self.section_box)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(form)
        text_label = QLabel("&Texte actuel (Ctrl+S pour enregistrer une nouvelle version) :")
        text_label.setBuddy(self.editor)
        left_layout.addWidget(text_label)
        left_layout.addWidget(self.editor, 1)
        left_layout.addWidget(self.status)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        history_label = QLabel("&Historique des versions :")
        history_label.setBuddy(self.history)
        right_layout.addWidget(history_label)
        right_layout.addWidget(self.history, 1)
        old_label = QLabel("Texte de la &version choisie :")
        old_label.setBuddy(self.old_text)
        right_layout.addWidget(old_label)
        right_layout.addWidget(self.old_text, 2)
        right_layout.addWidget(self.restore_button)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([600, 380])
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("&Enregistrer")
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("&Fermer")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
