"""Spelling names over the phone with the French telephone alphabet."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from permanence.core.spelling import ALPHABET, spell, spell_letters


def test_a_surname_letter_by_letter() -> None:
    assert spell("Dupont") == (
        "D comme Désiré, U comme Ursule, P comme Pierre, O comme Oscar, N comme Nicolas, "
        "T comme Thérèse"
    )


def test_the_alphabet_is_the_french_one() -> None:
    assert list(ALPHABET) == list(string.ascii_uppercase)
    assert ALPHABET["Q"] == "Quintal" and ALPHABET["Z"] == "Zoé" and ALPHABET["K"] == "Kléber"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("é", [("É", "É comme Émile (E accent aigu)")]),
        ("è", [("È", "E accent grave")]),
        ("Ç", [("Ç", "C cédille")]),
        ("ë", [("Ë", "E tréma")]),
        ("ô", [("Ô", "O accent circonflexe")]),
        ("œ", [("Œ", "O et E collés (E dans l'O)")]),
        ("-", [("-", "trait d'union")]),
        ("’", [("’", "apostrophe")]),
        ("'", [("'", "apostrophe")]),
        ("4", [("4", "chiffre quatre")]),
    ],
)
def test_accents_and_signs(name: str, expected: list[tuple[str, str]]) -> None:
    assert spell_letters(name) == expected


def test_compound_names() -> None:
    letters = spell_letters("  Le Goff-Martin   d'Hérouville ")
    spoken = [s for _, s in letters]
    assert spoken[:3] == ["L comme Louis", "E comme Eugène", "espace"]
    assert spoken.count("espace") == 2  # runs of spaces are one space, ends are trimmed
    assert "trait d'union" in spoken and "apostrophe" in spoken
    assert "".join(ch for ch, _ in letters) == "LE GOFF-MARTIN D'HÉROUVILLE"


def test_unknown_characters_are_named_not_dropped() -> None:
    assert spell_letters("李") == [("李", "caractère « 李 »")]
    assert spell_letters("ø") == [("Ø", "O barré")]
    assert spell("") == ""


@given(st.text(max_size=40))
def test_spell_never_crashes_and_covers_every_character(name: str) -> None:
    letters = spell_letters(name)
    assert len(letters) == len(" ".join(name.split()))
    assert all(spoken for _, spoken in letters)
    for char, spoken in letters:
        if char in ALPHABET:
            assert spoken == f"{char} comme {ALPHABET[char]}"
    assert spell(name) == ", ".join(s for _, s in letters)


@given(st.text(alphabet=string.ascii_letters, min_size=1, max_size=30))
def test_every_plain_letter_has_its_word(name: str) -> None:
    words = [spoken.split(" comme ")[1] for _, spoken in spell_letters(name)]
    assert words == [ALPHABET[ch.upper()] for ch in name]
