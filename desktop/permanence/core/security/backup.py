"""Backups and restore: never lose a call, even when the laptop dies.

A backup is ONE file (`permanence-AAAA-MM-JJ-HHMM.pmbackup`): a zip, stored without
compression (the database is encrypted, so it would not shrink), holding

- `permanence.sqlite3`: a consistent copy of the database made with SQLite's online backup
  API in one step, so the app may go on writing meanwhile (WAL: a reader never blocks a
  writer). Both connections are keyed with the same raw key, so the copy of an encrypted
  workspace is just as encrypted; the copy of the (plain) demo workspace is plain, and the
  manifest says so;
- `keyslots.json`: the key slots of that moment (the wrapped database key), so the backup
  opens with the passwords that were valid when it was made;
- `manifest.json`: format version, workspace id, schema revision, creation time (UTC),
  encrypted flag, app version and the SHA-256 of the database copy.

The file is written under a temporary name in the target folder, fsynced, then renamed: a
full disk or a crash leaves the earlier backups and no partial file.

Automatic backups (`BackupService.run_due`, safe to call from a worker thread) go to
`<workspace>/sauvegardes/` (or the folder of setting `backup.folder`), at most one per 24 h,
and are rotated: the newest of each of the last 7 days and the newest of each of the last 4
ISO weeks are kept. Backups made on request are never rotated away.

`restore` checks everything on a staged copy (zip, checksum, password through the backup's
own key slots, integrity, schema) before touching the workspace, then swaps the files and
keeps the previous ones in `<workspace>/avant-restauration-<horodatage>/`.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

import permanence
from permanence.core.db.engine import DB_FILENAME, make_engine, sqlite_url
from permanence.core.errors import PermanenceError, WorkspaceError
from permanence.core.security.accounts import LoginGuard
from permanence.core.security.keyslots import (
    KEYSLOTS_FILENAME,
    KeySlots,
    WrongPasswordError,
    normalize_username,
)
from permanence.core.security.workspace_lock import WorkspaceBusyError, WorkspaceLock

if TYPE_CHECKING:
    from permanence.core.workspace import Workspace

FORMAT = "permanence-backup"
VERSION = 1
SUFFIX = ".pmbackup"
MANIFEST_NAME = "manifest.json"
DATABASE_NAME = DB_FILENAME
KEYSLOTS_NAME = KEYSLOTS_FILENAME
DEFAULT_FOLDER_NAME = "sauvegardes"
FOLDER_SETTING = "backup.folder"
PREVIOUS_PREFIX = "avant-restauration-"
AUTOMATIC = "automatique"
MANUAL = "manuelle"
KEEP_DAILY = 7
KEEP_WEEKLY = 4
INTERVAL = timedelta(hours=24)

_TEMP_PREFIX = ".permanence-"
_TEMP_SUFFIX = ".tmp"
_STAGING_PREFIX = ".restauration-"
_STALE_TEMP = timedelta(hours=1)
_CHUNK = 1024 * 1024
#: Files of a workspace that a restore replaces (the database, its WAL and the key slots).
_SIDE_FILES = ("-wal", "-shm", "-journal")


class BackupError(PermanenceError):
    """A backup could not be written or read; the message says what and what is intact."""


class DamagedBackupError(BackupError):
    """The backup file is truncated, altered or not a Permanence backup."""


class OtherWorkspaceError(BackupError):
    """The backup belongs to another workspace than the one it would replace."""


@dataclass(frozen=True, slots=True)
class Manifest:
    workspace_id: str
    schema_revision: str
    created: datetime
    encrypted: bool
    app_version: str
    database_sha256: str
    database_size: int
    kind: str = MANUAL
    format_version: int = VERSION

    def to_json(self) -> str:
        data = {
            "format": FORMAT,
            "format_version": self.format_version,
            "workspace_id": self.workspace_id,
            "schema_revision": self.schema_revision,
            "created_utc": self.created.astimezone(UTC).isoformat(timespec="seconds"),
            "encrypted": self.encrypted,
            "app_version": self.app_version,
            "kind": self.kind,
            "database": {
                "name": DATABASE_NAME,
                "sha256": self.database_sha256,
                "size": self.database_size,
            },
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError("not a Permanence backup manifest")
        version = int(data["format_version"])
        if version > VERSION:
            raise ValueError(f"backup format {version} is newer than this app")
        created = datetime.fromisoformat(str(data["created_utc"]))
        if created.tzinfo is None:
            raise ValueError("creation time without a time zone")
        return cls(
            workspace_id=str(data["workspace_id"]),
            schema_revision=str(data["schema_revision"]),
            created=created.astimezone(UTC),
            encrypted=bool(data["encrypted"]),
            app_version=str(data["app_version"]),
            database_sha256=str(data["database"]["sha256"]),
            database_size=int(data["database"]["size"]),
            kind=str(data.get("kind", MANUAL)),
            format_version=version,
        )


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    manifest: Manifest
    size: int

    @property
    def automatic(self) -> bool:
        return self.manifest.kind == AUTOMATIC

    @property
    def label(self) -> str:
        """ "sauvegarde du 23/11/2026 à 10 h 00 (chiffrée, 1,2 Mo)" in local time."""
        local = self.manifest.created.astimezone()
        state = "chiffrée" if self.manifest.encrypted else "non chiffrée (démonstration)"
        return f"sauvegarde du {local:%d/%m/%Y à %H h %M} ({state}, {_size_label(self.size)})"


@dataclass(frozen=True, slots=True)
class RestoreResult:
    backup: BackupInfo
    folder: Path
    #: Where the replaced files were kept (None when the folder held no workspace).
    previous: Path | None


# -- writing ------------------------------------------------------------------------------
def write_backup(
    database: Path,
    destination: Path,
    *,
    key: bytes | None,
    workspace_id: str,
    keyslots: Path | None = None,
    kind: str = MANUAL,
    now: datetime | None = None,
) -> BackupInfo:
    """Copy `database` (opened with `key`, may be in use) into the backup file `destination`.

    Everything is written beside `destination` under temporary names and renamed at the
    end; on any failure the temporary files are removed and BackupError says why in French.
    """
    created = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    folder = destination.parent
    if not folder.is_dir():
        raise BackupError(
            f"Le dossier de sauvegarde « {folder} » n'existe pas ou n'est pas accessible "
            "(clé USB débranchée ?). Aucune sauvegarde n'a été écrite."
        )
    copy: Path | None = None
    archive: Path | None = None
    try:
        copy = _temp_file(folder, "copie-")
        revision = _online_copy(database, copy, key)
        slots_bytes = keyslots.read_bytes() if keyslots is not None else None
        if slots_bytes is not None:
            workspace_id = KeySlots.from_json(slots_bytes.decode("utf-8")).workspace_id
        digest, size = _sha256(copy)
        manifest = Manifest(
            workspace_id=workspace_id,
            schema_revision=revision,
            created=created,
            encrypted=key is not None,
            app_version=permanence.__version__,
            database_sha256=digest,
            database_size=size,
            kind=kind,
        )
        archive = _temp_file(folder, "")
        with archive.open("wb") as handle:
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as zf:
                zf.comment = b"Permanence: sauvegarde d'un espace de travail"
                zf.writestr(MANIFEST_NAME, manifest.to_json())
                zf.write(copy, DATABASE_NAME)
                if slots_bytes is not None:
                    zf.writestr(KEYSLOTS_NAME, slots_bytes)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(archive, destination)
        archive = None
        _fsync_folder(folder)
        return BackupInfo(destination, manifest, destination.stat().st_size)
    except OSError as exc:
        raise BackupError(_write_failure(folder, exc)) from exc
    except (sqlite3.Error, DBAPIError) as exc:
        raise BackupError(_sqlite_failure(folder, exc)) from exc
    finally:
        for leftover in (archive, copy):
            if leftover is not None:
                _remove_with_side_files(leftover)


def _online_copy(database: Path, copy: Path, key: bytes | None) -> str:
    """SQLite's backup API, in one step (a consistent snapshot); returns the schema revision.

    The copy is left as one file (rollback journal, no WAL) and checked before it is used.
    """
    if not database.is_file():
        raise BackupError(f"Aucune base à sauvegarder dans « {database.parent} ».")
    source_engine = make_engine(sqlite_url(database), key=key, read_only=True)
    target_engine = make_engine(sqlite_url(copy), key=key)
    try:
        source = source_engine.raw_connection()
        target = target_engine.raw_connection()
        driver_error: Any = source_engine.dialect.loaded_dbapi.Error
        try:
            # No journal while copying into the new file: no second copy's worth of disk
            # (a WAL) and a temporary file is thrown away on failure anyway.
            cursor = target.cursor()
            cursor.execute("PRAGMA journal_mode = OFF")
            cursor.close()
            # pages=-1: one step under one read transaction, so concurrent commits by the app
            # neither restart the copy nor appear half in it.
            source_driver: Any = source.driver_connection
            source_driver.backup(target.driver_connection, pages=-1)
            cursor = target.cursor()
            try:
                cursor.execute("PRAGMA journal_mode = DELETE")
                cursor.execute("PRAGMA quick_check")
                checks = [str(row[0]) for row in cursor.fetchall()]
                if checks != ["ok"]:
                    raise BackupError(
                        "La copie de la base est incohérente (vérification d'intégrité : "
                        f"{'; '.join(checks[:3])}) : la base de l'espace de travail est "
                        "peut-être endommagée. Aucune sauvegarde n'a été écrite."
                    )
                cursor.execute("SELECT version_num FROM alembic_version")
                row = cursor.fetchone()
            finally:
                cursor.close()
        except driver_error as exc:
            raise BackupError(_sqlite_failure(copy.parent, exc)) from exc
        finally:
            target.close()
            source.close()
    finally:
        target_engine.dispose()
        source_engine.dispose()
    return str(row[0]) if row else ""


def _write_failure(folder: Path, exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return (
            f"La sauvegarde n'a pas pu être écrite dans « {folder} » : le disque est plein "
            "(ou le fichier dépasse la taille permise). Libérez de la place ou choisissez un "
            "autre dossier ; les sauvegardes précédentes sont intactes."
        )
    return (
        f"La sauvegarde n'a pas pu être écrite dans « {folder} » : {exc.strerror or exc}. "
        "Les sauvegardes précédentes sont intactes."
    )


def _sqlite_failure(folder: Path, exc: Exception) -> str:
    detail = str(getattr(exc, "orig", None) or exc)
    if "full" in detail:
        return _write_failure(folder, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    if "disk I/O" in detail:
        return (
            f"La sauvegarde n'a pas pu être écrite dans « {folder} » : le disque refuse "
            "l'écriture (disque plein ou défectueux, fichier trop grand). Libérez de la place "
            "ou choisissez un autre dossier ; les sauvegardes précédentes sont intactes."
        )
    return (
        f"La sauvegarde n'a pas pu être faite : la base n'a pas pu être copiée ({detail}). "
        "Les sauvegardes précédentes sont intactes."
    )


# -- reading ------------------------------------------------------------------------------
def read_backup(path: Path) -> BackupInfo:
    """The manifest of a backup file (DamagedBackupError for anything else)."""
    try:
        size = path.stat().st_size
        with zipfile.ZipFile(path) as zf:
            manifest = Manifest.from_json(zf.read(MANIFEST_NAME).decode("utf-8"))
            if DATABASE_NAME not in zf.namelist():
                raise ValueError("no database in the backup")
    except FileNotFoundError as exc:
        raise BackupError(f"Le fichier de sauvegarde « {path} » n'existe pas.") from exc
    except OSError as exc:
        raise BackupError(
            f"Le fichier de sauvegarde « {path} » ne peut pas être lu : {exc.strerror or exc}."
        ) from exc
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, EOFError) as exc:
        raise DamagedBackupError(_damaged(path)) from exc
    return BackupInfo(path, manifest, size)


def _damaged(path: Path, why: str = "il est endommagé ou tronqué") -> str:
    return (
        f"Le fichier « {path.name} » n'est pas une sauvegarde Permanence utilisable : {why}. "
        "Rien n'a été modifié ; essayez une sauvegarde plus ancienne."
    )


# -- the workspace's backups ------------------------------------------------------------
class BackupService:
    """`ws.backups`: manual and automatic backups of one open SQLite workspace."""

    def __init__(self, workspace: Workspace, database_key: Callable[[], bytes | None]) -> None:
        self._ws = workspace
        self._key = database_key
        # One backup at a time from this app (the GUI's timer and a manual one may meet).
        self._writing = threading.RLock()

    @property
    def available(self) -> bool:
        """Only a workspace in a folder (SQLite) is backed up here; PostgreSQL has its own."""
        return self._ws.location.directory is not None

    @property
    def folder(self) -> Path:
        """Where automatic backups go: setting `backup.folder`, else `<workspace>/sauvegardes`."""
        chosen = self._ws.setting(FOLDER_SETTING).strip()
        if chosen:
            return Path(chosen).expanduser()
        return self._directory() / DEFAULT_FOLDER_NAME

    def create(
        self, target: Path | None = None, *, automatic: bool = False, now: datetime | None = None
    ) -> BackupInfo:
        """A backup now: into `target` (a file, or a folder for a dated name) or the folder."""
        directory = self._directory()
        moment = (now or datetime.now(UTC)).astimezone(UTC)
        if target is None:
            folder = self.folder
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise BackupError(
                    f"Le dossier de sauvegarde « {folder} » ne peut pas être créé : "
                    f"{exc.strerror or exc}. Aucune sauvegarde n'a été écrite."
                ) from exc
            destination = _dated_name(folder, moment)
        elif target.is_dir():
            destination = _dated_name(target, moment)
        else:
            destination = target
        key = self._key()
        # For a plain workspace the id lives in the database: make sure it exists first.
        workspace_id = "" if key is not None else self._ws.workspace_id
        slots = KeySlots.path_in(directory)
        with self._writing:
            _remove_stale_temp_files(destination.parent)
            info = write_backup(
                directory / DB_FILENAME,
                destination,
                key=key,
                workspace_id=workspace_id,
                keyslots=slots if slots.exists() else None,
                kind=AUTOMATIC if automatic else MANUAL,
                now=moment,
            )
        if not self._ws.read_only:
            from permanence.core.security.audit import EXPORTED

            what = "automatique" if automatic else "à la demande"
            self._ws.audit.record(
                EXPORTED, "sauvegarde", destination.name, f"Sauvegarde {what} : {destination}"
            )
        return info

    def automatic_backups(self) -> list[BackupInfo]:
        """This workspace's automatic backups in the folder, newest first (others ignored)."""
        folder = self.folder
        if not folder.is_dir():
            return []
        workspace_id = self._ws.workspace_id
        found = []
        for path in folder.glob(f"*{SUFFIX}"):
            try:
                info = read_backup(path)
            except BackupError:
                continue  # never rotate away what we cannot read
            if info.automatic and info.manifest.workspace_id == workspace_id:
                found.append(info)
        return sorted(found, key=lambda info: info.manifest.created, reverse=True)

    def is_due(self, now: datetime | None = None) -> bool:
        moment = (now or datetime.now(UTC)).astimezone(UTC)
        backups = self.automatic_backups()
        if not backups:
            return True
        newest = backups[0].manifest.created
        # A backup dated in the future (a clock that was wrong) must not block the next ones.
        return moment - newest >= INTERVAL or newest - moment > timedelta(hours=1)

    def run_due(self, now: datetime | None = None) -> BackupInfo | None:
        """The daily backup if the newest automatic one is 24 h old or more, then rotation.

        Safe to call from a worker thread (it opens its own connections); BackupError when
        the backup cannot be written. Returns None when nothing was due.
        """
        if not self.available:
            return None
        with self._writing:
            if not self.is_due(now):
                return None
            info = self.create(automatic=True, now=now)
            self.rotate()
        return info

    def rotate(self) -> list[Path]:
        """Delete the automatic backups the 7 daily + 4 weekly rule does not keep."""
        backups = self.automatic_backups()
        keep = select_to_keep(backups)
        removed = []
        for info in backups:
            if info.path not in keep:
                with contextlib.suppress(FileNotFoundError):
                    info.path.unlink()
                removed.append(info.path)
        return removed

    def _directory(self) -> Path:
        directory = self._ws.location.directory
        if directory is None:
            raise BackupError(
                "Cet espace de travail est dans une base PostgreSQL : sauvegardez-la avec les "
                "outils du serveur (pg_dump). Les sauvegardes de Permanence concernent un "
                "espace de travail local."
            )
        return directory


