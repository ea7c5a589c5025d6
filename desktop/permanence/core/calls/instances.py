"""Which running copies of Permanence are alive, so two of them never write the same draft.

Each open workspace is one *instance* with a random id. For a workspace folder, the instance
holds an exclusive lock on `<folder>/instances/<id>.lock` while it is open; the operating
system drops the lock when the process ends, crash and power cut included. A draft whose
owner's lock can be taken is therefore orphaned and may be recovered.

A workspace reached by URL (PostgreSQL) has no shared folder: there another instance's draft
counts as orphaned once it has not been saved for `STALE_AFTER` (a call never lasts that long
without a single change).
"""

from __future__ import annotations

import os
import re
import sys
import threading
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

STALE_AFTER = timedelta(hours=2)
LOCK_FOLDER = "instances"
_ID = re.compile(r"^[0-9a-f]{32}$")


def new_instance_id() -> str:
    return uuid.uuid4().hex


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class InstanceRegistry:
    """This instance's lock, and the liveness test of the others."""

    def __init__(self, instance_id: str, folder: Path | None) -> None:
        self.instance_id = instance_id
        self._folder = folder
        self._fd: int | None = None
        self._mutex = threading.Lock()
        if folder is not None:
            self._acquire(folder)

    @classmethod
    def for_workspace(cls, instance_id: str, directory: Path | None) -> InstanceRegistry:
        """File locks under the workspace folder; time-based liveness for a URL."""
        return cls(instance_id, directory / LOCK_FOLDER if directory is not None else None)

    @property
    def uses_locks(self) -> bool:
        return self._fd is not None

    def _acquire(self, folder: Path) -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(folder / f"{self.instance_id}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return  # a read-only share: fall back to time-based liveness
        if not _try_lock(fd):  # pragma: no cover - a fresh random id is never locked
            os.close(fd)
            return
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def is_live(self, owner: str, last_saved: datetime | None = None) -> bool:
        """Whether the instance `owner` is running (its draft must not be touched)."""
        if not owner:
            return False
        if owner == self.instance_id:
            return True
        if not self.uses_locks or not _ID.match(owner):
            if last_saved is None:
                return False
            return datetime.now(UTC) - last_saved < STALE_AFTER
        assert self._folder is not None
        path = self._folder / f"{owner}.lock"
        try:
            fd = os.open(path, os.O_RDWR)
        except OSError:
            return False  # no lock file: that instance closed or never locked here
        try:
            if not _try_lock(fd):
                return True
            _unlock(fd)
        finally:
            os.close(fd)
        path.unlink(missing_ok=True)  # dead instance: its id is never used again
        return False

    def release(self) -> None:
        """Drop the lock (the workspace is closing); safe to call twice."""
        with self._mutex:
            fd, self._fd = self._fd, None
        if fd is None or self._folder is None:
            return
        try:
            _unlock(fd)
        finally:
            os.close(fd)
        (self._folder / f"{self.instance_id}.lock").unlink(missing_ok=True)
