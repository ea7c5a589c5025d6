"""TriagePanel: the motif typed as the caller speaks, assessed as she types.

Usable on its own or inside the answering screen: `set_context()` gives the practice kind,
the practitioner's "urgences" consignes and the age when known. Assessing a reason takes
about a millisecond, so it runs on the GUI thread after a short pause in typing.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from permanence.core.triage import (
    Assessment,
    Catalog,
    Level,
    Override,
    ParsedOverrides,
    assess,
    default_catalog,
    format_age,
    parse_age_text,
    parse_overrides,
    practice_kinds,
)
from permanence.ui.triage.banner import LevelBanner, emergency_script, vital_script
from permanence.ui.triage.evidence import highlighted_html
from permanence.ui.triage.override import LevelOverrideBox

DEBOUNCE_MS = 150
OVERRIDE_NOTE = "niveau modifié par la secrétaire"
NO_RULE = "Aucun motif reconnu — demander des précisions"


class TriagePanel(QWidget):
    """Motif field, practice kind, age, level banner, evidence and script, level override."""

    #: a new assessment is shown (the Assessment value).
    assessmentChanged = Signal(object)
    #: booking became allowed (True) or forbidden (False, vital level).
    bookingAllowedChanged = Signal(bool)
    #: the secretary chose another level (level id, reason); to be stored with the call.
    overrideChosen = Signal(str, str)

    def __init__(self, parent: QWidget | None = None, *, catalog: Catalog | None = None) -> None:
        super().__init__(parent)
        self._given_catalog = catalog  # the shipped one is loaded at the first assessment
        self._overrides: tuple[Override, ...] = ()
        self._consignes_problems: tuple[str, ...] = ()
        self._age_years: float | None = None
        self._assessment: Assessment | None = None
        self._secretary: tuple[Level, str] | None = None
        self._booking_allowed = True
        self._unknown_kind: str | None = None  # a kind the catalog does not know
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._on_typing_paused)
        self._build(catalog)

    # --- construction -------------------------------------------------------------------

    @property
    def _catalog(self) -> Catalog:
        return self._given_catalog or default_catalog()

    def _build(self, catalog: Catalog | None) -> None:
        self.kind_box = QComboBox()
        self.kind_box.setAccessibleName("Type de cabinet")
        kinds = catalog.kinds if catalog is not None else practice_kinds()
        for kind, label in kinds.items():
            self.kind_box.addItem(label, kind)
        self.age_edit = QLineEdit()
        self.age_edit.setAccessibleName("Âge de la personne concernée")
        self.age_edit.setPlaceholderText("facultatif, ex. 45 ans, 6 semaines")
        self.age_error = QLabel()
        self.age_error.setStyleSheet("color: #b3261e;")
        self.age_error.hide()
        self.motif_edit = QPlainTextEdit()
        self.motif_edit.setAccessibleName("Motif de l'appel")
        self.motif_edit.setPlaceholderText("Ce que dit l'appelant, avec ses mots…")
        self.motif_edit.setTabChangesFocus(True)
        self.motif_edit.setFixedHeight(self.motif_edit.fontMetrics().lineSpacing() * 4 + 12)
        self.banner = LevelBanner()
        self.evidence_label = self._rich_label("Motif avec les mots déclencheurs surlignés")
        self.booking_label = QLabel()
        self.booking_label.setObjectName("triageBooking")
        self.booking_label.setWordWrap(True)
        self.notes_label = QLabel()
        self.notes_label.setObjectName("triageNotes")
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet("color: palette(placeholder-text);")
        self.override_box = LevelOverrideBox()
        self._lay_out()
        self.motif_edit.textChanged.connect(self._on_motif_changed)
        self.kind_box.currentIndexChanged.connect(self._on_kind_changed)
        self.age_edit.textChanged.connect(self._on_age_changed)
        self.override_box.chosen.connect(self._on_override_chosen)
        self.override_box.cleared.connect(self._on_override_cleared)
        self._show()

    @staticmethod
    def _rich_label(name: str) -> QLabel:
        label = QLabel()
        label.setAccessibleName(name)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _lay_out(self) -> None:
        form = QFormLayout()
        for text, widget in (
            ("&Cabinet :", self.kind_box),
            ("Â&ge :", self.age_edit),
            ("&Motif de l'appel :", self.motif_edit),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow("", self.age_error)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.banner)
        layout.addWidget(QLabel("Mots déclencheurs :"))
        layout.addWidget(self.evidence_label)
        layout.addWidget(self.booking_label)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.override_box)
        layout.addStretch(1)
        self.setTabOrder(self.kind_box, self.age_edit)
        self.setTabOrder(self.age_edit, self.motif_edit)
        self.setTabOrder(self.motif_edit, self.override_box.level_box)

    # --- public API ---------------------------------------------------------------------

    def set_context(
        self,
        practice_kind: str,
        overrides: str | Sequence[Override] | ParsedOverrides = (),
        age_years: float | None = None,
    ) -> None:
        """Practice kind, the practitioner's urgences consignes (text or parsed), the age."""
        if isinstance(overrides, str):
            overrides = parse_overrides(overrides)
        if isinstance(overrides, ParsedOverrides):
            self._consignes_problems = overrides.problems
            overrides = overrides.overrides
        else:
            self._consignes_problems = ()
        self._overrides = tuple(overrides)
        index = self.kind_box.findData(practice_kind)
        self.kind_box.blockSignals(True)
        self.kind_box.setCurrentIndex(index)  # -1 (no selection) for an unknown kind
        self.kind_box.blockSignals(False)
        self._unknown_kind = practice_kind if index < 0 else None
        self.age_edit.blockSignals(True)
        self.age_edit.setText("" if age_years is None else format_age(age_years))
        self.age_edit.blockSignals(False)
        self._age_years = age_years
        self._set_secretary(None)
        self.assess_now()

    def set_motif(self, text: str) -> None:
        """Replace the motif text (the assessment follows after the usual pause)."""
        self.motif_edit.setPlainText(text)

    def motif(self) -> str:
        return self.motif_edit.toPlainText()

    def assess_now(self) -> None:
        """Assess immediately instead of waiting for the pause in typing."""
        self._timer.stop()
        self._refresh()

    @property
    def assessment(self) -> Assessment | None:
        """The assessment shown, None while the motif is empty."""
        return self._assessment

    @property
    def booking_allowed(self) -> bool:
        """False while the level shown is vital: never book, tell the caller to call 15."""
        return self._booking_allowed

    @property
    def effective_level(self) -> Level | None:
        """The secretary's level when she overrode it, else the computed level."""
        if self._secretary is not None:
            return self._secretary[0]
        return self._assessment.level if self._assessment else None

    @property
    def secretary_override(self) -> tuple[Level, str] | None:
        """(level, reason) chosen by the secretary, to store with the call."""
        return self._secretary

    def clear_override(self) -> None:
        self.override_box.reset()
        self._set_secretary(None)
        self._show()

    # --- slots --------------------------------------------------------------------------

    def _on_motif_changed(self) -> None:
        self._timer.start()

    def _on_typing_paused(self) -> None:
        self._refresh()

    def _on_kind_changed(self, _index: int) -> None:
        self._unknown_kind = None
        self._timer.start()

    def _on_age_changed(self, text: str) -> None:
        try:
            self._age_years = parse_age_text(text)
        except ValueError as exc:
            self.age_error.setText(str(exc))
            self.age_error.show()
            return
        self.age_error.hide()
        self._timer.start()

    def _on_override_chosen(self, level: str, reason: str) -> None:
        self._set_secretary((Level(level), reason))
        self._show()
        self.overrideChosen.emit(level, reason)

    def _on_override_cleared(self) -> None:
        self._set_secretary(None)
        self._show()

    # --- internals ----------------------------------------------------------------------

    def _kind(self) -> str:
        if self._unknown_kind is not None:
            return self._unknown_kind
        return str(self.kind_box.currentData() or "")

    def _set_secretary(self, choice: tuple[Level, str] | None) -> None:
        self._secretary = choice

    def _refresh(self) -> None:
        text = self.motif()
        if text.strip():
            self._assessment = assess(
                text,
                self._kind(),
                age_years=self._age_years,
                overrides=self._overrides,
                catalog=self._catalog,
            )
        else:
            self._assessment = None
        self._show()
        self.assessmentChanged.emit(self._assessment)

    def _show(self) -> None:
        assessment = self._assessment
        if assessment is None:
            self.banner.show_waiting()
            self.evidence_label.setText("")
            self.notes_label.setText("")
            self._update_booking(True)
            return
        level = self.effective_level or assessment.level
        note = ""
        if self._secretary is not None:
            note = (
                f"{OVERRIDE_NOTE} ({assessment.level.label} → {level.label}) : {self._secretary[1]}"
            )
        rule = assessment.rule.label if assessment.rule else NO_RULE
        self.banner.show_assessment(level, rule, self._script(assessment, level), note)
        evidence = tuple(
            e for m in assessment.matched if m.level is assessment.level for e in m.evidence
        )
        self.evidence_label.setText(highlighted_html(assessment.text, evidence))
        self.notes_label.setText("\n".join([*assessment.notes, *self._consignes_problems]))
        if self._secretary is None:
            self.override_box.select_level(assessment.level)
        self._update_booking(level is not Level.VITAL)

    def _script(self, assessment: Assessment, level: Level) -> str:
        if level is assessment.level:
            if level is Level.VITAL:
                return vital_script(assessment.disposition)
            return assessment.disposition
        if level is Level.VITAL:
            return emergency_script(assessment.emergency_numbers)
        return self._catalog.levels[level].disposition

    def _update_booking(self, allowed: bool) -> None:
        if allowed:
            self.booking_label.setText("Prise de rendez-vous possible.")
        else:
            self.booking_label.setText("Prise de rendez-vous désactivée : urgence vitale.")
        if allowed != self._booking_allowed:
            self._booking_allowed = allowed
            self.bookingAllowedChanged.emit(allowed)