def select_to_keep(
    backups: Iterable[BackupInfo], daily: int = KEEP_DAILY, weekly: int = KEEP_WEEKLY
) -> set[Path]:
    """The newest backup of each of the last `daily` days and of the last `weekly` ISO
    weeks that have one (local time; a backup may count for both)."""
    ordered = sorted(backups, key=lambda info: info.manifest.created, reverse=True)
    keep: set[Path] = set()
    days: set[object] = set()
    weeks: set[object] = set()
    for info in ordered:
        local = info.manifest.created.astimezone()
        day = local.date()
        week = local.isocalendar()[:2]
        if day not in days and len(days) < daily:
            days.add(day)
            keep.add(info.path)
        if week not in weeks and len(weeks) < weekly:
            weeks.add(week)
            keep.add(info.path)
    return keep


# -- restore ------------------------------------------------------------------------------
def restore(
    backup_file: Path,
    target_folder: Path,
    username: str,
    password: str,
    *,
    allow_other_workspace: bool = False,
    guard: LoginGuard | None = None,
    now: datetime | None = None,
) -> RestoreResult:
    """Replace the workspace in `target_folder` (or fill an empty folder) with a backup.

    Refused, with nothing changed, for a damaged file, a wrong password (checked against
    the backup's own key slots, with the login delay of the folder), a backup of another
    workspace (unless `allow_other_workspace`) and while the workspace is open. The
    restored copy is unwrapped, opened, checked and brought to the current schema in a
    staging folder first; the swap then keeps the replaced files in
    `avant-restauration-<horodatage>/`. `username`/`password` are unused for a plain backup.
    """
    info = read_backup(backup_file)
    manifest = info.manifest
    try:
        target_folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(
            f"Le dossier « {target_folder} » ne peut pas être créé : {exc.strerror or exc}."
        ) from exc
    try:
        lock = WorkspaceLock.acquire(target_folder)
    except WorkspaceBusyError as exc:
        raise BackupError(
            f"L'espace de travail « {target_folder} » est ouvert dans Permanence"
            f"{f' ({exc.holder})' if exc.holder else ''} : fermez-le avant de restaurer une "
            "sauvegarde. Rien n'a été modifié."
        ) from exc
    except OSError as exc:
        raise BackupError(
            f"Le dossier « {target_folder} » n'est pas accessible en écriture : "
            f"{exc.strerror or exc}. Rien n'a été modifié."
        ) from exc
    try:
        current_id = _current_workspace_id(target_folder)
        if current_id and current_id != manifest.workspace_id and not allow_other_workspace:
            raise OtherWorkspaceError(
                f"La sauvegarde « {backup_file.name} » vient d'un autre espace de travail que "
                f"celui de « {target_folder} ». Rien n'a été modifié. Pour remplacer quand "
                "même l'espace actuel par cette sauvegarde, confirmez-le explicitement "
                "(option --autre-espace de « permanence restore »)."
            )
        staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=target_folder))
        try:
            _extract(backup_file, info, staging)
            guard = guard or LoginGuard(target_folder)
            key = _unwrap(staging, backup_file, manifest, username, password, guard)
            _check_restored(staging, key, username, backup_file)
            previous = _swap(staging, target_folder, now or datetime.now(UTC))
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    finally:
        lock.release()
    return RestoreResult(info, target_folder, previous)


