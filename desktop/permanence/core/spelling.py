"""Spelling a name over the phone with the French telephone alphabet: "D comme Désiré, …".

Accented letters are said by their accent ("E accent grave", "C cédille"), É also by its own
word ("É comme Émile"); a hyphen is "trait d'union", an apostrophe "apostrophe", a space
"espace". Any other character is named rather than dropped, so nothing is lost.
"""

from __future__ import annotations

import unicodedata

ALPHABET: dict[str, str] = {
    "A": "Anatole",
    "B": "Berthe",
    "C": "Célestin",
    "D": "Désiré",
    "E": "Eugène",
    "F": "François",
    "G": "Gaston",
    "H": "Henri",
    "I": "Irma",
    "J": "Joseph",
    "K": "Kléber",
    "L": "Louis",
    "M": "Marcel",
    "N": "Nicolas",
    "O": "Oscar",
    "P": "Pierre",
    "Q": "Quintal",
    "R": "Raoul",
    "S": "Suzanne",
    "T": "Thérèse",
    "U": "Ursule",
    "V": "Victor",
    "W": "William",
    "X": "Xavier",
    "Y": "Yvonne",
    "Z": "Zoé",
}

# Combining marks → how they are said after the base letter.
_MARKS: dict[str, str] = {
    "\u0301": "accent aigu",
    "\u0300": "accent grave",
    "\u0302": "accent circonflexe",
    "\u0308": "tréma",
    "\u0327": "cédille",
    "\u0303": "tilde",
    "\u030a": "rond en chef",
    "\u030c": "caron",
    "\u0328": "ogonek",
    "\u0304": "macron",
    "\u0306": "brève",
    "\u0307": "point en chef",
    "\u030b": "double accent aigu",
}

_SPECIAL: dict[str, str] = {
    "É": "É comme Émile (E accent aigu)",
    "Æ": "A et E collés (E dans l'A)",
    "Œ": "O et E collés (E dans l'O)",
    "ß": "deux S (eszett)",
    "Ø": "O barré",
    "Ł": "L barré",
    "Đ": "D barré",
}

_SIGNS: dict[str, str] = {
    "-": "trait d'union",
    "‐": "trait d'union",  # U+2010
    "‑": "trait d'union",  # U+2011, non-breaking hyphen
    "'": "apostrophe",
    "’": "apostrophe",
    "ʼ": "apostrophe",
    "`": "apostrophe",
    " ": "espace",
    ".": "point",
    ",": "virgule",
    "/": "barre oblique",
    "(": "parenthèse ouvrante",
    ")": "parenthèse fermante",
    "&": "et commercial",
    "@": "arobase",
    "_": "tiret bas",
    "+": "plus",
}

_DIGITS = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf")


def spell_letters(name: str) -> list[tuple[str, str]]:
    """(character as written, how to say it) for each character of `name`.

    Letters are given in capitals; runs of spaces count as one "espace"; leading and
    trailing spaces are ignored.
    """
    result: list[tuple[str, str]] = []
    for char in " ".join(name.split()):
        if char == " " and result and result[-1][0] == " ":
            continue
        result.append(_spell_char(char))
    return result


def spell(name: str) -> str:
    """ "Dupont" → "D comme Désiré, U comme Ursule, P comme Pierre, …"."""
    return ", ".join(spoken for _, spoken in spell_letters(name))


def _spell_char(char: str) -> tuple[str, str]:
    upper = char.upper() if len(char.upper()) == 1 else char
    if upper in ALPHABET:
        return upper, f"{upper} comme {ALPHABET[upper]}"
    if upper in _SPECIAL:
        return upper, _SPECIAL[upper]
    if char in _SIGNS:
        return char, _SIGNS[char]
    if char.isspace():
        return " ", "espace"
    if "0" <= char <= "9":
        return char, f"chiffre {_DIGITS[int(char)]}"
    decomposed = unicodedata.normalize("NFD", upper)
    base, marks = decomposed[:1], decomposed[1:]
    if base in ALPHABET and marks:
        said = [_MARKS.get(mark, "avec un signe") for mark in marks]
        return upper, f"{base} {' et '.join(dict.fromkeys(said))}"
    if unicodedata.category(char).startswith("P"):
        return char, f"signe « {char} »"
    if char.isdigit():
        return char, f"chiffre « {char} »"
    return char, f"caractère « {char} »"
