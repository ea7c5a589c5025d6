"""One writer per workspace folder: the app takes `workspace.lock` while it is open.

The lock is an operating-system file lock, so it disappears with the process (crash and
power cut included) and never needs cleaning up. The file holds who took it (user, host,
process, time) so the second app can tell her who has the workspace open.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import sys
from datetime import datetime
from pathlib import Path

from permanence.core.errors import PermanenceError

LOCK_FILENAME = "workspace.lock"


class WorkspaceBusyError(PermanenceError):
    """Another copy of Permanence has this workspace open for writing."""

    def __init__(self, holder: str) -> None:
        self.holder = holder
        super().__init__(
            "Cet espace de travail est déjà ouvert dans une autre fenêtre de Permanence"
            f"{f' ({holder})' if holder else ''}. Il peut être ouvert en lecture seule, "
            "ou fermez d'abord l'autre fenêtre."
        )


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


class WorkspaceLock:
    def __init__(self, fd: int, path: Path) -> None:
        self._fd: int | None = fd
        self.path = path

    @classmethod
    def acquire(cls, folder: Path) -> WorkspaceLock:
        path = folder / LOCK_FILENAME
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(fd):
            os.close(fd)
            raise WorkspaceBusyError(cls.holder(folder))
        info = {
            "user": _user(),
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "since": datetime.now().astimezone().isoformat(timespec="minutes"),
        }
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(info).encode())
        return cls(fd, path)

    @staticmethod
    def holder(folder: Path) -> str:
        """Who holds the lock, in French ("marie sur portable, depuis 09:12")."""
        try:
            info = json.loads((folder / LOCK_FILENAME).read_text(encoding="utf-8"))
            since = str(info.get("since", ""))[11:16].replace(":", " h ")
            return f"{info.get('user', '?')} sur {info.get('host', '?')}, depuis {since}"
        except (OSError, ValueError, AttributeError):
            return ""

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing drops the lock


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user name in this environment
        return "?"
