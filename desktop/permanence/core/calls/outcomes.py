"""How a call ends: fixed identifiers (files, CLI, tests) and their French labels."""

from __future__ import annotations

OUTCOMES: tuple[str, ...] = (
    "rdv",
    "message",
    "transfert",
    "information",
    "demarchage",
    "faux_numero",
    "raccroche",
)

OUTCOME_LABELS: dict[str, str] = {
    "rdv": "Rendez-vous",
    "message": "Message",
    "transfert": "Transfert",
    "information": "Information",
    "demarchage": "Démarchage",
    "faux_numero": "Faux numéro",
    "raccroche": "Raccroché avant l'échange",
}

#: The triage levels a call may carry (identifiers fixed by DESIGN.md).
TRIAGE_LEVELS: tuple[str, ...] = ("vital", "urgent", "soon", "routine")

MISSING_OUTCOME = "Choisissez l'issue de l'appel avant de le clore."


def outcome_label(outcome: str | None) -> str:
    """ "Rendez-vous" for "rdv"; an empty string while the call has no outcome."""
    if outcome is None:
        return ""
    return OUTCOME_LABELS.get(outcome, outcome)
