from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import delete, func, select

from permanence.core.db.models import Message, Practitioner
from permanence.core.errors import NotFoundError, ValidationError
from permanence.core.messages import MessageDraft
from permanence.core.practices.values import PractitionerInfo
from permanence.core.workspace import Workspace

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def count(ws: Workspace) -> int:
    with ws.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Message)) or 0)


def test_save_confirmed_records_the_readback(ws: Workspace, draft: MessageDraft) -> None:
    info = ws.messages.save(
        draft, confirmed=True, readback_text="Je récapitule : …", by="Sophie", now=NOW
    )
    assert info.confirmed and info.confirmed_at == NOW
    assert info.status == "nouveau"
    assert info.draft.callback_number == "+33612345678"
    assert info.callback_display == "06 12 34 56 78"
    assert info.caller_name == "Madame Marie DUPONT"
    assert info.practitioner_name == "Dr Claire Martin"
    assert info.practice_name == "Cabinet médical des Tilleuls"
    assert ws.messages.get(info.id) == info
    [event] = ws.messages.events(info.id)
    assert (event.kind, event.by, event.detail) == (
        "relecture",
        "Sophie",
        "Confirmé par l'appelant.",
    )


def test_confirmed_needs_a_readback_and_unconfirmed_a_reason(
    ws: Workspace, draft: MessageDraft
) -> None:
    before = count(ws)
    with pytest.raises(ValidationError, match="reformulé"):
        ws.messages.save(draft, confirmed=True, readback_text=" ", by="Sophie", now=NOW)
    with pytest.raises(ValidationError, match="doit indiquer pourquoi"):
        ws.messages.save(draft, confirmed=False, readback_text="…", by="Sophie", now=NOW)
    assert count(ws) == before
    info = ws.messages.save(
        draft,
        confirmed=False,
        readback_text="…",
        unconfirmed_reason="L'appelant a raccroché",
        by="Sophie",
        now=NOW,
    )
    assert not info.confirmed and info.unconfirmed_reason == "L'appelant a raccroché"
    assert ws.messages.events(info.id)[0].detail == "Non confirmé : L'appelant a raccroché"


def test_bad_input_saves_nothing(ws: Workspace, draft: MessageDraft) -> None:
    before = count(ws)
    bad = replace(draft, callback_number="12", reason="", body="")
    with pytest.raises(ValidationError) as error:
        ws.messages.save(bad, confirmed=True, readback_text="…", by="Sophie", now=NOW)
    assert "Le message est vide" in str(error.value)
    assert "« 12 » n'est pas valide" in str(error.value)
    inverted = replace(draft, callback_after=time(14), callback_before=time(12))
    with pytest.raises(ValidationError, match="inversé"):
        ws.messages.save(inverted, confirmed=True, readback_text="…", by="Sophie", now=NOW)
    assert count(ws) == before


def test_practitioner_deleted_meanwhile(ws: Workspace, draft: MessageDraft) -> None:
    gone = replace(draft, practitioner_id=9999)
    with pytest.raises(NotFoundError, match="n'existe plus ; le message n'est pas perdu"):
        ws.messages.save(gone, confirmed=True, readback_text="…", by="Sophie", now=NOW)
    with pytest.raises(NotFoundError, match="Praticien introuvable"):
        ws.messages.for_practitioner(9999)


def test_correction_needs_a_new_readback(ws: Workspace, draft: MessageDraft) -> None:
    info = ws.messages.save(draft, confirmed=True, readback_text="v1", by="Sophie", now=NOW)
    fixed = replace(draft, callback_number="06 98 76 54 32", callback_before=time(18))
    later = NOW + timedelta(minutes=1)
    corrected = ws.messages.correct(info.id, fixed, "v2", "Sophie", now=later)
    assert not corrected.confirmed and corrected.confirmed_at is None
    assert corrected.readback_text == "v2"
    event = ws.messages.events(info.id)[-1]
    assert event.kind == "correction"
    assert event.detail == (
        "Numéro de rappel : 06 12 34 56 78 → 06 98 76 54 32\nAvant : (vide) → 18 h"
    )
    confirmed = ws.messages.confirm(info.id, "Sophie", now=later)
    assert confirmed.confirmed and confirmed.confirmed_at == later
    with pytest.raises(ValidationError, match="déjà confirmé"):
        ws.messages.confirm(info.id, "Sophie", now=later)
    assert [e.kind for e in ws.messages.events(info.id)] == ["relecture", "correction", "relecture"]


