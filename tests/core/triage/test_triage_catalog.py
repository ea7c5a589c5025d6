"""Catalog loading and validation: clear French errors naming the file and the entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from permanence.core.resources import resource_path
from permanence.core.triage import CatalogError, Level, default_catalog, load_catalog

GOOD_RULE = """
[[rule]]
id = "{id}"
label = "Essai"
level = "{level}"
kinds = ["generaliste"]
synonyms = ["motif d'essai"]
disposition = "Faire quelque chose."
source = "Essai"
{extra}
"""


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    target = tmp_path / "triage"
    shutil.copytree(resource_path("triage"), target)
    return target


def _append(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_shipped_catalog_is_valid_and_complete() -> None:
    catalog = default_catalog()
    assert set(catalog.kinds) == {
        "generaliste",
        "pediatre",
        "dentiste",
        "kine",
        "psy",
        "sage_femme",
        "infirmier",
        "ophtalmo",
        "dermato",
        "autre",
    }
    for kind in catalog.kinds:  # every kind has its own rules besides the red flags
        specific = [r for r in catalog.rules if kind in r.kinds and "*" not in r.kinds]
        assert specific, kind
    vital = [r for r in catalog.rules if r.level is Level.VITAL]
    assert len(vital) >= 20
    assert all(r.numbers and r.appointment is None for r in vital)
    assert all(r.source for r in catalog.rules)


def test_default_catalog_is_cached() -> None:
    assert default_catalog() is default_catalog()


def test_unknown_level_names_file_and_entry(catalog_copy: Path) -> None:
    _append(
        catalog_copy,
        "dentiste.toml",
        GOOD_RULE.format(id="essai_niveau", level="tres_urgent", extra=""),
    )
    with pytest.raises(CatalogError) as caught:
        load_catalog(catalog_copy)
    message = str(caught.value)
    assert "dentiste.toml" in message and "essai_niveau" in message and "tres_urgent" in message


def test_vital_rule_needs_an_emergency_number(catalog_copy: Path) -> None:
    _append(catalog_copy, "kine.toml", GOOD_RULE.format(id="essai_vital", level="vital", extra=""))
    with pytest.raises(CatalogError, match=r"essai_vital.*numéro d'urgence"):
        load_catalog(catalog_copy)


def test_unknown_key_is_reported(catalog_copy: Path) -> None:
    _append(
        catalog_copy,
        "psy.toml",
        GOOD_RULE.format(id="essai_cle", level="soon", extra='synonymes = ["x"]'),
    )
    with pytest.raises(CatalogError, match=r"psy.toml.*essai_cle.*synonymes"):
        load_catalog(catalog_copy)


def test_duplicate_id_is_reported(catalog_copy: Path) -> None:
    _append(
        catalog_copy,
        "autre.toml",
        GOOD_RULE.format(id="douleur_thoracique", level="routine", extra=""),
    )
    with pytest.raises(CatalogError, match=r"autre.toml.*douleur_thoracique.*red_flags.toml"):
        load_catalog(catalog_copy)


def test_bad_wording_is_reported(catalog_copy: Path) -> None:
    rule = GOOD_RULE.format(id="essai_mot", level="soon", extra="").replace(
        "motif d'essai", "ab* le"
    )
    _append(catalog_copy, "ophtalmo.toml", rule)
    with pytest.raises(CatalogError, match=r"ophtalmo.toml.*essai_mot.*ab\\*"):
        load_catalog(catalog_copy)


def test_toml_syntax_error_gives_the_line(catalog_copy: Path) -> None:
    (catalog_copy / "dermato.toml").write_text("[[rule]]\nid = \n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"dermato.toml.*ligne 2"):
        load_catalog(catalog_copy)


def test_missing_file_is_reported(catalog_copy: Path) -> None:
    (catalog_copy / "infirmier.toml").unlink()
    with pytest.raises(CatalogError, match=r"infirmier.toml.*introuvable"):
        load_catalog(catalog_copy)


def test_unknown_concept_and_kind(catalog_copy: Path) -> None:
    _append(
        catalog_copy,
        "kine.toml",
        GOOD_RULE.format(id="essai_c", level="soon", extra='requires = ["licorne"]'),
    )
    with pytest.raises(CatalogError, match=r"essai_c.*licorne"):
        load_catalog(catalog_copy)


def test_broken_lexicon_is_reported(catalog_copy: Path) -> None:
    lexicon = catalog_copy / "lexicon.toml"
    lexicon.write_text(
        lexicon.read_text(encoding="utf-8").replace("[units]", "[unites]"), encoding="utf-8"
    )
    with pytest.raises(CatalogError, match=r"lexicon.toml"):
        load_catalog(catalog_copy)


def test_a_rule_can_share_another_rules_wordings(catalog_copy: Path) -> None:
    extra = 'synonyms_from = "arret_cardiaque"'
    _append(
        catalog_copy, "generaliste.toml", GOOD_RULE.format(id="essai", level="urgent", extra=extra)
    )
    catalog = load_catalog(catalog_copy / "catalog.toml")
    shared = catalog.rule("essai")
    assert "motif d'essai" in shared.synonyms
    assert set(catalog.rule("arret_cardiaque").synonyms) <= set(shared.synonyms)


def test_sharing_the_wordings_of_an_unknown_rule_is_named(catalog_copy: Path) -> None:
    extra = 'synonyms_from = "regle_absente"'
    _append(
        catalog_copy, "generaliste.toml", GOOD_RULE.format(id="essai", level="urgent", extra=extra)
    )
    with pytest.raises(CatalogError) as error:
        load_catalog(catalog_copy / "catalog.toml")
    message = str(error.value)
    assert "generaliste.toml" in message and "essai" in message and "regle_absente" in message
