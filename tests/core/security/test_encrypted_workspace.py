"""An encrypted workspace: SQLCipher at rest, accounts, wrong keys, damaged files."""

from __future__ import annotations

from pathlib import Path

import pytest

from permanence.core.db.engine import DB_FILENAME
from permanence.core.errors import ValidationError, WorkspaceError
from permanence.core.security.accounts import LoginGuard, TooManyAttemptsError
from permanence.core.security.keyslots import KeySlots, WrongPasswordError
from permanence.core.security.workspace_lock import WorkspaceBusyError
from permanence.core.workspace import Workspace, WorkspaceLockedError

PATIENT = "Gwenaëlle Quintard-Zébulon"


def _create(folder: Path) -> Workspace:
    return Workspace.create_encrypted(folder, "marie", "Secret-2026", display_name="Marie D.")


def _add_patient_data(ws: Workspace) -> None:
    ws.callers.create("Quintard-Zébulon", "Gwenaëlle", phones=["06 12 34 56 78"])
    ws.set_setting("note", f"{PATIENT} rappelle pour douleur thoracique")


def test_the_files_hold_no_patient_data_in_clear(tmp_path: Path) -> None:
    with _create(tmp_path) as ws:
        _add_patient_data(ws)
        # WAL still holds the last pages while the workspace is open: read it now.
        wal = tmp_path / f"{DB_FILENAME}-wal"
        open_bytes = (tmp_path / DB_FILENAME).read_bytes() + (
            wal.read_bytes() if wal.exists() else b""
        )
    needle = PATIENT.encode()
    assert needle not in open_bytes
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert needle not in path.read_bytes(), path
            assert b"thoracique" not in path.read_bytes(), path


def test_any_account_opens_the_same_data_and_a_wrong_password_does_not(tmp_path: Path) -> None:
    with _create(tmp_path) as ws:
        assert ws.encrypted and ws.user.is_admin and ws.user.display_name == "Marie D."
        ws.set_setting("workspace.name", "Permanence de Marie")
        ws.accounts.create("secretaire2", "Autre-secret-1", role="secretaire")
    with Workspace.unlock(tmp_path, "Secretaire2", "Autre-secret-1") as ws:
        assert ws.name == "Permanence de Marie"
        assert ws.user.role == "secretaire"
    with pytest.raises(WrongPasswordError, match="incorrect"):
        Workspace.unlock(tmp_path, "marie", "pas le bon")


def test_opening_without_a_password_asks_for_one(tmp_path: Path) -> None:
    _create(tmp_path).close()
    with pytest.raises(WorkspaceLockedError, match="chiffré"):
        Workspace.open(tmp_path)


def test_repeated_wrong_passwords_impose_a_growing_delay(tmp_path: Path) -> None:
    _create(tmp_path).close()
    now = [1000.0]
    guard = LoginGuard(tmp_path, clock=lambda: now[0])
    for _ in range(3):
        with pytest.raises(WrongPasswordError):
            Workspace.unlock(tmp_path, "marie", "faux", guard=guard)
    # The fourth attempt must wait, even with the right password, and even after a restart.
    with pytest.raises(TooManyAttemptsError, match="patientez 2 s"):
        Workspace.unlock(tmp_path, "marie", "Secret-2026", guard=guard)
    with pytest.raises(TooManyAttemptsError):
        Workspace.unlock(
            tmp_path, "marie", "Secret-2026", guard=LoginGuard(tmp_path, lambda: now[0])
        )
    now[0] += 2.5
    with pytest.raises(WrongPasswordError):
        Workspace.unlock(tmp_path, "marie", "faux encore", guard=guard)
    assert guard.wait_needed() == pytest.approx(4.0)
    now[0] += 4.1
    Workspace.unlock(tmp_path, "marie", "Secret-2026", guard=guard).close()
    assert guard.wait_needed() == 0  # a success resets the count
    assert LoginGuard.delay_after(50) == 60


def test_a_database_that_does_not_match_its_keys_is_refused_and_left_alone(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    _create(first).close()
    _create(second).close()
    # Swap the key slot files: each password now unwraps a key of the other database.
    (first / "keyslots.json").replace(tmp_path / "swap")
    (second / "keyslots.json").replace(first / "keyslots.json")
    before = (first / DB_FILENAME).read_bytes()
    with pytest.raises(WorkspaceError, match="ne correspond pas à ses clés"):
        Workspace.unlock(first, "marie", "Secret-2026")
    assert (first / DB_FILENAME).read_bytes() == before


def test_a_truncated_database_gets_a_way_out_not_a_crash(tmp_path: Path) -> None:
    with _create(tmp_path) as ws:
        for index in range(400):
            ws.set_setting(f"k{index}", "x" * 500)
    database = tmp_path / DB_FILENAME
    data = database.read_bytes()
    database.write_bytes(data[: len(data) // 2])
    with pytest.raises(WorkspaceError, match="restore"):
        Workspace.unlock(tmp_path, "marie", "Secret-2026")


def test_a_plain_database_damaged_inside_is_caught_by_the_integrity_check(tmp_path: Path) -> None:
    with Workspace.open(tmp_path) as ws:
        for index in range(300):
            ws.set_setting(f"k{index}", "x" * 900)
        with ws.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database = tmp_path / DB_FILENAME
    data = bytearray(database.read_bytes())
    page = 4096
    for offset in range(page * 5, page * 5 + 200):  # scribble over an inner b-tree page
        data[offset] = 0xFF
    database.write_bytes(bytes(data))
    with pytest.raises(WorkspaceError, match="endommagé"):
        Workspace.open(tmp_path)


def test_a_second_writer_is_told_and_may_open_read_only(tmp_path: Path) -> None:
    first = Workspace.create_encrypted(tmp_path, "marie", "Secret-2026", exclusive=True)
    try:
        with pytest.raises(WorkspaceBusyError, match="déjà ouvert"):
            Workspace.unlock(tmp_path, "marie", "Secret-2026", exclusive=True)
        with Workspace.unlock(tmp_path, "marie", "Secret-2026", read_only=True) as reader:
            assert reader.read_only and reader.name
            with pytest.raises(Exception, match=r"readonly|read-only|attempt to write"):
                reader.set_setting("x", "y")
    finally:
        first.close()
    Workspace.unlock(tmp_path, "marie", "Secret-2026", exclusive=True).close()


def test_create_refuses_a_folder_that_already_has_a_workspace(tmp_path: Path) -> None:
    Workspace.open(tmp_path).close()
    with pytest.raises(WorkspaceError, match="déjà un espace"):
        _create(tmp_path)
    assert not KeySlots.exists_in(tmp_path)
    with pytest.raises(ValidationError, match="au moins 8"):
        Workspace.create_encrypted(tmp_path / "neuf", "marie", "court")
