"""Fault (d): a wrong password, a backup of another workspace, a damaged or truncated
backup, an open workspace: each restore is refused in French and the current workspace is
left byte for byte as it was."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_backup import PASSWORD, USER, create_encrypted, file_bytes, save_message

from permanence.core.db.engine import DB_FILENAME
from permanence.core.security.accounts import LoginGuard, TooManyAttemptsError
from permanence.core.security.backup import (
    BackupError,
    DamagedBackupError,
    OtherWorkspaceError,
    restore,
)
from permanence.core.security.keyslots import WrongPasswordError
from permanence.core.workspace import Workspace


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A workspace with a message, and a good backup of it (outside its folder)."""
    folder = tmp_path / "ws"
    with create_encrypted(folder) as ws:
        save_message(ws)
        backup = ws.backups.create(tmp_path / "bonne.pmbackup").path
        save_message(ws, 2)
    yield folder, backup


def _unchanged(folder: Path, before: dict[str, bytes]) -> None:
    after = file_bytes(folder)
    # The login-attempts file may appear (the delay); nothing else may change.
    after.pop("login-attempts.json", None)
    before = {k: v for k, v in before.items() if k != "login-attempts.json"}
    assert after == before
    assert not [p for p in folder.iterdir() if p.name.startswith((".restauration", "avant-"))]


def _rewrite(source: Path, target: Path, change: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, change.get(item.filename, zin.read(item.filename)))
    return target


def test_a_wrong_password_is_refused_with_the_login_delay(
    setup: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, backup = setup
    before = file_bytes(folder)
    now = [1000.0]
    guard = LoginGuard(folder, clock=lambda: now[0])
    for attempt in ("faux", "Secret-2025", "encore faux"):
        with pytest.raises(WrongPasswordError, match="incorrect pour cette sauvegarde"):
            restore(backup, folder, USER, attempt, guard=guard)
    with pytest.raises(TooManyAttemptsError, match="patientez"):
        restore(backup, folder, USER, PASSWORD, guard=guard)
    with pytest.raises(WrongPasswordError):
        restore(backup, folder, "inconnue", PASSWORD, guard=LoginGuard(tmp_path / "autre"))
    _unchanged(folder, before)
    now[0] += 10
    restore(backup, folder, USER, PASSWORD, guard=guard)  # the right one still works


def test_a_backup_of_another_workspace_is_refused_unless_asked(
    setup: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, _backup = setup
    with create_encrypted(tmp_path / "autre", demo=False) as other:
        other.set_setting("workspace.name", "L'autre permanence")
        foreign = other.backups.create(tmp_path / "autre.pmbackup").path
    before = file_bytes(folder)
    with pytest.raises(OtherWorkspaceError, match=r"autre espace de travail.*Rien n'a été modifié"):
        restore(foreign, folder, USER, PASSWORD)
    _unchanged(folder, before)
    result = restore(foreign, folder, USER, PASSWORD, allow_other_workspace=True)
    assert result.previous is not None
    with Workspace.unlock(folder, USER, PASSWORD) as ws:
        assert ws.name == "L'autre permanence"


@pytest.mark.parametrize(
    "damage",
    ["tronqué", "pas un zip", "octet changé dans la base", "base remplacée", "sans manifeste"],
)
def test_a_damaged_backup_is_refused(setup: tuple[Path, Path], tmp_path: Path, damage: str) -> None:
    folder, backup = setup
    data = backup.read_bytes()
    bad = tmp_path / "abimee.pmbackup"
    if damage == "tronqué":
        bad.write_bytes(data[: len(data) // 2])
    elif damage == "pas un zip":
        bad.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 50)
    elif damage == "octet changé dans la base":
        raw = bytearray(data)
        raw[len(raw) // 2] ^= 0xFF  # inside the stored database entry
        bad.write_bytes(bytes(raw))
    elif damage == "base remplacée":
        with zipfile.ZipFile(backup) as zf:
            database = bytearray(zf.read(DB_FILENAME))
        database[4096 * 3 + 100] ^= 0xFF
        _rewrite(backup, bad, {DB_FILENAME: bytes(database)})
    else:
        with zipfile.ZipFile(backup) as zin, zipfile.ZipFile(bad, "w") as zout:
            zout.writestr(DB_FILENAME, zin.read(DB_FILENAME))
    before = file_bytes(folder)
    with pytest.raises(DamagedBackupError, match=r"endommagé|altérée|tronqué") as caught:
        restore(bad, folder, USER, PASSWORD)
    assert "Rien n'a été modifié" in str(caught.value)
    _unchanged(folder, before)


def test_a_backup_whose_checksum_matches_a_broken_database_fails_the_integrity_check(
    setup: tuple[Path, Path], tmp_path: Path
) -> None:
    """Damage made before the checksum (a disk error in the copy): the key opens pages
    but SQLCipher's page HMAC or quick_check catches it."""
    import hashlib

    folder, backup = setup
    with zipfile.ZipFile(backup) as zf:
        database = bytearray(zf.read(DB_FILENAME))
        manifest = json.loads(zf.read("manifest.json"))
    database[4096 * 5 + 200 : 4096 * 5 + 260] = b"\0" * 60
    manifest["database"]["sha256"] = hashlib.sha256(database).hexdigest()
    bad = _rewrite(
        backup,
        tmp_path / "incoherente.pmbackup",
        {DB_FILENAME: bytes(database), "manifest.json": json.dumps(manifest).encode()},
    )
    before = file_bytes(folder)
    with pytest.raises(DamagedBackupError, match="Rien n'a été modifié"):
        restore(bad, folder, USER, PASSWORD)
    _unchanged(folder, before)


def test_restore_is_refused_while_the_workspace_is_open(setup: tuple[Path, Path]) -> None:
    folder, backup = setup
    ws = Workspace.unlock(folder, USER, PASSWORD, exclusive=True)
    try:
        before = file_bytes(folder)
        with pytest.raises(BackupError, match="fermez-le avant de restaurer"):
            restore(backup, folder, USER, PASSWORD)
        _unchanged(folder, before)
    finally:
        ws.close()
    restore(backup, folder, USER, PASSWORD)


def test_a_missing_backup_file_is_a_french_error(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="n'existe pas"):
        restore(tmp_path / "absente.pmbackup", tmp_path / "ws", USER, PASSWORD)
    assert not (tmp_path / "ws").exists()
