"""TriagePanel: live assessment, banner, booking flag, secretary override, rendering."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from permanence.core.triage import Assessment, Level
from permanence.ui.triage import TriagePanel
from permanence.ui.triage.override import REASON_MISSING


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """keyClicks aborts on non-ASCII with Qt 6.12: send such characters one by one."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            QTest.sendKeyEvent(
                QTest.KeyAction.Click,
                widget,
                Qt.Key.Key_unknown,
                ch,
                Qt.KeyboardModifier.NoModifier,
            )


@pytest.fixture
def panel(qtbot: QtBot) -> TriagePanel:
    widget = TriagePanel()
    qtbot.addWidget(widget)
    widget.resize(620, 720)
    widget.set_context("generaliste")
    return widget


def test_typing_assesses_once_after_a_pause(qtbot: QtBot, panel: TriagePanel) -> None:
    with qtbot.waitSignal(panel.assessmentChanged, timeout=2000) as blocker:
        type_text(qtbot, panel.motif_edit, "douleur à la poitrine")
    assessment = blocker.args[0]
    assert isinstance(assessment, Assessment) and assessment.level is Level.VITAL
    assert panel.banner.level_word.text() == "VITAL"
    assert "Raccrochez et appelez le 15" in panel.banner.script.text()
    assert "<span" in panel.evidence_label.text() and "poitrine" in panel.evidence_label.text()


def test_vital_disables_booking_and_back(qtbot: QtBot, panel: TriagePanel) -> None:
    assert panel.booking_allowed
    with qtbot.waitSignal(panel.bookingAllowedChanged, timeout=2000) as blocker:
        panel.set_motif("il ne respire plus")
    assert blocker.args == [False] and not panel.booking_allowed
    assert "désactivée" in panel.booking_label.text()
    with qtbot.waitSignal(panel.bookingAllowedChanged, timeout=2000) as blocker:
        panel.set_motif("renouvellement d'ordonnance")
    assert blocker.args == [True] and panel.booking_allowed


@pytest.mark.parametrize(
    "text, word",
    [
        ("rage de dent depuis cette nuit", "URGENT"),
        ("mal aux dents depuis 2 jours", "SOUS 48 H"),
        ("détartrage", "PROGRAMMÉ"),
    ],
)
def test_every_level_shows_its_word(qtbot: QtBot, panel: TriagePanel, text: str, word: str) -> None:
    panel.set_context("dentiste")
    panel.set_motif(text)
    panel.assess_now()
    assert panel.banner.level_word.text() == word


def test_override_requires_a_reason(qtbot: QtBot, panel: TriagePanel) -> None:
    panel.set_motif("douleur thoracique")
    panel.assess_now()
    with qtbot.assertNotEmitted(panel.overrideChosen):
        qtbot.mouseClick(panel.override_box.apply_button, Qt.MouseButton.LeftButton)
    assert panel.override_box.error.isVisibleTo(panel)
    assert panel.override_box.error.text() == REASON_MISSING
    assert panel.effective_level is Level.VITAL


def test_override_with_reason(qtbot: QtBot, panel: TriagePanel) -> None:
    panel.set_motif("douleur thoracique")
    panel.assess_now()
    panel.override_box.select_level(Level.URGENT)
    type_text(qtbot, panel.override_box.reason_edit, "le SAMU est déjà prévenu")
    with qtbot.waitSignal(panel.overrideChosen, timeout=1000) as blocker:
        qtbot.mouseClick(panel.override_box.apply_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["urgent", "le SAMU est déjà prévenu"]
    assert panel.effective_level is Level.URGENT and panel.booking_allowed
    assert "niveau modifié par la secrétaire" in panel.banner.override_note.text()
    assert panel.secretary_override == (Level.URGENT, "le SAMU est déjà prévenu")
    panel.clear_override()
    assert panel.effective_level is Level.VITAL and not panel.booking_allowed


def test_context_with_consignes_and_age(qtbot: QtBot, panel: TriagePanel) -> None:
    panel.set_context(
        "pediatre",
        "« fièvre enfant » → urgent : me transférer au 06 12 34 56 78\n« x » → ??",
        age_years=4,
    )
    panel.set_motif("il a 38,5 depuis ce matin")
    panel.assess_now()
    assert panel.assessment is not None and panel.assessment.level is Level.URGENT
    assert "06 12 34 56 78" in panel.banner.script.text()
    assert "ligne 2" in panel.notes_label.text()
    assert panel.age_edit.text() == "4 ans"


def test_age_field(qtbot: QtBot, panel: TriagePanel) -> None:
    panel.set_context("pediatre")
    type_text(qtbot, panel.age_edit, "6 semaines")
    panel.set_motif("il a 38,2")
    panel.assess_now()
    assert panel.assessment is not None and panel.assessment.level is Level.URGENT
    panel.age_edit.setText("bientôt grand")
    assert panel.age_error.isVisibleTo(panel) and "non compris" in panel.age_error.text()


def test_unknown_kind_is_noted(qtbot: QtBot, panel: TriagePanel) -> None:
    panel.set_context("boulangerie")
    panel.set_motif("devis")
    panel.assess_now()
    assert "type de cabinet inconnu" in panel.notes_label.text()


def test_inputs_have_french_accessible_names(panel: TriagePanel) -> None:
    inputs = (
        panel.findChildren(QLineEdit)
        + panel.findChildren(QPlainTextEdit)
        + panel.findChildren(QComboBox)
    )
    assert len(inputs) >= 5
    for widget in inputs:
        assert widget.accessibleName(), widget


def test_empty_motif_shows_waiting(panel: TriagePanel) -> None:
    panel.set_motif("")
    panel.assess_now()
    assert panel.assessment is None and panel.banner.level_word.text() == "EN ATTENTE"


@pytest.mark.parametrize(
    "name, kind, text",
    [
        (
            "vital",
            "generaliste",
            "mon mari a une douleur dans la poitrine qui serre depuis 20 minutes",
        ),
        ("urgent", "dentiste", "joue gonflée depuis hier soir, ça lance, j'ai 38,5"),
        ("routine", "generaliste", "je voudrais renouveler mon ordonnance"),
    ],
)
def test_renders_to_png(
    panel: TriagePanel, tmp_path: Path, name: str, kind: str, text: str
) -> None:
    panel.set_context(kind)
    panel.set_motif(text)
    panel.assess_now()
    panel.show()
    image = panel.grab().toImage()
    path = tmp_path / f"triage_{name}.png"
    assert image.save(str(path)) and path.stat().st_size > 1000
    banner = panel.banner.mapTo(panel, panel.banner.rect().center())
    colour = image.pixelColor(banner.x() + panel.banner.width() // 2 - 10, banner.y())
    expected = {"vital": "#b3261e", "urgent": "#b85400", "routine": "#2e7d32"}[name]
    assert colour.name() == expected