def _current_workspace_id(folder: Path) -> str:
    """The id of the workspace in `folder`, "" when there is none or it cannot be read
    (a damaged workspace is what restoring is for)."""
    if KeySlots.exists_in(folder):
        try:
            return KeySlots.load(folder).workspace_id
        except WorkspaceError:
            return ""
    database = folder / DB_FILENAME
    if not database.is_file():
        return ""
    try:
        connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
        try:
            row = connection.execute(
                "SELECT value FROM settings WHERE key = 'workspace.id'"
            ).fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return ""
    return str(row[0]) if row else ""


def _extract(backup_file: Path, info: BackupInfo, staging: Path) -> None:
    try:
        with zipfile.ZipFile(backup_file) as zf:
            names = set(zf.namelist())
            digest = hashlib.sha256()
            with zf.open(DATABASE_NAME) as source, (staging / DB_FILENAME).open("wb") as out:
                for chunk in iter(lambda: source.read(_CHUNK), b""):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if KEYSLOTS_NAME in names:
                (staging / KEYSLOTS_FILENAME).write_bytes(zf.read(KEYSLOTS_NAME))
    except (zipfile.BadZipFile, KeyError, EOFError, ValueError) as exc:
        raise DamagedBackupError(_damaged(backup_file)) from exc
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
            raise BackupError(
                f"La sauvegarde ne peut pas être restaurée dans « {staging.parent} » : le "
                "disque est plein. Libérez de la place ; rien n'a été modifié."
            ) from exc
        raise BackupError(
            f"La sauvegarde ne peut pas être restaurée : {exc.strerror or exc}. "
            "Rien n'a été modifié."
        ) from exc
    if digest.hexdigest() != info.manifest.database_sha256:
        raise DamagedBackupError(
            _damaged(backup_file, "la base qu'il contient a été altérée (empreinte incorrecte)")
        )


