from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from permanence.core.messages import MessageDraft, changes, readback_text
from permanence.core.practices.values import PractitionerInfo

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday, 10 h in Paris
MARTIN = PractitionerInfo(1, 1, "martin", "Dr", "Claire", "Martin", "generaliste", "Europe/Paris")
BASE = MessageDraft(
    practice_id=1,
    practitioner_id=1,
    caller_civility="Madame",
    caller_first_name="Marie",
    caller_last_name="Dupont",
    callback_number="0612345678",
    reason="Renouvellement d'ordonnance",
    callback_day=date(2026, 11, 23),
    callback_after=time(12),
    callback_before=time(14),
)


def text(draft: MessageDraft, practitioner: PractitionerInfo | None = MARTIN) -> str:
    return readback_text(
        draft, practitioner=practitioner, practice_name="Cabinet médical des Tilleuls", now=NOW
    )


def test_the_example_of_the_issue() -> None:
    assert text(BASE) == (
        "Je récapitule : Madame Marie DUPONT, D comme Désiré, U comme Ursule, P comme Pierre, "
        "O comme Oscar, N comme Nicolas, T comme Thérèse, vous appelez pour le docteur Martin "
        "au sujet de renouvellement d'ordonnance ; vous souhaitez être rappelée au "
        "06 12 34 56 78, aujourd'hui entre 12 h et 14 h. C'est bien cela ?"
    )


@pytest.mark.parametrize(
    ("last_name", "capitals", "spelled"),
    [
        ("N'Diaye", "N'DIAYE", "N comme Nicolas, apostrophe, D comme Désiré, I comme Irma"),
        ("Le Goff-Martin", "LE GOFF-MARTIN", "F comme François, trait d'union, M comme Marcel"),
        ("de La Fontaine", "DE LA FONTAINE", "D comme Désiré, E comme Eugène, espace, L comme"),
        ("Lefèvre", "LEFÈVRE", "F comme François, E accent grave, V comme Victor"),
    ],
)
def test_surnames_in_capitals_then_spelled(last_name: str, capitals: str, spelled: str) -> None:
    said = text(replace(BASE, caller_last_name=last_name))
    assert f"Madame Marie {capitals}, " in said
    assert spelled in said


def test_gender_agreement_follows_the_civility() -> None:
    assert "être rappelé au" in text(replace(BASE, caller_civility="M."))
    assert "être rappelée au" in text(replace(BASE, caller_civility="Mme"))
    unknown = text(replace(BASE, caller_civility=""))
    assert "être recontacté(e) au" in unknown
    assert unknown.startswith("Je récapitule : Marie DUPONT, D comme Désiré")


@pytest.mark.parametrize(
    ("day", "after", "before", "said"),
    [
        (date(2026, 11, 23), time(12), time(14), "aujourd'hui entre 12 h et 14 h"),
        (date(2026, 11, 24), time(17), None, "demain pas avant 17 h"),
        (date(2026, 11, 30), None, time(11), "le lundi 30 novembre avant 11 h"),
        (date(2027, 1, 4), time(9, 30), time(10, 15), "le lundi 4 janvier 2027 entre 9 h 30"),
        (None, None, None, "06 12 34 56 78, dès que possible."),
        (None, time(12, 30), None, "aujourd'hui pas avant 12 h 30"),
        (date(2026, 12, 1), None, None, "le mardi 1er décembre."),
    ],
)
def test_callback_windows_in_french(
    day: date | None, after: time | None, before: time | None, said: str
) -> None:
    draft = replace(BASE, callback_day=day, callback_after=after, callback_before=before)
    assert said in text(draft)


def test_foreign_and_second_numbers() -> None:
    draft = replace(BASE, callback_number="+44 20 7946 0958", callback_number2="04.78.60.45.92")
    assert "rappelée au +44 20 7946 0958, ou à défaut au 04 78 60 45 92, aujourd'hui" in text(draft)


def test_third_party_in_the_callers_words_and_in_the_patients() -> None:
    mother = replace(
        BASE,
        patient_first_name="Jeanne",
        patient_last_name="Dupont",
        relation="votre mère",
    )
    said = text(mother)
    assert "vous appelez pour votre mère, Jeanne DUPONT, pour le docteur Martin" in said
    assert said.count("D comme Désiré") == 1  # same surname: spelled once
    daughter = replace(
        BASE, patient_first_name="Henri", patient_last_name="de La Fontaine", relation="sa fille"
    )
    said = text(daughter)
    assert "vous appelez de la part de Henri DE LA FONTAINE, D comme Désiré" in said
    assert "(vous êtes sa fille), pour le docteur Martin" in said


def test_practice_body_and_urgent() -> None:
    draft = replace(BASE, practitioner_id=None, body="Il tousse.", urgent=True, reason="")
    said = text(draft, practitioner=None)
    assert "vous appelez pour le cabinet médical des Tilleuls ; vous précisez : Il tousse ;" in said
    assert "je signale ce message comme urgent" in said


def test_about_contractions() -> None:
    assert "au sujet d'une ordonnance" in text(replace(BASE, reason="Une ordonnance"))
    assert "au sujet du vaccin" in text(replace(BASE, reason="le vaccin"))
    assert "au sujet d'ECG à refaire" in text(replace(BASE, reason="ECG à refaire"))


def test_changes_against_what_was_read() -> None:
    corrected = replace(
        BASE,
        callback_number="07 11 22 33 44",
        callback_before=time(15),
        caller_last_name="Dupond",
    )
    found = changes(BASE, corrected, names={1: "Dr Claire Martin"})
    assert [str(c) for c in found] == [
        "Nom : Dupont → Dupond",
        "Numéro de rappel : 06 12 34 56 78 → 07 11 22 33 44",
        "Avant : 14 h → 15 h",
    ]
    same_number = replace(BASE, callback_number="+33 6 12 34 56 78", caller_civility="Mme")
    assert changes(BASE, same_number) == []
    assert str(
        changes(BASE, replace(BASE, practitioner_id=None), names={1: "Dr Claire Martin"})[0]
    ) == ("Pour : Dr Claire Martin → le cabinet")
