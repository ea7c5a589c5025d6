"""Practitioner overrides from the "urgences" consignes."""

from __future__ import annotations

from permanence.core.triage import Level, Override, assess, parse_overrides

CONSIGNES = """Urgences : je suis joignable le matin.
« rage de dent » → urgent : proposer le créneau d'urgence de 11 h 45.
- « fièvre enfant » -> Urgent : me transférer sur le 06 12 34 56 78.
« douleur thoracique » → programmé : me laisser un message
« renouvellement » → = : déposer l'ordonnance à l'accueil.
« blanchiment » → sous 48 h
« piqûre de tique » → urgent
« chute » → vital
« tout » → très urgent : n'importe quoi
rage de dent → urgent
"""


def test_parse_reads_rules_and_reports_malformed_lines() -> None:
    parsed = parse_overrides(CONSIGNES)
    motifs = [o.motif for o in parsed.overrides]
    assert motifs == [
        "rage de dent",
        "fièvre enfant",
        "douleur thoracique",
        "renouvellement",
        "blanchiment",
        "piqûre de tique",
        "chute",
    ]
    first = parsed.overrides[0]
    assert first.level is Level.URGENT and first.line == 2
    assert first.disposition == "proposer le créneau d'urgence de 11 h 45."
    assert parsed.overrides[3].level is None
    assert parsed.overrides[4].level is Level.SOON and parsed.overrides[4].disposition is None
    assert len(parsed.problems) == 2
    assert "ligne 9" in parsed.problems[0] and "très urgent" in parsed.problems[0]
    assert "ligne 10" in parsed.problems[1] and "guillemets" in parsed.problems[1]


def test_keep_level_without_consigne_is_a_problem() -> None:
    parsed = parse_overrides("« certificat » → =")
    assert not parsed.overrides and "« = »" in parsed.problems[0]


def test_override_sets_disposition_of_a_catalog_rule() -> None:
    parsed = parse_overrides(CONSIGNES)
    result = assess("rage de dent depuis cette nuit", "dentiste", overrides=parsed)
    assert result.level is Level.URGENT
    assert result.disposition == "proposer le créneau d'urgence de 11 h 45."
    assert result.rule is not None and result.rule.overridden


def test_override_raises_a_level() -> None:
    overrides = [Override("fièvre enfant", Level.URGENT, "me transférer sur le 06 12 34 56 78")]
    plain = assess("il a 38,5 depuis ce matin", "pediatre", age_years=4)
    raised = assess("il a 38,5 depuis ce matin", "pediatre", age_years=4, overrides=overrides)
    assert plain.level is Level.SOON
    assert raised.level is Level.URGENT and "06 12 34 56 78" in raised.disposition


def test_override_lowers_a_non_vital_level() -> None:
    overrides = [Override("rage de dent", Level.SOON, None)]
    assert assess("rage de dent", "dentiste", overrides=overrides).level is Level.SOON


def test_red_flag_can_never_be_lowered() -> None:
    parsed = parse_overrides(CONSIGNES)
    result = assess("douleur thoracique qui serre", "generaliste", overrides=parsed)
    assert result.level is Level.VITAL and "15" in result.emergency_numbers
    assert any("reste vital" in note for note in result.notes)
    assert "me laisser un message" in result.disposition  # kept after the 15 instruction
    assert result.disposition.index("15") < result.disposition.index("me laisser")


def test_custom_motif_not_in_catalog() -> None:
    parsed = parse_overrides(CONSIGNES)
    result = assess("je me suis fait piquer, piqûre de tique hier", "generaliste", overrides=parsed)
    assert result.level is Level.URGENT
    assert result.rule is not None and "piqûre de tique" in result.rule.label
    vital = assess("mon père a fait une chute", "kine", overrides=parsed)
    assert vital.level is Level.VITAL and vital.emergency_number == "15"


def test_keep_level_custom_sets_only_disposition() -> None:
    parsed = parse_overrides("« contrôle » → = : proposer le mardi matin")
    result = assess("c'est pour un contrôle annuel", "generaliste", overrides=parsed)
    assert result.level is Level.ROUTINE
    assert result.disposition == "proposer le mardi matin"


def test_negated_custom_motif_does_not_fire() -> None:
    parsed = parse_overrides("« chute » → vital")
    assert (
        assess("pas de chute, juste un certificat", "kine", overrides=parsed).level is Level.ROUTINE
    )