def _unwrap(
    staging: Path,
    backup_file: Path,
    manifest: Manifest,
    username: str,
    password: str,
    guard: LoginGuard,
) -> bytes | None:
    has_slots = KeySlots.exists_in(staging)
    if not manifest.encrypted:
        return None
    if not has_slots:
        raise DamagedBackupError(_damaged(backup_file, "il ne contient pas les clés de la base"))
    try:
        slots = KeySlots.from_json(KeySlots.path_in(staging).read_text(encoding="utf-8"))
    except (ValueError, KeyError, TypeError) as exc:
        raise DamagedBackupError(
            _damaged(backup_file, "le fichier des clés qu'il contient est endommagé")
        ) from exc
    if slots.workspace_id != manifest.workspace_id:
        raise DamagedBackupError(_damaged(backup_file, "ses clés ne sont pas celles de sa base"))
    guard.check()
    try:
        key = slots.unwrap(username, password)
    except WrongPasswordError:
        guard.failed()
        raise WrongPasswordError(
            "Identifiant ou mot de passe incorrect pour cette sauvegarde (ce sont ceux qui "
            "étaient valables quand elle a été faite). Rien n'a été modifié."
        ) from None
    guard.succeeded()
    return key


def _check_restored(staging: Path, key: bytes | None, username: str, backup_file: Path) -> None:
    """Open the staged copy as the app will: key, integrity, account, current schema."""
    from permanence.core.db.migrate import prepare_schema

    engine = make_engine(sqlite_url(staging / DB_FILENAME), key=key)
    try:
        with engine.connect() as connection:
            checks = [str(row[0]) for row in connection.exec_driver_sql("PRAGMA quick_check")]
            if checks != ["ok"]:
                raise DamagedBackupError(
                    _damaged(
                        backup_file,
                        f"sa base est endommagée (vérification d'intégrité : "
                        f"{'; '.join(checks[:3])})",
                    )
                )
            if key is not None:
                active = connection.exec_driver_sql(
                    "SELECT active FROM accounts WHERE username = ?",
                    (normalize_username(username),),
                ).scalar()
                if not active:
                    raise WrongPasswordError(
                        "Ce compte est désactivé ou inconnu dans cette sauvegarde. "
                        "Rien n'a été modifié."
                    )
        prepare_schema(engine)  # an older backup is brought to this version's schema
        _single_file(engine)
    except DBAPIError as exc:
        detail = getattr(exc, "orig", None) or exc
        raise DamagedBackupError(
            _damaged(backup_file, f"sa base ne s'ouvre pas ({detail})")
        ) from exc
    finally:
        engine.dispose()


