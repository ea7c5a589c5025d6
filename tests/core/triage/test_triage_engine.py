"""Behaviour of assess(): negation, history, numbers, ages, abbreviations, typos, safety."""

from __future__ import annotations

from datetime import timedelta

import pytest

from permanence.core.triage import Assessment, Level, assess


def level(text: str, kind: str = "generaliste", age: float | None = None) -> Level:
    return assess(text, kind, age_years=age).level


def test_red_flag_is_vital_with_number_and_evidence_in_original_text() -> None:
    text = "Mon mari a une DOULEUR dans la poitrine depuis 20 min"
    result = assess(text, "generaliste")
    assert result.level is Level.VITAL
    assert result.rule is not None and result.rule.id == "douleur_thoracique"
    assert result.emergency_number == "15"
    assert not result.booking_allowed
    assert result.appointment_type is None
    assert result.max_delay == timedelta(0)
    for span in result.evidence:
        assert text[span.start : span.end] == span.text
    assert "DOULEUR" in result.evidence[0].text


@pytest.mark.parametrize(
    "text",
    [
        "pas de fièvre, juste un certificat pour le sport",
        "je n'ai pas de douleur dans la poitrine, c'est pour mon cholestérol",
        "sans gonflement ni fièvre, c'est pour un contrôle",
        "aucune difficulté pour respirer, je voudrais un rendez-vous",
        "il n'a plus de fièvre depuis hier, c'est pour le certificat",
    ],
)
def test_negation_does_not_raise(text: str) -> None:
    assert level(text) is Level.ROUTINE


def test_negation_scope_ends_at_mais() -> None:
    assert level("pas de fièvre mais il a du mal à respirer") is Level.VITAL


def test_ni_ni_negates_each_item() -> None:
    assert level("plaques qui grattent, ni fièvre ni gêne pour respirer", "dermato") is Level.SOON


def test_ne_respire_plus_is_not_a_negation() -> None:
    assert level("il ne respire plus") is Level.VITAL
    assert level("j'arrive pas à respirer") is Level.VITAL


@pytest.mark.parametrize(
    "text",
    [
        "j'ai eu un infarctus il y a 5 ans, je voudrais renouveler mon ordonnance",
        "AVC en 2019, c'est pour le bilan de suivi",
        "antécédent de convulsions, renouvellement du traitement",
        "il a eu une crise d'épilepsie l'an dernier, c'est pour un contrôle",
    ],
)
def test_history_does_not_raise(text: str) -> None:
    assert level(text) is Level.ROUTINE


def test_current_cue_wins_over_history() -> None:
    assert level("infarctus il y a 5 ans et depuis ce matin j'ai mal à la poitrine") is Level.VITAL
    assert level("il y a 2 jours il a perdu connaissance") is Level.VITAL  # recent = current


def test_history_note_names_the_discarded_red_flag() -> None:
    result = assess("j'ai eu un infarctus il y a 5 ans", "generaliste")
    assert any("infarctus" in note for note in result.notes)


@pytest.mark.parametrize(
    "text", ["il a 39,5 de fièvre", "38.5° ce matin", "t° 38°2", "fièvre à 40"]
)
def test_temperatures_are_read(text: str) -> None:
    result = assess(text, "generaliste")
    assert result.temperature is not None and 38 <= result.temperature <= 40


def test_high_temperature_is_urgent() -> None:
    assert level("il a 40 de fièvre", "pediatre", 4) is Level.URGENT
    assert level("38,5 depuis ce matin, il joue bien", "pediatre", 4) is Level.SOON


def test_doses_are_not_temperatures() -> None:
    assert assess("je prends de l'inexium 40 mg", "generaliste").temperature is None


@pytest.mark.parametrize(
    "text, age",
    [
        ("mon bébé de 6 semaines a 38,2", None),
        ("bb 2 mois, il est chaud, 38", None),
        ("il a de la fièvre, 38,3", 0.1),
        ("ma fille de 3 semaines a de la température", None),
    ],
)
def test_infant_under_three_months_with_fever_is_never_routine(
    text: str, age: float | None
) -> None:
    assert level(text, "pediatre", age).rank >= Level.URGENT.rank
    assert level(text, "dentiste", age).rank >= Level.URGENT.rank  # whatever the practice


def test_age_in_text_is_read_and_noted() -> None:
    result = assess("mon bébé de 6 semaines a 38,2", "pediatre")
    assert result.age_years is not None and result.age_years < 0.25
    assert any("6 semaines" in note for note in result.notes)


