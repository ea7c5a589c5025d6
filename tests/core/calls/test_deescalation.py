"""The "appelant mécontent" phrase book: complete as shipped, and checked when edited."""

from __future__ import annotations

from pathlib import Path

import pytest

from permanence.core.calls.deescalation import SOLUTION_ACTIONS, load_phrasebook
from permanence.core.errors import DataFileError
from permanence.core.resources import resource_path

SHIPPED = resource_path("phrases", "deescalade.toml")


def test_the_shipped_phrase_book_walks_the_seven_steps() -> None:
    book = load_phrasebook()
    assert [s.title for s in book.steps] == [
        "Laisser parler sans interrompre",
        "Reformuler",
        "Montrer de l'empathie",
        "S'excuser pour la situation",
        "Proposer une solution concrète",
        "Vérifier s'il y a d'autres demandes",
        "Remercier",
    ]
    assert all(2 <= len(s.phrases) <= 4 and s.goal for s in book.steps)
    assert book.step("empathy").phrases[0].startswith("Je comprends")
    assert book.intro and book.sources


def test_phrases_to_avoid_say_why_and_what_instead() -> None:
    avoid = {a.phrase.rstrip(".…").casefold(): a for a in load_phrasebook().avoid}
    for phrase in (
        "Calmez-vous",
        "Ce n'est pas notre politique",
        "Je ne peux rien faire",
        "Vous avez mal compris",
        "Ce n'est pas de ma faute",
        "Il faut",
        "Je ne sais pas",
    ):
        entry = avoid[phrase.casefold()]
        assert entry.why and entry.instead and entry.instead != entry.phrase


def test_quick_solutions_lead_to_an_action_and_an_outcome() -> None:
    book = load_phrasebook()
    assert [s.key for s in book.solutions] == ["other_slot", "waitlist", "transfer", "message"]
    assert {s.action for s in book.solutions} == set(SOLUTION_ACTIONS)
    assert book.solution("transfer").outcome == "transfert"
    assert book.solution("message").follow_up  # a promise to track
    assert book.solution("waitlist").action_label == "liste d'attente"


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "deescalade.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "entry", "problem"),
    [
        ('title = "Reformuler"\n', "", "[[steps]] « reformulate »", "« title » est obligatoire"),
        (
            'action = "transfer"',
            'action = "teleporter"',
            "[[solutions]] « transfer »",
            "action « teleporter » inconnue",
        ),
        (
            'outcome = "rdv"',
            'outcome = "rendez-vous"',
            "[[solutions]] « other_slot »",
            "issue « rendez-vous » inconnue",
        ),
        ('key = "thank"', 'key = "listen"', "fichier", "étape « listen » en double"),
        (
            'why = "Cela nie',
            'pourquoi = "Cela nie',
            "[[avoid]] « Calmez-vous. »",
            "champ(s) inconnu(s) : pourquoi",
        ),
        ("[phrasebook]", "[phrasebok]", "fichier", "champ(s) inconnu(s) : phrasebok"),
    ],
)
def test_mistakes_name_the_file_and_the_entry(
    tmp_path: Path, old: str, new: str, entry: str, problem: str
) -> None:
    path = broken(tmp_path, old, new)
    with pytest.raises(DataFileError) as error:
        load_phrasebook(path)
    assert error.value.file == "deescalade.toml"
    assert entry in error.value.entry
    assert problem in error.value.problem


def test_too_few_phrases_for_a_step(tmp_path: Path) -> None:
    path = broken(
        tmp_path,
        '  "Je comprends votre inquiétude, c\'est normal de vouloir une réponse rapidement.",\n'
        '  "À votre place, je serais moi aussi agacée d\'attendre sans nouvelles.",\n',
        "",
    )
    with pytest.raises(DataFileError, match="il en faut de 2 à 4") as error:
        load_phrasebook(path)
    assert error.value.entry.startswith("ligne ") and "« empathy »" in error.value.entry


def test_syntax_errors_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="syntaxe TOML"):
        load_phrasebook(broken(tmp_path, "[[steps]]", "[[steps]"))
    with pytest.raises(DataFileError, match="introuvable"):
        load_phrasebook(tmp_path / "absent.toml")
