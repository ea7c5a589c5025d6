"""CalDAV passwords: kept in the secret store (`ws.secrets`: system keyring, or the encrypted
workspace), never in a plain file nor in clear in the database. When the store has nowhere
safe to put one (no keyring, workspace not encrypted), it is kept in memory for this
session only and asked again next time."""

from __future__ import annotations

import contextlib
import threading
import weakref
from typing import TYPE_CHECKING

from permanence.core.calendars.caldav_sync import secret_name
from permanence.core.errors import PermanenceError

if TYPE_CHECKING:
    from permanence.core.workspace import Workspace


class CalDavPasswords:
    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._memory: dict[int, str] = {}
        self._lock = threading.Lock()  # looked up from worker threads

    def lookup(self, source_id: int) -> str | None:
        with self._lock:
            remembered = self._memory.get(source_id)
        if remembered is not None:
            return remembered
        try:
            return self._ws.secrets.get(secret_name(source_id))
        except Exception:  # a broken keyring: as if nothing was stored
            return None

    def save(self, source_id: int, password: str) -> str:
        """Store the password; the French sentence says where (or why only for now)."""
        try:
            self._ws.secrets.set(secret_name(source_id), password)
        except PermanenceError as error:
            with self._lock:
                self._memory[source_id] = password
            return f"{error.message} Il est gardé en mémoire jusqu'à la fermeture."
        with self._lock:
            self._memory.pop(source_id, None)
        return f"Mot de passe enregistré {self._ws.secrets.where}."

    def forget(self, source_id: int) -> None:
        with self._lock:
            self._memory.pop(source_id, None)
        with contextlib.suppress(Exception):  # nothing stored, or no keyring
            self._ws.secrets.delete(secret_name(source_id))


_by_workspace: weakref.WeakKeyDictionary[Workspace, CalDavPasswords] = weakref.WeakKeyDictionary()


def passwords_for(workspace: Workspace) -> CalDavPasswords:
    """The one password keeper of a workspace (shared by the dialogs and the timer)."""
    keeper = _by_workspace.get(workspace)
    if keeper is None:
        keeper = _by_workspace[workspace] = CalDavPasswords(workspace)
    return keeper
