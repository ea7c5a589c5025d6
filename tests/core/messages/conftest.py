"""A demo workspace per test, a fixed "now" (Monday 23 November 2026, 10 h in Paris)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from permanence.core.demo import create_demo_workspace
from permanence.core.messages import MessageDraft
from permanence.core.practices.values import PractitionerInfo
from permanence.core.workspace import Workspace

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 10 h in Paris


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = create_demo_workspace(tmp_path / "ws", today=TODAY)
    yield workspace
    workspace.close()


@pytest.fixture
def martin(ws: Workspace) -> PractitionerInfo:
    for practice in ws.practices.list():
        for practitioner in practice.practitioners:
            if practitioner.last_name == "Martin":
                return practitioner
    raise AssertionError("le Dr Martin manque dans la démo")


@pytest.fixture
def roux(ws: Workspace, martin: PractitionerInfo) -> PractitionerInfo:
    practice = ws.practices.get(martin.practice_id)
    return next(p for p in practice.practitioners if p.last_name == "Roux")


@pytest.fixture
def draft(martin: PractitionerInfo) -> MessageDraft:
    return MessageDraft(
        practice_id=martin.practice_id,
        practitioner_id=martin.id,
        caller_civility="Madame",
        caller_first_name="Marie",
        caller_last_name="Dupont",
        callback_number="06 12 34 56 78",
        reason="Résultats de prise de sang",
        body="Souhaite un commentaire sur son bilan thyroïdien.",
        callback_day=TODAY,
    )
