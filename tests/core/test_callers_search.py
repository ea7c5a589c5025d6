"""Finding a caller as she types: by number in any usual form, by name with typos."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from permanence.core.callers.search import CallerIndex, index_words
from permanence.core.callers.service import CallersService, number_prefixes
from permanence.core.callers.values import CallerInfo, CallerMatch
from permanence.core.errors import NotFoundError, ValidationError
from permanence.core.workspace import Workspace


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path)
    callers = workspace.callers
    callers.create("Dupont", "Marie", phones=["06 12 34 56 78"], notes="Rappeler le matin")
    callers.create("Dupont", "Jean", phones=["06 12 34 99 99"])
    callers.create("Le Goff-Martin", "Yannick", phones=["06.71.42.08.95"])
    callers.create("de La Fontaine", "Béatrice", kind="tiers", phones=["+33 6 85 19 32 47"])
    callers.create("Lefèvre", "Hélène", phones=["04 78 54 27 16"])
    callers.create("Smith", "John", phones=["+44 20 7946 0958"])
    callers.create("Odd", "Number", phones=["12 34"])
    callers.create("Martin", "Dupont", phones=["07 00 00 00 01"])
    yield workspace
    workspace.close()


def names(found: Sequence[CallerInfo | CallerMatch]) -> list[str]:
    return [(f.caller if isinstance(f, CallerMatch) else f).display_name for f in found]


@pytest.mark.parametrize(
    "typed",
    ["06 12 34 56 78", "0612345678", "06.12.34.56.78", "+33 6 12 34 56 78", "0033612345678"],
)
def test_a_number_in_every_usual_form(ws: Workspace, typed: str) -> None:
    found = ws.callers.lookup_number(typed)
    assert names(found)[0] == "DUPONT Marie"  # the exact match first
    assert found[0].display_phones == ("06 12 34 56 78",)


def test_the_digits_typed_so_far(ws: Workspace) -> None:
    assert names(ws.callers.lookup_number("06 12 34")) == ["DUPONT Marie", "DUPONT Jean"]
    assert names(ws.callers.lookup_number("+33 6 12 34 9")) == ["DUPONT Jean"]
    assert names(ws.callers.lookup_number("0033 6 71")) == ["LE GOFF-MARTIN Yannick"]
    assert ws.callers.lookup_number("061") == []  # fewer than 4 digits: wait
    assert ws.callers.lookup_number("06 99") == []
    assert len(ws.callers.lookup_number("06", limit=1)) == 0
    assert len(ws.callers.lookup_number("0612", limit=1)) == 1


def test_foreign_and_unparseable_numbers_are_kept_and_found(ws: Workspace) -> None:
    assert names(ws.callers.lookup_number("+44 20 7946 0958")) == ["SMITH John"]
    assert names(ws.callers.lookup_number("0044 20 79")) == ["SMITH John"]
    assert names(ws.callers.lookup_number("12 34")) == ["ODD Number"]
    assert ws.callers.find_by_number("1234")[0].phones == ("1234",)


def test_prefixes_of_what_she_typed() -> None:
    assert number_prefixes("06 12") == ["+33612", "0612"]
    assert number_prefixes("+33 6 12") == ["+33612"]
    assert number_prefixes("0033 6 12") == ["+33612"]
    assert number_prefixes("4420") == ["4420", "+4420"]
    assert number_prefixes("abc") == []


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("Dupond", "DUPONT Jean"),
        ("dupont marie", "DUPONT Marie"),
        ("Marie Dupont", "DUPONT Marie"),
        ("marie dupond", "DUPONT Marie"),
        ("le goff", "LE GOFF-MARTIN Yannick"),
        ("legoff", "LE GOFF-MARTIN Yannick"),
        ("goff yannick", "LE GOFF-MARTIN Yannick"),
        ("beatrice de la fontaine", "DE LA FONTAINE Béatrice"),
        ("FONTAINE", "DE LA FONTAINE Béatrice"),
        ("lefevre", "LEFÈVRE Hélène"),
        ("Lefebvre", "LEFÈVRE Hélène"),
        ("hel", "LEFÈVRE Hélène"),
    ],
)
def test_fuzzy_name_search(ws: Workspace, typed: str, first: str) -> None:
    found = ws.callers.search(typed)
    assert found, typed
    assert found[0].caller.display_name == first
    assert 0 < found[0].score <= 100


def test_search_order_and_misses(ws: Workspace) -> None:
    dupont = names(ws.callers.search("dupont"))
    # Surname first ("DUPONT …") before a first name that matches ("MARTIN Dupont").
    assert dupont[-1] == "MARTIN Dupont" and set(dupont[:2]) == {"DUPONT Marie", "DUPONT Jean"}
    assert ws.callers.search("dupont zoé") == []  # every typed word must match
    assert ws.callers.search("xqzw") == []
    assert ws.callers.search("   ") == []


def test_the_index_follows_creations_and_renames(ws: Workspace) -> None:
    assert ws.callers.search("Nguyen") == []
    assert ws.callers.index.built
    created = ws.callers.create("Nguyễn", "Thị", phones=["06 55 44 33 22"])
    assert names(ws.callers.search("nguyen")) == ["NGUYỄN Thị"]
    renamed = ws.callers.update(
        created.id, last_name="Nguyen-Tran", kind="tiers", add_phones=["06 55 44 33 22", "0147"]
    )
    assert renamed.kind == "tiers" and renamed.phones == ("+33655443322", "0147")
    assert names(ws.callers.search("tran")) == ["NGUYEN-TRAN Thị"]
    assert names(ws.callers.lookup_number("0147")) == ["NGUYEN-TRAN Thị"]
    with pytest.raises(ValidationError, match="nom de l'appelant est obligatoire"):
        ws.callers.update(created.id, last_name=" ")
    with pytest.raises(NotFoundError):
        ws.callers.update(9999, notes="x")


def test_callers_created_by_another_instance_are_found(ws: Workspace) -> None:
    assert ws.callers.search("dupont")
    location = ws.location.directory
    assert location is not None
    with Workspace.open(location) as other:
        other.callers.create("Zidane", "Yazid")
    ws.callers.create("Zidane", "Zoé")  # ours comes after theirs: theirs is not skipped
    assert names(ws.callers.search("zidane")) == ["ZIDANE Yazid", "ZIDANE Zoé"]


def test_searching_while_callers_are_created_from_another_thread(ws: Workspace) -> None:
    errors: list[BaseException] = []
    stop = threading.Event()

    def search() -> None:
        try:
            while not stop.is_set():
                ws.callers.search("dupont")
                ws.callers.search("nouveau")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    readers = [threading.Thread(target=search) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for index in range(40):
            ws.callers.create("Nouveau", f"Patient{index}")
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=60)
    assert errors == []
    assert len(ws.callers.search("nouveau", limit=100)) == 40


def test_the_index_alone() -> None:
    rows = [(1, "le goff-martin yannick"), (2, "dupont marie"), (3, "dupond jean")]
    index = CallerIndex(lambda after: [r for r in rows if r[0] > after])
    assert [cid for cid, _ in index.search("dupont")] == [2, 3]  # exact before the typo
    index.discard(2)
    assert [cid for cid, _ in index.search("dupont")] == [3]
    rows.append((4, "dupont luc"))
    index.refresh(4)
    assert [cid for cid, _ in index.search("dupont")] == [4, 3]
    index.invalidate()
    assert not index.built and len(index.search("marie")) == 1
    assert index_words("le goff-martin yannick") == ("le", "goff", "martin", "yannick", "legoff")
    assert index_words("de la fontaine beatrice")[-2:] == ("delafontaine", "lafontaine")
    assert index_words("d'Hérouville Zoé") == ("d", "herouville", "zoe", "dherouville")


@pytest.mark.parametrize("warmed", [False, True])
def test_numbers_added_elsewhere_are_seen(ws: Workspace, warmed: bool) -> None:
    if warmed:  # the name index is built; numbers come straight from the indexed table
        ws.callers.warm_up()
        assert ws.callers.index.built
    [marie] = ws.callers.find_by_number("06 12 34 56 78")
    location = ws.location.directory
    assert location is not None
    with Workspace.open(location) as other:
        other.callers.update(marie.id, add_phones=["04 72 00 00 00"])
    assert ws.callers.get(marie.id).phones == ("+33612345678", "+33472000000")
    assert names(ws.callers.lookup_number("04 72 00 00 00")) == ["DUPONT Marie"]


def test_same_answers_once_phones_are_indexed_by_caller(ws: Workspace) -> None:
    """The schema lacks an index on caller_phones.caller_id (numbers are then kept in
    memory); with one, the same answers come straight from the database."""
    before = [ws.callers.lookup_number(n) for n in ("06 12 34", "+44 20 7946 0958", "12 34")]
    with ws.engine.begin() as connection:
        connection.exec_driver_sql("CREATE INDEX test_phones_caller ON caller_phones (caller_id)")
    fresh = CallersService(ws.sessions)
    after = [fresh.lookup_number(n) for n in ("06 12 34", "+44 20 7946 0958", "12 34")]
    assert after == before and len(fresh.phones) == 0  # the memory copy is not used
    assert [m.caller for m in fresh.search("dupont")] == [
        m.caller for m in ws.callers.search("dupont")
    ]
