"""Practice kinds: identifiers are fixed (files, CLI, triage); labels are French."""

from __future__ import annotations

PRACTICE_KINDS: dict[str, str] = {
    "generaliste": "Médecine générale",
    "pediatre": "Pédiatrie",
    "dentiste": "Chirurgie dentaire",
    "kine": "Kinésithérapie",
    "psy": "Psychologie",
    "sage_femme": "Sage-femme",
    "infirmier": "Soins infirmiers",
    "ophtalmo": "Ophtalmologie",
    "dermato": "Dermatologie",
    "autre": "Autre activité",
}


def kind_label(kind: str) -> str:
    return PRACTICE_KINDS.get(kind, kind)