def test_lifecycle_forward_only_unless_admin(ws: Workspace, draft: MessageDraft) -> None:
    info = ws.messages.save(draft, confirmed=True, readback_text="…", by="Sophie", now=NOW)
    assert ws.messages.set_status(info.id, "transmis", by="Sophie", now=NOW).status == "transmis"
    read = ws.messages.set_status(info.id, "rappelé", by="Dr Martin", note="RDV jeudi", now=NOW)
    assert read.status == "rappelé" and read.practitioner_note == "RDV jeudi"
    with pytest.raises(ValidationError, match="« Rappelé » ne peut pas revenir à « Lu »"):
        ws.messages.set_status(info.id, "lu", by="Dr Martin", now=NOW)
    with pytest.raises(ValidationError, match="déjà « Rappelé »"):
        ws.messages.set_status(info.id, "rappelé", by="Dr Martin", now=NOW)
    with pytest.raises(ValidationError, match="Statut inconnu"):
        ws.messages.set_status(info.id, "perdu", by="Dr Martin", now=NOW)
    back = ws.messages.set_status(info.id, "lu", by="Admin", admin=True, now=NOW)
    assert back.status == "lu"
    noted = ws.messages.add_note(info.id, "Rappelée, RDV donné jeudi", "Dr Martin", now=NOW)
    assert noted.practitioner_note == "RDV jeudi\nRappelée, RDV donné jeudi"
    with pytest.raises(ValidationError, match="vide"):
        ws.messages.add_note(info.id, "  ", "Dr Martin")
    moves = [
        (e.from_status, e.to_status, e.by)
        for e in ws.messages.events(info.id)
        if e.kind == "statut"
    ]
    assert moves == [
        ("nouveau", "transmis", "Sophie"),
        ("transmis", "rappelé", "Dr Martin"),
        ("rappelé", "lu", "Admin"),
    ]
    with pytest.raises(NotFoundError, match="Message introuvable"):
        ws.messages.set_status(123456, "lu", by="x")


def test_practitioner_view_urgent_first_with_copies(
    ws: Workspace, draft: MessageDraft, martin: PractitionerInfo, roux: PractitionerInfo
) -> None:
    first = ws.messages.save(draft, confirmed=True, readback_text="a", by="S", now=NOW)
    urgent = ws.messages.save(
        replace(draft, urgent=True),
        confirmed=True,
        readback_text="b",
        by="S",
        now=NOW + timedelta(hours=1),
    )
    copy = ws.messages.save(
        replace(draft, practitioner_id=roux.id, copy_to_practitioner_id=martin.id),
        confirmed=True,
        readback_text="c",
        by="S",
        now=NOW + timedelta(hours=2),
    )
    ids = [m.id for m in ws.messages.for_practitioner(martin.id, day=TODAY)]
    assert ids == [urgent.id, first.id, copy.id]
    assert copy.id not in [
        m.id for m in ws.messages.for_practitioner(martin.id, day=TODAY, include_copies=False)
    ]
    since = [
        m.id for m in ws.messages.for_practitioner(martin.id, since=NOW + timedelta(minutes=30))
    ]
    assert since == [urgent.id, copy.id]
    assert ws.messages.for_practitioner(martin.id, day=date(2026, 11, 24)) == []


def test_callbacks_due_and_overdue(ws: Workspace, draft: MessageDraft) -> None:
    window = replace(draft, callback_after=time(12), callback_before=time(14))
    asap = replace(draft, callback_day=None)
    a = ws.messages.save(window, confirmed=True, readback_text="…", by="S", now=NOW)
    b = ws.messages.save(asap, confirmed=True, readback_text="…", by="S", now=NOW)
    at_noon = datetime(2026, 11, 23, 11, 30, tzinfo=UTC)  # 12 h 30 in Paris
    callbacks = {
        c.source_id: c
        for c in ws.messages.callbacks(at_noon, practitioner_id=draft.practitioner_id)
    }
    assert callbacks[a.id].due_at == datetime(2026, 11, 23, 13, 0, tzinfo=UTC)  # 14 h Paris
    assert callbacks[a.id].window_start == datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
    assert callbacks[a.id].state == "à faire"
    assert callbacks[b.id].due_at == NOW + timedelta(hours=2)
    assert callbacks[b.id].state == "en retard" and callbacks[b.id].overdue
    assert callbacks[a.id].uid == f"message-{a.id}@permanence"
    assert callbacks[a.id].initials == "M. D." and callbacks[a.id].number == "06 12 34 56 78"
    ws.messages.set_status(a.id, "rappelé", by="Dr Martin", now=NOW)
    assert a.id not in {c.source_id for c in ws.messages.callbacks(at_noon)}


def test_follow_ups_appear_among_callbacks(ws: Workspace, martin: PractitionerInfo) -> None:
    due = datetime.now(UTC) + timedelta(hours=3)
    follow_up = ws.followups.create(
        "Rappeler pour confirmer le RDV",
        due,
        practice_id=martin.practice_id,
        practitioner_id=martin.id,
        created_by="Sophie",
    )
    found = [c for c in ws.messages.callbacks(practitioner_id=martin.id) if c.source == "suivi"]
    assert [(c.source_id, c.uid, c.reason) for c in found] == [
        (follow_up.id, f"followup-{follow_up.id}@permanence", "Rappeler pour confirmer le RDV")
    ]


def test_deleting_the_practitioner_keeps_the_message(ws: Workspace, draft: MessageDraft) -> None:
    info = ws.messages.save(draft, confirmed=True, readback_text="…", by="S", now=NOW)
    with ws.sessions.begin() as session:
        session.execute(delete(Practitioner).where(Practitioner.id == draft.practitioner_id))
    kept = ws.messages.get(info.id)
    assert kept.draft.practitioner_id is None and kept.readback_text == "…"
    with pytest.raises(NotFoundError, match="n'existe plus"):
        ws.messages.correct(info.id, draft, "v2", "S", now=NOW)
