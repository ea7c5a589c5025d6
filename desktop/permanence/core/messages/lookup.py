"""Finding a practitioner by name, as typed on a command line ("martin", "Dr Martin")."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

from permanence.core.errors import ValidationError
from permanence.core.practices.values import PracticeInfo, PractitionerInfo
from permanence.core.text import fold

_TITLES = ("dr ", "dr. ", "docteur ", "pr ", "professeur ", "m. ", "mme ", "madame ", "monsieur ")


def find_practitioner(practices: Sequence[PracticeInfo], wanted: str) -> PractitionerInfo:
    """Accents, case and title ignored; ValidationError (French, with suggestions) when
    unknown or ambiguous."""
    everyone = [p for practice in practices for p in practice.practitioners]
    key = _strip_title(fold(wanted))
    names = {p.id: _names(p) for p in everyone}
    exact = [p for p in everyone if key in names[p.id]]
    if len(exact) == 1:
        return exact[0]
    partial = exact or [p for p in everyone if key and any(key in n for n in names[p.id])]
    if len(partial) == 1:
        return partial[0]
    if partial:
        listed = ", ".join(f"« {p.display_name} »" for p in partial)
        raise ValidationError(
            f"Plusieurs praticiens correspondent à « {wanted} » : {listed}. Précisez."
        )
    choices = {fold(p.display_name): p.display_name for p in everyone}
    best = process.extract(key, list(choices), scorer=fuzz.WRatio, score_cutoff=60, limit=3)
    hint = ", ".join(f"« {choices[b[0]]} »" for b in best) or "aucun"
    raise ValidationError(f"Praticien inconnu : « {wanted} ». Suggestions : {hint}.")


def _strip_title(text: str) -> str:
    for title in _TITLES:
        if text.startswith(title):
            return text[len(title) :].strip()
    return text


def _names(p: PractitionerInfo) -> tuple[str, ...]:
    first, last = fold(p.first_name), fold(p.last_name)
    return (last, f"{first} {last}".strip(), f"{last} {first}".strip(), fold(p.key))
