"""Helpers of the calls tests: a small real workspace with two practices and three doctors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from permanence.core.db.models import Practice, PracticeNumber, Practitioner
from permanence.core.workspace import Workspace

TODAY = date(2026, 11, 23)
NOON = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)  # 12 h in Paris


@dataclass(frozen=True)
class Setup:
    ws: Workspace
    martin: int  # practice "Cabinet Martin", dialed +33 4 78 60 12 34
    dentist: int  # practice "Dentiste Bellecour", dialed +33 4 78 37 52 80
    dr_martin: int
    dr_roux: int
    dr_dent: int


def add_practices(ws: Workspace) -> Setup:
    with ws.sessions.begin() as session:
        martin = Practice(key="martin", name="Cabinet Martin", kind="generaliste", position=0)
        martin.numbers.append(PracticeNumber(e164="+33478601234"))
        dentist = Practice(key="dent", name="Dentiste Bellecour", kind="dentiste", position=1)
        dentist.numbers.append(PracticeNumber(e164="+33478375280"))
        session.add_all([martin, dentist])
        session.flush()
        doctors = [
            Practitioner(
                practice_id=martin.id,
                key="martin",
                title="Dr",
                first_name="Claire",
                last_name="Martin",
                kind="generaliste",
            ),
            Practitioner(
                practice_id=martin.id,
                key="roux",
                title="Dr",
                first_name="Rémi",
                last_name="Roux",
                kind="generaliste",
            ),
            Practitioner(
                practice_id=dentist.id,
                key="dent",
                title="Dr",
                first_name="Paul",
                last_name="Dent",
                kind="dentiste",
            ),
        ]
        session.add_all(doctors)
        session.flush()
        return Setup(ws, martin.id, dentist.id, *(d.id for d in doctors))