def test_pregnancy_weeks_are_not_an_age() -> None:
    assert assess("ma fille enceinte de 8 mois", "sage_femme").age_years is None


@pytest.mark.parametrize(
    "text",
    [
        "bb respire tres mal",
        "g du mal a respiré",
        "mal o ventre et pb respi",
        "douleur thorassique depui 1h",
    ],
)
def test_abbreviations_and_typos(text: str) -> None:
    assert level(text) is Level.VITAL


def test_short_words_are_not_corrected_into_red_flags() -> None:
    assert level("attestation de présence pour mon employeur", "psy") is Level.ROUTINE
    assert level("un ouvrier va passer pour la chaudière", "autre") is Level.ROUTINE


def test_small_words_keep_a_two_word_wording_whole() -> None:
    # "coincé sous" must not shrink to "coincé", nor "nouveau-né" to "nouveau".
    text = "mon plombage est tombé, pas mal du tout, juste un trou où la langue se coince"
    assert level(text, "dentiste") is not Level.VITAL
    assert level("il est resté coincé sous la voiture") is Level.VITAL
    new_patient = assess("je suis nouveau dans le quartier, je cherche un médecin", "generaliste")
    assert new_patient.level is Level.ROUTINE


def test_head_bump_on_anticoagulant_is_same_day_unless_a_sign_of_gravity() -> None:
    text = "sous Xarelto, il s'est cogné la tête ce matin, une bosse, il va bien"
    assert level(text) is Level.URGENT
    assert level(text + " mais il a vomi deux fois") is Level.VITAL
    assert level("la tête me cogne depuis ce matin, l'œil rouge", "ophtalmo") is not Level.VITAL


def test_a_routine_request_does_not_hide_a_fresh_complaint() -> None:
    assert level("c'est pour la prochaine séance, mon bras a enflé depuis hier", "kine") is not (
        Level.ROUTINE
    )
    assert level("c'est pour la prochaine séance de rééducation du bras", "kine") is Level.ROUTINE
    # an old, stable complaint with the request stays routine
    assert level("certificat pour le sport, j'ai mal au genou depuis des années") is Level.ROUTINE


def test_intensity_raises_a_motif() -> None:
    assert level("mal aux dents depuis 3 jours", "dentiste") is Level.SOON
    assert level("mal aux dents insupportable, rien ne calme", "dentiste") is Level.URGENT


def test_minimising_never_lowers_a_red_flag() -> None:
    text = "c'est sûrement rien, je veux pas déranger, mais j'ai un poids sur la poitrine"
    assert level(text) is Level.VITAL


def test_idioms_are_not_emergencies() -> None:
    assert level("ce boulot me tue, je voudrais un suivi", "psy") is Level.ROUTINE
    assert level("j'ai mal au coeur depuis ce matin") is Level.SOON  # nausea
    assert level("j'ai la gorge en feu et 38,5") is Level.SOON


def test_red_flag_said_to_a_business_is_vital() -> None:
    result = assess("ça sent le gaz très fort dans l'immeuble", "autre")
    assert result.level is Level.VITAL and result.emergency_number == "18"


def test_business_requests_are_routine() -> None:
    assert level("je voudrais un devis pour une salle de bain", "autre") is Level.ROUTINE


def test_suicidal_crisis_gives_3114() -> None:
    result = assess("j'ai envie d'en finir, j'ai acheté ce qu'il faut", "psy")
    assert result.level is Level.VITAL and "3114" in result.emergency_numbers
    assert level("j'ai des idées noires mais je n'ai rien prévu", "psy") is Level.URGENT


def test_highest_level_wins_and_all_rules_are_listed() -> None:
    result = assess("je voudrais un rdv, mon fils a 40 de fièvre", "pediatre", age_years=5)
    assert result.level is Level.URGENT
    assert {m.id for m in result.matched} >= {"fievre_tres_elevee", "rendez_vous"}


def test_nothing_recognised_is_routine_with_a_note() -> None:
    result = assess("bonjour", "generaliste")
    assert result.level is Level.ROUTINE and result.rule is None
    assert "aucun motif reconnu — demander des précisions" in result.notes


def test_unknown_kind_falls_back_and_says_so() -> None:
    result = assess("il a du mal à respirer", "plombier-chauffagiste")
    assert result.level is Level.VITAL
    assert result.practice_kind == "generaliste"
    assert any("type de cabinet inconnu" in note for note in result.notes)


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "🙂🙂🙂", "?!…"])
def test_empty_or_meaningless_text(text: str) -> None:
    result = assess(text, "generaliste")
    assert isinstance(result, Assessment) and result.level is Level.ROUTINE


