"""Passwords the app must remember (CalDAV, SMTP): in the system keyring when there is
one, else inside the encrypted workspace; never in a plain file or a log.

A plain (unencrypted) workspace on a machine without a keyring has nowhere safe to keep
a password: `set` then refuses with a French message and the password is asked again
each time.
"""

from __future__ import annotations

import contextlib
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from permanence.core.db.models import StoredSecret
from permanence.core.errors import PermanenceError

SERVICE_PREFIX = "Permanence"


class NoSafePlaceError(PermanenceError):
    """Neither a system keyring nor an encrypted workspace to keep a password in."""


def system_keyring() -> Any | None:
    """The usable system keyring backend, or None (headless machine, null/fail backend)."""
    try:
        import keyring
        from keyring.backends import fail, null
    except ImportError:  # pragma: no cover - keyring is a dependency
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring | null.Keyring):
        return None
    try:
        if float(backend.priority) <= 0:
            return None
    except Exception:  # a backend whose priority check fails is not usable
        return None
    return backend


class SecretStore:
    """Secrets of one workspace, named like "caldav:3" or "smtp"."""

    def __init__(
        self, sessions: sessionmaker[Session], workspace_id: str, *, encrypted: bool
    ) -> None:
        self._sessions = sessions
        self._service = f"{SERVICE_PREFIX}/{workspace_id}"
        self._encrypted = encrypted

    @property
    def where(self) -> str:
        """Where passwords go, in French, for the settings dialogs."""
        if system_keyring() is not None:
            return "dans le trousseau du système"
        if self._encrypted:
            return "dans l'espace de travail chiffré"
        return "nulle part (pas de trousseau système et espace non chiffré)"

    def get(self, name: str) -> str | None:
        backend = system_keyring()
        if backend is not None:
            value = backend.get_password(self._service, name)
            if value is not None:
                return str(value)
        with self._sessions() as session:
            return session.scalar(select(StoredSecret.value).where(StoredSecret.name == name))

    def set(self, name: str, value: str) -> None:
        backend = system_keyring()
        if backend is not None:
            backend.set_password(self._service, name, value)
            self._delete_stored(name)  # one place only
            return
        if not self._encrypted:
            raise NoSafePlaceError(
                "Ce mot de passe ne peut pas être enregistré : le système n'a pas de trousseau "
                "et l'espace de travail n'est pas chiffré. Il vous sera demandé à chaque fois."
            )
        with self._sessions.begin() as session:
            session.merge(StoredSecret(name=name, value=value))

    def delete(self, name: str) -> None:
        backend = system_keyring()
        if backend is not None:
            # keyring raises PasswordDeleteError when there is nothing to delete.
            with contextlib.suppress(Exception):
                backend.delete_password(self._service, name)
        self._delete_stored(name)

    def _delete_stored(self, name: str) -> None:
        with self._sessions.begin() as session:
            session.execute(delete(StoredSecret).where(StoredSecret.name == name))
