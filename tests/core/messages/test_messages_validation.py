from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

from permanence.core.messages import MessageDraft, validate

NOW = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)  # 14 h in Paris
OK = MessageDraft(
    practice_id=1,
    practitioner_id=1,
    caller_last_name="Dupont",
    callback_number="06 12 34 56 78",
    reason="Ordonnance",
)


def test_a_complete_message_has_no_problem() -> None:
    assert validate(OK, NOW) == []
    assert validate(replace(OK, reason="", body="Rappeler pour le résultat."), NOW) == []
    assert validate(replace(OK, callback_number="+44 20 7946 0958"), NOW) == []


def test_empty_message() -> None:
    assert validate(replace(OK, reason=" ", body=""), NOW) == [
        "Le message est vide : indiquez le motif ou le texte du message."
    ]


def test_invalid_or_missing_numbers() -> None:
    assert validate(replace(OK, callback_number=""), NOW) == ["Indiquez le numéro de rappel."]
    problems = validate(replace(OK, callback_number="06 12", callback_number2="abc"), NOW)
    assert problems == [
        "Le numéro de rappel « 06 12 » n'est pas valide : vérifiez-le avec l'appelant.",
        "Le numéro secondaire « abc » n'est pas valide : vérifiez-le avec l'appelant.",
    ]


def test_inverted_window() -> None:
    draft = replace(OK, callback_after=time(14), callback_before=time(12))
    assert validate(draft, NOW) == [
        "Créneau de rappel inversé : « entre 14 h et 12 h ». "
        "L'heure de début doit précéder l'heure de fin."
    ]


def test_window_in_the_past() -> None:
    past_hour = replace(OK, callback_day=date(2026, 11, 23), callback_before=time(11))
    assert validate(past_hour, NOW)[0].startswith(
        "Le créneau de rappel (avant 11 h) est déjà passé"
    )
    assert validate(replace(OK, callback_before=time(13, 30)), NOW)[0].startswith("Le créneau")
    yesterday = replace(OK, callback_day=date(2026, 11, 22))
    assert validate(yesterday, NOW) == [
        "Le jour de rappel est déjà passé : choisissez aujourd'hui ou un jour à venir."
    ]
    tomorrow_morning = replace(OK, callback_day=date(2026, 11, 24), callback_before=time(11))
    assert validate(tomorrow_morning, NOW) == []
    later_today = replace(OK, callback_after=time(12), callback_before=time(15))
    assert validate(later_today, NOW) == []


def test_practitioner_deleted_meanwhile() -> None:
    assert validate(OK, NOW, practitioner_exists=False) == [
        "Le praticien choisi n'existe plus : choisissez un autre praticien ou le cabinet."
    ]