def test_long_paste_with_emojis() -> None:
    text = ("bonjour 🙂 " * 1000) + "il ne respire plus 😱"
    assert len(text) > 9000
    assert level(text) is Level.VITAL


def test_to_dict_is_json_ready() -> None:
    data = assess("mon bébé de 2 mois a 38,5", "pediatre").to_dict()
    assert data["level"] == "urgent" and data["rule"] == "fievre_nourrisson"
    assert data["max_delay_hours"] == 2.0 and data["evidence"]


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("mon fils est en pleine crise, il a un couteau et menace sa sœur", "psy", "vital"),
        (
            "j'ai tout réglé, j'ai confié mon chien, ce soir je serai enfin tranquille",
            "psy",
            "vital",
        ),
        ("ce matin j'ai vu noir de l'œil gauche 3 minutes, c'est revenu", "ophtalmo", "vital"),
        (
            "elle a accouché il y a 10 jours, elle entend des voix qui parlent du bébé",
            "psy",
            "vital",
        ),
        ("erreur de pilulier, il a pris deux fois son Eliquis, il va bien", "infirmier", "urgent"),
        ("INR à 7 au contrôle de ce matin, pas de saignement", "generaliste", "urgent"),
        ("enceinte de 35 semaines, j'ai perdu de l'eau cette nuit", "sage_femme", "urgent"),
        ("mal en bas à droite du ventre depuis ce matin et il a vomi", "generaliste", "urgent"),
        ("rentrée du Mali il y a 8 jours, fièvre et frissons depuis hier", "generaliste", "urgent"),
        ("le bouton de gastrostomie de ma mère est sorti ce matin", "infirmier", "urgent"),
        ("ma fille de 14 ans se coupe les bras, on l'a vu hier", "psy", "urgent"),
        ("j'ai failli faire une crise cardiaque en lisant la facture", "autre", "routine"),
        ("je me sens étouffer dans mon couple, je voudrais un rendez-vous", "psy", "routine"),
    ],
)
def test_families_from_blind_batches(text: str, kind: str, expected: str) -> None:
    assert level(text, kind).value == expected


def test_plus_before_a_comparative_is_not_a_negation() -> None:
    # "il respire plus vite" still breathes: not a cardiac arrest
    result = assess("il respire plus vite quand il monte l'escalier", "generaliste")
    assert "arret_cardiaque" not in {m.id for m in result.matched}
    assert "arret_cardiaque" in {m.id for m in assess("il respire plus", "generaliste").matched}


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("j'ai reçu de la javel dans l'œil il y a 2 minutes", "ophtalmo", "vital"),
        ("javel dans l'œil, j'ai rincé un quart d'heure, ça pique encore", "ophtalmo", "urgent"),
        ("j'ai tout rangé, tout préparé, c'est mieux comme ça, merci pour tout", "psy", "vital"),
        (
            "enceinte de 8 mois, elle a fait une crise, tremblé de partout, elle dort",
            "sage_femme",
            "vital",
        ),
        (
            "enceinte de 6 semaines, douleur très forte d'un côté et un malaise",
            "sage_femme",
            "vital",
        ),
        ("nouveau médicament, la peau part en lambeaux, les yeux qui brûlent", "dermato", "vital"),
        ("il est tombé, il saigne de la tête et il est confus", "kine", "vital"),
        ("essoufflée au moindre pas depuis ce matin, retour d'un long vol", "generaliste", "vital"),
        ("j'ai tout préparé pour l'anniversaire de ce soir", "psy", "routine"),
    ],
)
def test_families_from_later_blind_batches(text: str, kind: str, expected: str) -> None:
    assert level(text, kind).value == expected


