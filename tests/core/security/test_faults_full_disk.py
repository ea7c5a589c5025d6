"""Fault (c): a full disk during a backup. The error is French, no partial file is left,
the older backups are intact, and the workspace itself is unharmed.

Two real limits: a tiny tmpfs (needs root to mount; skipped with the reason otherwise),
and RLIMIT_FSIZE in a child process (EFBIG, works for any user on POSIX)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_backup import PASSWORD, USER, create_encrypted

from permanence.core.security.backup import BackupError
from permanence.core.workspace import Workspace

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="tmpfs et RLIMIT sont POSIX")


def _grow(folder: Path, megabytes: int) -> None:
    """Add incompressible-looking data so the database is about `megabytes` bigger."""
    with Workspace.unlock(folder, USER, PASSWORD) as ws:
        for index in range(megabytes * 256):
            ws.set_setting(f"remplissage.{index}", uuid.uuid4().hex * 64)  # ~4 KB


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Callable[[int], Path]]:
    mounted: list[Path] = []

    def mount(size: int) -> Path:
        point = tmp_path / f"disque-{len(mounted)}"
        point.mkdir()
        if shutil.which("mount") is None:
            pytest.skip("pas de commande mount ici : le disque plein est testé par RLIMIT_FSIZE")
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(point)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            pytest.skip(
                "monter un petit tmpfs n'est pas permis ici (il faut être root) : "
                f"{done.stderr.strip()} ; le disque plein est testé par RLIMIT_FSIZE"
            )
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", str(point)], check=False)


@pytest.mark.parametrize("stage", ["copie de la base", "écriture du fichier"])
def test_a_full_tmpfs_during_a_backup(
    tmp_path: Path, tiny_disk: Callable[[int], Path], stage: str
) -> None:
    folder = tmp_path / "ws"
    with create_encrypted(folder, demo=False) as ws:
        older = ws.backups.create(tmp_path / "ancienne.pmbackup")
    _grow(folder, 3)
    with Workspace.unlock(folder, USER, PASSWORD) as ws:
        database_size = ws.backups.create(tmp_path / "taille.pmbackup").manifest.database_size
        # The copy of the database does not fit, or it fits but the backup file does not.
        room = older.size + (database_size // 2 if stage == "copie de la base" else database_size)
        disk = tiny_disk(room + database_size // 4)
        kept = disk / older.path.name
        shutil.copyfile(older.path, kept)
        ws.set_setting("backup.folder", str(disk))
        with pytest.raises(BackupError, match="le disque est plein") as caught:
            ws.backups.run_due()
        assert "sauvegardes précédentes sont intactes" in str(caught.value)
        # The failure happened where this case meant it to: SQLite's copy, or the zip.
        assert isinstance(caught.value.__cause__, OSError) == (stage == "écriture du fichier")
        assert [p.name for p in disk.iterdir()] == [kept.name]  # no partial file
        assert kept.read_bytes() == older.path.read_bytes()
        # The workspace is unharmed and a backup elsewhere still works.
        ws.set_setting("apres", "ok")
        assert ws.backups.create(tmp_path / "ailleurs.pmbackup").size > database_size


CHILD = r"""
import resource, signal, sys
from pathlib import Path
from permanence.core.security.backup import BackupError
from permanence.core.workspace import Workspace

folder, user, password, limit, target = sys.argv[1:6]
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
ws = Workspace.unlock(Path(folder), user, password)
resource.setrlimit(resource.RLIMIT_FSIZE, (int(limit), resource.RLIM_INFINITY))
try:
    ws.backups.create(Path(target))
except BackupError as error:
    print(error)
    sys.exit(3)
print("écrite")
"""


@pytest.mark.parametrize("stage", ["copie de la base", "écriture du fichier"])
def test_a_file_size_limit_during_a_backup(tmp_path: Path, stage: str) -> None:
    folder = tmp_path / "ws"
    target_folder = tmp_path / "sauvegardes"
    target_folder.mkdir()
    with create_encrypted(folder, demo=False) as ws:
        older = ws.backups.create(target_folder / "ancienne.pmbackup")
    before = older.path.read_bytes()
    _grow(folder, 2)
    with Workspace.unlock(folder, USER, PASSWORD) as ws:
        size = ws.backups.create(tmp_path / "taille.pmbackup").manifest.database_size
    limit = size // 2 if stage == "copie de la base" else size + 16
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            str(folder),
            USER,
            PASSWORD,
            str(limit),
            str(target_folder / "nouvelle.pmbackup"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        timeout=120,
    )
    assert done.returncode == 3, (done.stdout, done.stderr)
    message = done.stdout.strip()
    assert "\n" not in message and "sauvegardes précédentes sont intactes" in message
    assert "Traceback" not in done.stderr
    expected = "refuse l'écriture" if stage == "copie de la base" else "taille permise"
    assert expected in message
    assert sorted(p.name for p in target_folder.iterdir()) == ["ancienne.pmbackup"]
    assert older.path.read_bytes() == before
    with Workspace.unlock(folder, USER, PASSWORD) as ws:  # the workspace is unharmed
        assert ws.setting("remplissage.0")
