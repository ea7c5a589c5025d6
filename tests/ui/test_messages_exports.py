"""Practitioner view exports: PDF since the last one, callbacks with a privacy level."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from icalendar import Calendar
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from permanence.core.messages import MessageDraft
from permanence.core.workspace import Workspace
from permanence.ui.messages import PractitionerMessagesView


def save_message(ws: Workspace, practitioner_id: int, surname: str, when: datetime) -> None:
    practice_id = ws.practices.practitioner(practitioner_id).practice_id
    ws.messages.save(
        MessageDraft(
            practice_id=practice_id,
            practitioner_id=practitioner_id,
            caller_civility="Monsieur",
            caller_first_name="Paul",
            caller_last_name=surname,
            callback_number="06 98 76 54 32",
            reason="Renouvellement d'ordonnance",
        ),
        confirmed=True,
        readback_text="Je récapitule…",
        by="Sophie",
        now=when,
    )


def pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def test_pdf_since_the_last_one(qtbot: QtBot, demo_ws: Workspace, tmp_path: Path) -> None:
    doctor = demo_ws.practices.list()[0].practitioners[0]
    now = datetime.now(UTC)
    save_message(demo_ws, doctor.id, "Premier", now - timedelta(minutes=30))
    view = PractitionerMessagesView(demo_ws)
    qtbot.addWidget(view)
    view.show_practitioner(doctor.id)
    assert view.export_pdf(tmp_path / "un.pdf")
    assert "PREMIER" in pdf_text(tmp_path / "un.pdf").upper()
    save_message(demo_ws, doctor.id, "Second", datetime.now(UTC) + timedelta(seconds=1))
    view.since_last.setChecked(True)
    assert view.export_pdf(tmp_path / "deux.pdf")
    text = pdf_text(tmp_path / "deux.pdf").upper()
    assert "SECOND" in text and "PREMIER" not in text


def test_callbacks_export_privacy_and_events(
    qtbot: QtBot, demo_ws: Workspace, tmp_path: Path
) -> None:
    doctor = demo_ws.practices.list()[0].practitioners[0]
    save_message(demo_ws, doctor.id, "Martinez", datetime.now(UTC))
    view = PractitionerMessagesView(demo_ws)
    qtbot.addWidget(view)
    view.show_practitioner(doctor.id)
    view.ics_privacy.setCurrentIndex(view.ics_privacy.findData("minimal"))
    assert view.export_ics(tmp_path / "rappels.ics")
    todos = Calendar.from_ical((tmp_path / "rappels.ics").read_bytes()).walk("VTODO")
    assert todos and {str(t["SUMMARY"]) for t in todos} == {"Rappel patient"}
    view.ics_privacy.setCurrentIndex(view.ics_privacy.findData("full"))
    view.ics_events.setChecked(True)
    assert view.export_ics(tmp_path / "rappels.ics")
    events = Calendar.from_ical((tmp_path / "rappels.ics").read_bytes()).walk("VEVENT")
    assert any("MARTINEZ" in str(e["SUMMARY"]).upper() for e in events)
    assert {str(e["UID"]) for e in events} >= {str(t["UID"]) for t in todos}
