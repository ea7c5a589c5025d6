"""`permanence backup [--to FICHIER]` and `permanence restore FICHIER [--autre-espace]`,
run as the user would (a subprocess, the password in PERMANENCE_PASSWORD): exit 0 with a
French line, or a non-zero exit with one French line on stderr and nothing changed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_backup import PASSWORD, USER, create_encrypted, file_bytes, save_message

from permanence.core.security.workspace_lock import WorkspaceLock
from permanence.core.workspace import Workspace


def permanence(
    folder: Path, *args: str, password: str | None = PASSWORD, user: str | None = USER
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERMANENCE_")}
    if password is not None:
        env["PERMANENCE_PASSWORD"] = password
    if user is not None:
        env["PERMANENCE_USER"] = user
    return subprocess.run(
        [sys.executable, "-m", "permanence", "--workspace", str(folder), *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def one_french_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode != 0, done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr and "Error" not in lines[0]
    return lines[0]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "ws"
    with create_encrypted(folder) as ws:
        save_message(ws)
    return folder


def test_backup_to_a_file_then_restore_it(folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "copie.pmbackup"
    done = permanence(folder, "backup", "--to", str(target))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Sauvegarde enregistrée : ") and "chiffrée" in done.stdout
    assert target.is_file()
    with Workspace.unlock(folder, USER, PASSWORD) as ws:
        save_message(ws, 2)
        assert ws.audit.entries(kind="sauvegarde")[0].object_id == "copie.pmbackup"
    done = permanence(folder, "restore", str(target))
    assert done.returncode == 0, done.stderr
    assert "restauré depuis la sauvegarde du" in done.stdout
    assert "avant-restauration-" in done.stdout
    with Workspace.unlock(folder, USER, PASSWORD) as ws:
        assert len([m for m in ws.messages.open_messages() if m.draft.reason.endswith("Xylophage")])


def test_backup_without_to_goes_to_the_backup_folder(folder: Path) -> None:
    done = permanence(folder, "backup")
    assert done.returncode == 0, done.stderr
    (made,) = (folder / "sauvegardes").glob("permanence-*.pmbackup")
    assert str(made) in done.stdout


def test_restore_into_a_new_folder(folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "copie.pmbackup"
    assert permanence(folder, "backup", "--to", str(target)).returncode == 0
    done = permanence(tmp_path / "nouveau-portable", "restore", str(target))
    assert done.returncode == 0, done.stderr
    assert "avant-restauration" not in done.stdout
    Workspace.unlock(tmp_path / "nouveau-portable", USER, PASSWORD).close()


def test_refusals_are_one_french_line_and_change_nothing(folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "copie.pmbackup"
    assert permanence(folder, "backup", "--to", str(target)).returncode == 0
    other = tmp_path / "autre"
    create_encrypted(other, demo=False).close()
    foreign = tmp_path / "autre.pmbackup"
    assert permanence(other, "backup", "--to", str(foreign)).returncode == 0
    damaged = tmp_path / "abimee.pmbackup"
    damaged.write_bytes(target.read_bytes()[:5000])
    before = file_bytes(folder)

    line = one_french_line(permanence(folder, "restore", str(target), password="Pas-le-bon-1"))
    assert "mot de passe incorrect" in line
    line = one_french_line(permanence(folder, "restore", str(foreign)))
    assert "autre espace de travail" in line and "--autre-espace" in line
    line = one_french_line(permanence(folder, "restore", str(damaged)))
    assert "endommagé ou tronqué" in line
    line = one_french_line(permanence(folder, "restore", str(tmp_path / "absente.pmbackup")))
    assert "n'existe pas" in line
    line = one_french_line(permanence(folder, "restore", str(target), password=None))
    assert "PERMANENCE_PASSWORD" in line
    lock = WorkspaceLock.acquire(folder)  # Permanence is open on this workspace
    try:
        line = one_french_line(permanence(folder, "restore", str(target)))
        assert "fermez-le avant de restaurer" in line
    finally:
        lock.release()
    after = file_bytes(folder)
    after.pop("login-attempts.json", None)
    assert after == {k: v for k, v in before.items() if k != "login-attempts.json"}

    done = permanence(folder, "restore", str(foreign), "--autre-espace")
    assert done.returncode == 0, done.stderr


def test_backup_failures_are_one_french_line(folder: Path, tmp_path: Path) -> None:
    line = one_french_line(permanence(tmp_path / "vide", "backup"))
    assert "Aucun espace de travail" in line and not (tmp_path / "vide").exists()
    line = one_french_line(permanence(folder, "backup", "--to", str(tmp_path / "x" / "y.pmb")))
    assert "n'existe pas" in line
    line = one_french_line(permanence(folder, "backup", password="Pas-le-bon-1"))
    assert "incorrect" in line
