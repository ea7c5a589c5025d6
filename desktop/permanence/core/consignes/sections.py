"""The sections of a consignes sheet, in the order she reads them during a call."""

from __future__ import annotations

SECTIONS: dict[str, str] = {
    "accueil": "Accueil",
    "horaires": "Horaires",
    "rendez_vous": "Rendez-vous",
    "urgences": "Urgences",
    "absences": "Absences et remplacements",
    "tarifs": "Tarifs",
    "acces": "Accès",
    "a_ne_pas_dire": "À ne pas dire",
    "transferts": "Transferts",
    "recommandations": "Recommandations aux patients",
}

MAX_SECTION_LENGTH = 20_000


def section_label(section: str) -> str:
    return SECTIONS.get(section, section)
