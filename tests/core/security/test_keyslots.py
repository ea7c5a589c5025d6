"""Key slots: the database key wrapped per account (Argon2id + AES-GCM)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from permanence.core.errors import WorkspaceError
from permanence.core.security import keyslots
from permanence.core.security.keyslots import (
    KeySlots,
    WrongPasswordError,
    check_password_strength,
    new_database_key,
)


def test_the_default_cost_is_the_rfc_9106_setting() -> None:
    # conftest swaps in a cheap setting; the class default is what users get.
    strong = keyslots.KdfParams()
    assert strong.memory_cost_kib >= 64 * 1024
    assert strong.time_cost >= 3


def test_each_account_unwraps_the_same_key_and_only_with_its_password(tmp_path: Path) -> None:
    key = new_database_key()
    slots = KeySlots.new().with_slot("Marie", "correct horse", key)
    slots = slots.with_slot("dr.martin", "autre mot de passe", key)
    slots.save(tmp_path)
    loaded = KeySlots.load(tmp_path)

    assert loaded.unwrap(" MARIE ", "correct horse") == key
    assert loaded.unwrap("dr.martin", "autre mot de passe") == key
    with pytest.raises(WrongPasswordError, match="incorrect"):
        loaded.unwrap("marie", "autre mot de passe")
    with pytest.raises(WrongPasswordError, match="incorrect"):
        loaded.unwrap("inconnu", "correct horse")


def test_the_file_holds_no_key_or_password_in_clear(tmp_path: Path) -> None:
    key = new_database_key()
    KeySlots.new().with_slot("marie", "motdepasse-secret", key).save(tmp_path)
    raw = (tmp_path / keyslots.KEYSLOTS_FILENAME).read_bytes()
    assert key not in raw and key.hex().encode() not in raw
    assert b"motdepasse-secret" not in raw
    data = json.loads(raw)
    assert data["slots"][0]["kdf"]["algorithm"] == "argon2id"
    assert (tmp_path / keyslots.KEYSLOTS_FILENAME).stat().st_mode & 0o077 == 0


def test_a_password_change_rewraps_the_same_key(tmp_path: Path) -> None:
    key = new_database_key()
    slots = KeySlots.new().with_slot("marie", "ancien-mdp-1", key)
    before = slots.slot("marie")
    slots = slots.with_slot("marie", "nouveau-mdp-2", key)
    assert slots.unwrap("marie", "nouveau-mdp-2") == key
    with pytest.raises(WrongPasswordError):
        slots.unwrap("marie", "ancien-mdp-1")
    assert before is not None and slots.slot("marie") != before
    assert len(slots.slots) == 1


def test_a_slot_copied_from_another_workspace_does_not_open(tmp_path: Path) -> None:
    key = new_database_key()
    ours = KeySlots.new().with_slot("marie", "mot-de-passe", key)
    theirs = KeySlots.new()
    stolen = KeySlots(theirs.workspace_id, ours.slots)
    with pytest.raises(WrongPasswordError):
        stolen.unwrap("marie", "mot-de-passe")


def test_a_damaged_slot_file_is_explained(tmp_path: Path) -> None:
    (tmp_path / keyslots.KEYSLOTS_FILENAME).write_text("{pas du json", encoding="utf-8")
    with pytest.raises(WorkspaceError, match=r"endommagé.*restore"):
        KeySlots.load(tmp_path)


@pytest.mark.parametrize(
    ("password", "accepted"),
    [("court", False), ("aaaaaaaaaa", False), (" espace-devant", False), ("Lyon 2026 !", True)],
)
def test_password_strength(password: str, accepted: bool) -> None:
    assert (check_password_strength(password) is None) is accepted
