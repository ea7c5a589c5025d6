"""Passwords the app remembers: system keyring first, else the encrypted workspace only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from pytestqt.qtbot import QtBot

from permanence.core.db.engine import DB_FILENAME
from permanence.core.demo import create_demo_workspace
from permanence.core.security.secrets import NoSafePlaceError
from permanence.core.workspace import Workspace


class MemoryKeyring(KeyringBackend):
    """Stands in for the desktop's keyring (GNOME Keyring, KWallet) on this headless machine."""

    priority = 10  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture
def system_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend


def test_with_a_keyring_the_password_goes_there_not_in_the_database(
    tmp_path: Path, system_keyring: MemoryKeyring
) -> None:
    with Workspace.open(tmp_path) as ws:
        ws.secrets.set("caldav:1", "mdp-du-serveur")
        assert ws.secrets.get("caldav:1") == "mdp-du-serveur"
        assert "trousseau" in ws.secrets.where
    assert list(system_keyring.items.values()) == ["mdp-du-serveur"]
    assert b"mdp-du-serveur" not in (tmp_path / DB_FILENAME).read_bytes()


def test_without_a_keyring_an_encrypted_workspace_keeps_it(tmp_path: Path) -> None:
    with Workspace.create_encrypted(tmp_path, "marie", "Secret-2026") as ws:
        ws.secrets.set("smtp:1", "mdp-smtp-123")
        assert "chiffré" in ws.secrets.where
    with Workspace.unlock(tmp_path, "marie", "Secret-2026") as ws:
        assert ws.secrets.get("smtp:1") == "mdp-smtp-123"
        ws.secrets.delete("smtp:1")
        assert ws.secrets.get("smtp:1") is None
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert b"mdp-smtp-123" not in path.read_bytes(), path


def test_without_a_keyring_a_plain_workspace_refuses_to_keep_it(tmp_path: Path) -> None:
    with Workspace.open(tmp_path) as ws:
        with pytest.raises(NoSafePlaceError, match="ne peut pas être enregistré"):
            ws.secrets.set("smtp:1", "mdp")
        assert ws.secrets.get("smtp:1") is None


def test_the_email_dialog_remembers_the_password_only_where_it_is_safe(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from permanence.ui.messages.email_dialog import EmailDigestDialog

    demo = create_demo_workspace(tmp_path / "demo", today=date.today())
    try:
        martin = next(p for pr in demo.practices.list() for p in pr.practitioners)
        dialog = EmailDigestDialog(demo, martin, date.today())
        qtbot.addWidget(dialog)
        dialog.host.setText("127.0.0.1")
        dialog.sender_edit.setText("secretariat@exemple.fr")
        dialog.recipients.setText("dr@exemple.fr")
        dialog.password.setText("mdp-smtp")
        dialog.remember.setChecked(True)
        assert not dialog.send()
        assert "ne peut pas être enregistré" in dialog.status.text()
    finally:
        demo.close()
