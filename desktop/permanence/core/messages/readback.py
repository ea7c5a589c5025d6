"""The readback ("reformulation"): the French text read aloud to the caller before saving.

Pure: a function of the form's values, the practitioner and `now`. Order follows what a good
message holds: who calls (surname in capitals, then spelled), for whom, the reason, then the
callback number read in pairs and the callback wish.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from permanence.core.messages.french import about, number_phrase, when_phrase
from permanence.core.messages.values import MessageDraft, civility, person_name
from permanence.core.practices.values import PractitionerInfo
from permanence.core.spelling import spell
from permanence.core.text import fold

DEFAULT_TZ = "Europe/Paris"


def readback_text(
    draft: MessageDraft,
    *,
    practitioner: PractitionerInfo | None,
    practice_name: str,
    now: datetime,
) -> str:
    """« Je récapitule : Madame Marie DUPONT, D comme Désiré, …, vous appelez pour le docteur
    Martin au sujet de … ; vous souhaitez être rappelée au 06 12 34 56 78, aujourd'hui entre
    12 h et 14 h. C'est bien cela ? »"""
    today = now.astimezone(ZoneInfo(practitioner.timezone if practitioner else DEFAULT_TZ)).date()
    clauses = [_who(draft) + _for_whom(draft, practitioner, practice_name)]
    if draft.body.strip():
        clauses.append("vous précisez : " + " ".join(draft.body.split()).rstrip(" .;"))
    if draft.urgent:
        clauses.append("je signale ce message comme urgent")
    clauses.append(_callback(draft, today))
    return "Je récapitule : " + " ; ".join(clauses) + ". C'est bien cela ?"


def _who(draft: MessageDraft) -> str:
    name = person_name(draft.caller_civility, draft.caller_first_name, draft.caller_last_name)
    if not name:
        return "vous appelez"
    if draft.caller_last_name.strip():
        name += ", " + spell(draft.caller_last_name)
    return name + ", vous appelez"


def _for_whom(
    draft: MessageDraft, practitioner: PractitionerInfo | None, practice_name: str
) -> str:
    target = practitioner.spoken_name if practitioner else _practice_phrase(practice_name)
    text = _third_party(draft) + f" pour {target}"
    reason = about(draft.reason)
    return f"{text} {reason}" if reason else text


def _third_party(draft: MessageDraft) -> str:
    """ "pour votre mère, Jeanne DUPONT, …," or " de la part de Jeanne DUPONT (vous êtes sa
    fille),": the relation as the secretary typed it, in the caller's or the patient's terms."""
    if not draft.is_third_party:
        return ""
    patient = person_name("", draft.patient_first_name, draft.patient_last_name)
    if draft.patient_last_name.strip() and fold(draft.patient_last_name) != fold(
        draft.caller_last_name
    ):
        patient += ", " + spell(draft.patient_last_name)
    relation = " ".join(draft.relation.split())
    if fold(relation).startswith(("votre ", "vos ")):
        return f" pour {relation}, {patient},"
    if relation:
        return f" de la part de {patient} (vous êtes {relation}),"
    return f" de la part de {patient},"


def _practice_phrase(practice_name: str) -> str:
    name = " ".join(practice_name.split())
    if not name:
        return "le cabinet"
    if fold(name).startswith("cabinet "):
        return "le c" + name[1:]
    return f"le cabinet {name}"


def _callback(draft: MessageDraft, today: date) -> str:
    agreed = {"Madame": "rappelée", "Monsieur": "rappelé"}.get(
        civility(draft.caller_civility), "recontacté(e)"
    )
    numbers = [n for n in (draft.callback_number, draft.callback_number2) if n.strip()]
    where = ""
    if numbers:
        where = " au " + number_phrase(numbers[0])
        if len(numbers) > 1:
            where += ", ou à défaut au " + number_phrase(numbers[1])
    when = when_phrase(draft.callback_day, draft.callback_after, draft.callback_before, today)
    return f"vous souhaitez être {agreed}{where}, {when}"