def _single_file(engine: Engine) -> None:
    """Fold the WAL into the file so that only one file needs moving."""
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.exec_driver_sql("PRAGMA journal_mode = DELETE")


def _swap(staging: Path, folder: Path, now: datetime) -> Path | None:
    """Put the staged files in place; the replaced ones go to avant-restauration-…/.

    At every moment the folder holds one whole database file: the old one is kept by a
    hard link (or a copy), its WAL is set aside, then the new file replaces it by rename.
    """
    database = folder / DB_FILENAME
    slots = KeySlots.path_in(folder)
    current = [database, slots, *(folder / f"{DB_FILENAME}{side}" for side in _SIDE_FILES)]
    existing = [path for path in current if path.exists()]
    previous: Path | None = None
    try:
        if existing:
            stamp = now.astimezone().strftime("%Y-%m-%d-%H%M%S")
            previous = folder / f"{PREVIOUS_PREFIX}{stamp}"
            suffix = 1
            while previous.exists():
                suffix += 1
                previous = folder / f"{PREVIOUS_PREFIX}{stamp}-{suffix}"
            previous.mkdir()
            for path in existing:
                _keep(path, previous / path.name)
            _fsync_folder(previous)
        # The old WAL must go before the new database arrives: SQLite would replay it.
        for side in _SIDE_FILES:
            (folder / f"{DB_FILENAME}{side}").unlink(missing_ok=True)
        new_slots = KeySlots.path_in(staging)
        if new_slots.exists():
            os.replace(new_slots, slots)
        else:
            slots.unlink(missing_ok=True)  # a plain (demo) backup has no key slots
        os.replace(staging / DB_FILENAME, database)
        _fsync_folder(folder)
    except OSError as exc:
        raise BackupError(
            f"La restauration a échoué pendant le remplacement des fichiers : "
            f"{exc.strerror or exc}. Les fichiers précédents sont dans « {previous} »."
            if previous is not None
            else f"La restauration a échoué : {exc.strerror or exc}."
        ) from exc
    return previous


