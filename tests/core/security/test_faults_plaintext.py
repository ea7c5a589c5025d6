"""Fault (a): no patient data in clear in any file an encrypted workspace leaves on disk:
the database, its WAL while open, backups (automatic and --to), a restored copy, the
previous files kept by a restore, or anything else under the workspace folder."""

from __future__ import annotations

from pathlib import Path

from test_backup import (
    MOTIF,
    PASSWORD,
    PATIENT_FIRST,
    PATIENT_LAST,
    USER,
    create_encrypted,
    save_message,
)

from permanence.core.db.engine import DB_FILENAME
from permanence.core.security.backup import restore
from permanence.core.workspace import Workspace

NEEDLES = [
    PATIENT_LAST.encode("utf-8"),
    PATIENT_FIRST.encode("utf-8"),
    MOTIF.encode("utf-8"),
    b"Xylophage",
    "Xylophage".encode("utf-16-le"),
    b"06 12 34 56 78",
    b"+33612345678",
]


def _leaks(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path}: {needle!r}" for needle in NEEDLES if needle in data]
    return found


def test_no_patient_data_in_clear_anywhere(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    elsewhere = tmp_path / "cle-usb"
    elsewhere.mkdir()
    with create_encrypted(folder) as ws:
        for index in range(40):
            save_message(ws, index)
        # While open, the last pages are in the WAL: read it now.
        wal = folder / f"{DB_FILENAME}-wal"
        assert wal.exists() and wal.stat().st_size > 0
        assert _leaks(folder) == []
        automatic = ws.backups.run_due()
        manual = ws.backups.create(elsewhere / "copie.pmbackup")
        assert automatic is not None and automatic.manifest.encrypted
        # Same check on the way the data is used (so the needles are the right ones).
        with ws.sessions() as session:
            from sqlalchemy import func, select

            from permanence.core.db.models import Message

            count = session.scalar(
                select(func.count()).where(Message.caller_last_name.like(f"{PATIENT_LAST}%"))
            )
            assert count == 40
    assert _leaks(folder) == []
    assert _leaks(elsewhere) == []
    assert manual.path.exists() and automatic.path.parent == folder / "sauvegardes"
    # A restore over the workspace, and into a new folder, leaves no clear copy either.
    result = restore(manual.path, folder, USER, PASSWORD)
    assert result.previous is not None and (result.previous / DB_FILENAME).exists()
    restore(automatic.path, tmp_path / "neuf", USER, PASSWORD)
    with Workspace.unlock(tmp_path / "neuf", USER, PASSWORD) as ws:
        save_message(ws, 99)
        assert _leaks(tmp_path / "neuf") == []
    assert _leaks(folder) == []
    assert _leaks(tmp_path / "neuf") == []
