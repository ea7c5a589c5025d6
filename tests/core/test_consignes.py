"""Consignes keep every version; the practitioner's own text wins over the practice's."""

from __future__ import annotations

from pathlib import Path

import pytest

from permanence.core.db.models import Practice, Practitioner
from permanence.core.errors import NotFoundError, ValidationError
from permanence.core.workspace import Workspace


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = Workspace.open(tmp_path)
    with workspace.sessions.begin() as session:
        practice = Practice(key="tilleuls", name="Cabinet des Tilleuls", kind="generaliste")
        practice.practitioners.append(
            Practitioner(
                key="martin",
                title="Dr",
                first_name="Claire",
                last_name="Martin",
                kind="generaliste",
            )
        )
        session.add(practice)
    return workspace


def ids(ws: Workspace) -> tuple[int, int]:
    practice = ws.practices.list()[0]
    return practice.id, practice.practitioners[0].id


def test_edit_keeps_history(ws: Workspace) -> None:
    practice_id, doctor_id = ids(ws)
    ws.consignes.update(practice_id, doctor_id, "urgences", "Appeler le 15.", author="Sophie")
    ws.consignes.update(
        practice_id, doctor_id, "urgences", "Appeler le 15 ; me prévenir.", author="Sophie"
    )
    history = ws.consignes.history(practice_id, doctor_id, "urgences")
    assert [v.version for v in history] == [2, 1]
    assert history[1].body == "Appeler le 15."
    current = ws.consignes.current(practice_id, doctor_id).section("urgences")
    assert current.body == "Appeler le 15 ; me prévenir." and current.version == 2


def test_unchanged_text_adds_no_version(ws: Workspace) -> None:
    practice_id, doctor_id = ids(ws)
    ws.consignes.update(practice_id, doctor_id, "tarifs", "30 €")
    ws.consignes.update(practice_id, doctor_id, "tarifs", "30 €\n")
    assert len(ws.consignes.history(practice_id, doctor_id, "tarifs")) == 1


def test_practice_text_fills_missing_sections(ws: Workspace) -> None:
    practice_id, doctor_id = ids(ws)
    ws.consignes.update(practice_id, None, "acces", "Tram T1, arrêt Tilleuls.")
    section = ws.consignes.current(practice_id, doctor_id).section("acces")
    assert section.body == "Tram T1, arrêt Tilleuls." and section.from_practice
    ws.consignes.update(practice_id, doctor_id, "acces", "Entrée par la cour.")
    section = ws.consignes.current(practice_id, doctor_id).section("acces")
    assert section.body == "Entrée par la cour." and not section.from_practice


def test_sections_come_in_reading_order(ws: Workspace) -> None:
    practice_id, doctor_id = ids(ws)
    keys = [s.section for s in ws.consignes.current(practice_id, doctor_id).sections]
    assert keys[:4] == ["accueil", "horaires", "rendez_vous", "urgences"]
    assert len(keys) == 10


def test_bad_edits_are_refused_and_nothing_saved(ws: Workspace) -> None:
    practice_id, doctor_id = ids(ws)
    with pytest.raises(ValidationError, match="Section de consignes inconnue"):
        ws.consignes.update(practice_id, doctor_id, "blabla", "x")
    with pytest.raises(ValidationError, match="trop longue"):
        ws.consignes.update(practice_id, doctor_id, "accueil", "x" * 30_000)
    with pytest.raises(NotFoundError, match="n'existe plus"):
        ws.consignes.update(practice_id, 999, "accueil", "Bonjour")
    assert ws.consignes.history(practice_id, doctor_id, "accueil") == []


def test_values_are_immutable(ws: Workspace) -> None:
    import dataclasses

    practice = ws.practices.list()[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        practice.name = "autre"  # type: ignore[misc]
