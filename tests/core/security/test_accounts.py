"""Accounts and roles: who may open the workspace and what each role sees."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from permanence.core.demo import load_demo, read_demo
from permanence.core.errors import PermissionDeniedError, ValidationError
from permanence.core.resources import resource_path
from permanence.core.security.keyslots import WrongPasswordError
from permanence.core.workspace import Workspace

ADMIN_PASSWORD = "Admin-2026!"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    with Workspace.create_encrypted(tmp_path, "admin", ADMIN_PASSWORD) as ws:
        load_demo(ws, read_demo(resource_path("demo")), today=date(2026, 11, 23))
    return tmp_path


def _practitioner(ws: Workspace, last_name: str) -> int:
    for practice in ws.practices.list():
        for person in practice.practitioners:
            if person.last_name == last_name:
                return person.id
    raise AssertionError(last_name)


def test_a_practitioner_sees_only_their_own_practice_messages_and_callbacks(folder: Path) -> None:
    with Workspace.unlock(folder, "admin", ADMIN_PASSWORD) as ws:
        martin = _practitioner(ws, "Martin")
        everyone = [p.id for practice in ws.practices.list() for p in practice.practitioners]
        other = next(pid for pid in everyone if pid != martin)
        ws.accounts.create("dr.martin", "Martin-2026!", role="praticien", practitioner_id=martin)
        all_callbacks = ws.messages.callbacks()
    assert len(everyone) > 2

    with Workspace.unlock(folder, "dr.martin", "Martin-2026!") as ws:
        visible = [p.id for practice in ws.practices.list() for p in practice.practitioners]
        assert visible == [martin]
        ws.messages.for_practitioner(martin)  # allowed
        with pytest.raises(PermissionDeniedError, match="propres messages"):
            ws.messages.for_practitioner(other)
        mine = ws.messages.callbacks()
        assert all(item.practitioner_id == martin for item in mine)
        assert len(mine) < len(all_callbacks)
        with pytest.raises(PermissionDeniedError, match="administrateur"):
            ws.accounts.create("pirate", "Pirate-2026!", role="admin")


def test_accounts_are_managed_by_an_admin_and_one_admin_always_remains(folder: Path) -> None:
    with Workspace.unlock(folder, "admin", ADMIN_PASSWORD) as ws:
        ws.accounts.create("claire", "Claire-2026!", role="secretaire", display_name="Claire")
        with pytest.raises(ValidationError, match="existe déjà"):
            ws.accounts.create("CLAIRE", "Claire-2026!", role="secretaire")
        with pytest.raises(ValidationError, match="rattaché"):
            ws.accounts.create("dr.x", "Docteur-2026!", role="praticien")
        with pytest.raises(ValidationError, match="au moins un compte administrateur"):
            ws.accounts.set_role("admin", "secretaire")
        with pytest.raises(ValidationError, match="propre compte"):
            ws.accounts.deactivate("admin")
        ws.accounts.reset_password("claire", "Nouveau-2026!")
    with Workspace.unlock(folder, "claire", "Nouveau-2026!") as ws:
        assert ws.user.display_name == "Claire" and not ws.user.is_admin
        ws.accounts.change_password("claire", "Nouveau-2026!", "Encore-2026!")
    with Workspace.unlock(folder, "admin", ADMIN_PASSWORD) as ws:
        ws.accounts.deactivate("claire")
        assert not next(a for a in ws.accounts.list() if a.username == "claire").active
    with pytest.raises(WrongPasswordError):
        Workspace.unlock(folder, "claire", "Encore-2026!")


def test_a_plain_workspace_has_no_accounts_and_one_local_user(tmp_path: Path) -> None:
    with Workspace.open(tmp_path) as ws:
        assert not ws.encrypted and ws.user.is_admin
        assert not ws.accounts.enabled
        with pytest.raises(PermissionDeniedError, match="chiffré"):
            ws.accounts.create("x", "Quelconque-1", role="admin")
        assert ws.verify_password("n'importe") is True