def _keep(path: Path, kept: Path) -> None:
    try:
        os.link(path, kept)
    except OSError:
        shutil.copy2(path, kept)


# -- files --------------------------------------------------------------------------------
def _dated_name(folder: Path, moment: datetime) -> Path:
    stem = f"permanence-{moment.astimezone():%Y-%m-%d-%H%M}"
    candidate = folder / f"{stem}{SUFFIX}"
    counter = 1
    while candidate.exists():
        counter += 1
        candidate = folder / f"{stem}-{counter}{SUFFIX}"
    return candidate


def _temp_file(folder: Path, kind: str) -> Path:
    fd, name = tempfile.mkstemp(prefix=f"{_TEMP_PREFIX}{kind}", suffix=_TEMP_SUFFIX, dir=folder)
    os.close(fd)
    return Path(name)


def _remove_with_side_files(path: Path) -> None:
    for candidate in (path, *(Path(f"{path}{side}") for side in _SIDE_FILES)):
        with contextlib.suppress(OSError):
            candidate.unlink(missing_ok=True)


def _remove_stale_temp_files(folder: Path) -> None:
    """Temporary files left by a backup interrupted by a crash (older than an hour)."""
    limit = time.time() - _STALE_TEMP.total_seconds()
    with contextlib.suppress(OSError):
        for path in folder.glob(f"{_TEMP_PREFIX}*"):
            with contextlib.suppress(OSError):
                if path.is_file() and path.stat().st_mtime < limit:
                    path.unlink()


def _sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        for chunk in _chunks(handle):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _chunks(handle: Any) -> Iterator[bytes]:
    while chunk := handle.read(_CHUNK):
        yield chunk


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows cannot open a folder
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse
        pass
    finally:
        os.close(fd)


def _size_label(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} Ko"
    return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")