def test_a_sign_lasting_months_is_not_a_threat_to_life_now() -> None:
    assert level(
        "mon père est amputé de la jambe depuis 2 ans, pansement du moignon", "infirmier"
    ) is (Level.ROUTINE)
    assert level("il est amputé du doigt, ça vient d'arriver avec la scie") is Level.VITAL
    # lasting suicidal ideas with a plan are still vital
    text = "je pense au suicide depuis des mois, j'ai acheté une corde"
    assert level(text, "psy") is Level.VITAL


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("jveux plus etre la, jai tt les cachets devant moi", "psy", "vital"),
        ("il est parti en nous disant adieu, il a emporté son fusil", "psy", "vital"),
        ("sous chimio, 39,2 et des marbrures sur les genoux", "infirmier", "vital"),
        ("36 semaines, j'ai perdu les eaux et je sens le cordon qui sort", "sage_femme", "vital"),
        ("le cordon de mon bébé est tombé ce matin, c'est normal ?", "sage_femme", "routine"),
        ("abcès de la dent, ça descend dans le cou, du mal à avaler", "dentiste", "vital"),
    ],
)
def test_families_from_the_last_blind_batches(text: str, kind: str, expected: str) -> None:
    assert level(text, kind).value == expected


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        # Set phrases are not symptoms: "j'en peux plus de…", "mort de rire".
        ("j'en peux plus de ce voisin qui tond à 7 h, je voudrais juste un rdv", "psy", "routine"),
        ("le client est mort de rire, il veut sa facture", "autre", "routine"),
        # A negation inside a wording denies it: "ne saigne plus beaucoup".
        ("je me suis coupé en cuisinant, ça ne saigne plus beaucoup", "generaliste", "soon"),
        # A future date is not a present fact; a short delay still counts.
        ("j'accouche dans deux mois, je cherche un pédiatre", "pediatre", "routine"),
        ("mes comprimés se terminent dans 3 jours et je n'ai plus d'ordonnance", "psy", "soon"),
        # A recent birth or operation is the present, not history.
        (
            "elle a accouché il y a 12 jours et entend des voix qui lui disent de faire du mal au "
            "bébé",
            "sage_femme",
            "vital",
        ),
        # A lasting state: chemotherapy a week ago still counts with a fever.
        ("ma femme a eu sa chimio il y a 9 jours et elle a 38,9", "generaliste", "urgent"),
        # Sleep apnoea is a consultation, not a cardiac arrest; an infant's pauses stay vital.
        (
            "mon mari ronfle et s'arrête de respirer la nuit, il voudrait consulter",
            "generaliste",
            "routine",
        ),
        (
            "mon bébé de 6 semaines s'arrête de respirer quelques secondes quand il dort",
            "pediatre",
            "vital",
        ),
    ],
)
def test_general_reading_rules(text: str, kind: str, expected: str) -> None:
    assert assess(text, kind).level is Level(expected)


@pytest.mark.parametrize(
    ("text", "kind", "rule"),
    [
        # Signs of shock or of altered consciousness combined with any complaint.
        (
            "il a mal à l'estomac depuis une heure, il est gris et moite",
            "generaliste",
            "douleur_thoracique_signes_choc",
        ),
        (
            "son coeur bat n'importe comment depuis la séance de dialyse, il est tout faible",
            "infirmier",
            "palpitations_mal_tolerees",
        ),
        ("40,2 de fièvre et il ne me reconnaît plus", "generaliste", "fievre_conscience_alteree"),
        ("38,9 et la tension à 8 ce matin", "infirmier", "fievre_tension_basse"),
        (
            "elle s'est coupée la main avec une vitre, ça coule et elle est toute blanche",
            "generaliste",
            "saignement_signes_choc",
        ),
        (
            "il a bu une bouteille de whisky avec ses calmants, il a du mal à garder les yeux "
            "ouverts",
            "psy",
            "prise_produit_somnolence",
        ),
        (
            "il a arrêté de boire d'un coup lundi et voit des araignées sur les murs",
            "generaliste",
            "sevrage_alcool_grave",
        ),
        ("j'ai la corde dans le grenier, ce soir c'est fini", "psy", "suicide_moyen_pret"),
    ],
)
def test_structural_vital_rules(text: str, kind: str, rule: str) -> None:
    result = assess(text, kind)
    assert result.level is Level.VITAL
    assert rule in {m.id for m in result.matched}


def test_head_knock_with_vomiting_alone_is_same_day_but_vital_with_drowsiness() -> None:
    assert level("ma fille s'est cogné la tête au parc, elle a vomi une fois") is Level.URGENT
    drowsy = "ma fille s'est cogné la tête au parc, elle a vomi et elle est toute endormie"
    assert level(drowsy) is Level.VITAL
    on_anticoagulant = "mon père sous Eliquis s'est cogné la tête, il a vomi"
    assert level(on_anticoagulant) is Level.VITAL


def test_a_plural_read_for_a_singular_is_not_reported_as_a_typo() -> None:
    assert not any(n.startswith("lu «") for n in assess("ce bruit de travaux", "psy").notes)
    typo = assess("douleur dans la poitrinne", "generaliste")
    assert "lu « poitrine » pour « poitrinne »" in typo.notes
