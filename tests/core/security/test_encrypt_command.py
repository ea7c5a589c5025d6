"""`permanence encrypt`: a workspace in clear becomes encrypted, with all its rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from permanence.cli import main
from permanence.core.db.engine import DB_FILENAME
from permanence.core.demo import create_demo_workspace
from permanence.core.workspace import Workspace, WorkspaceLockedError


def test_a_plain_workspace_is_encrypted_with_all_its_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "ws"
    with create_demo_workspace(folder, today=date(2026, 11, 23)) as ws:
        callers = ws.callers.count()
        name = ws.callers.many([1])[0].last_name
    assert name.encode() in (folder / DB_FILENAME).read_bytes()
    monkeypatch.setenv("PERMANENCE_PASSWORD", "Secret-2026")
    assert main(["--workspace", str(folder), "--user", "marie", "encrypt", "--nom", "Marie"]) == 0
    assert "chiffré" in capsys.readouterr().out

    for path in folder.rglob("*"):
        if path.is_file():
            assert name.encode() not in path.read_bytes(), path
    with pytest.raises(WorkspaceLockedError):
        Workspace.open(folder)
    with Workspace.unlock(folder, "marie", "Secret-2026") as ws:
        assert ws.callers.count() == callers
        assert ws.user.is_admin and ws.user.display_name == "Marie"

    # Twice: refused, nothing touched.
    before = (folder / DB_FILENAME).read_bytes()
    assert main(["--workspace", str(folder), "--user", "marie", "encrypt"]) == 2
    assert "déjà chiffré" in capsys.readouterr().err
    assert (folder / DB_FILENAME).read_bytes() == before


def test_a_weak_password_or_no_workspace_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    Workspace.open(tmp_path / "ws").close()
    monkeypatch.setenv("PERMANENCE_PASSWORD", "court")
    assert main(["--workspace", str(tmp_path / "ws"), "--user", "marie", "encrypt"]) == 2
    assert "au moins 8" in capsys.readouterr().err
    monkeypatch.setenv("PERMANENCE_PASSWORD", "Secret-2026")
    assert main(["--workspace", str(tmp_path / "vide"), "--user", "marie", "encrypt"]) == 2
    assert "Aucun espace" in capsys.readouterr().err
