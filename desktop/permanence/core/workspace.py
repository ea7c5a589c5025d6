"""The Workspace: the one door to the engine (like Anki's Collection).

The UI and the CLI call its services (`ws.practices`, `ws.consignes`, `ws.callers`, …).
Services open a short session per unit of work and hand out immutable values.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from permanence.core.agenda.store import AgendaBookings, AgendaStore
from permanence.core.callers.service import CallersService
from permanence.core.calls.followups import FollowUpsService
from permanence.core.calls.instances import InstanceRegistry, new_instance_id
from permanence.core.calls.service import CallsService
from permanence.core.consignes.service import ConsignesService
from permanence.core.db.engine import DB_FILENAME, make_engine, sqlite_url
from permanence.core.db.migrate import prepare_schema
from permanence.core.db.models import Setting
from permanence.core.errors import PermanenceError, WorkspaceError
from permanence.core.paths import default_workspace_dir, env_db_url
from permanence.core.practices.service import PracticesService
from permanence.core.security.accounts import (
    LOCAL_USER,
    AccountInfo,
    AccountsService,
    LoginGuard,
)
from permanence.core.security.audit import (
    LOGIN,
    LOGIN_FAILED,
    AuditContext,
    AuditLog,
    install_capture,
)
from permanence.core.security.keyslots import KeySlots, WrongPasswordError, new_database_key
from permanence.core.security.workspace_lock import WorkspaceLock

if TYPE_CHECKING:
    from permanence.core.agenda.settings import AgendaSettingsService
    from permanence.core.agenda.waitlist import WaitlistService
    from permanence.core.calendars.caldav_sync import CalDavService
    from permanence.core.calendars.sources import CalendarSourcesService
    from permanence.core.messages.service import MessagesService
    from permanence.core.security.backup import BackupService
    from permanence.core.security.secrets import SecretStore


class WorkspaceLockedError(PermanenceError):
    """The workspace is encrypted: a user name and password are needed to open it."""


@dataclass(frozen=True, slots=True)
class WorkspaceLocation:
    """Where the data is: a folder holding a SQLite file, or a database URL."""

    url: str
    directory: Path | None
    is_demo: bool = False

    @property
    def label(self) -> str:
        """What the status bar shows (never a password)."""
        if self.directory is not None:
            return str(self.directory)
        _credentials, sep, tail = self.url.partition("@")
        return f"{self.url.split('://')[0]}://…@{tail}" if sep else self.url


def resolve_location(directory: Path | None = None, url: str | None = None) -> WorkspaceLocation:
    """`--workspace DIR` wins, then PERMANENCE_DB_URL, then the user's data folder."""
    if directory is not None:
        return WorkspaceLocation(sqlite_url(directory / DB_FILENAME), directory)
    chosen = url or env_db_url()
    if chosen:
        return WorkspaceLocation(chosen, None)
    folder = default_workspace_dir()
    return WorkspaceLocation(sqlite_url(folder / DB_FILENAME), folder)


def _prepare_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError(
            f"Impossible de créer le dossier de l'espace de travail « {folder} » : "
            f"{exc.strerror or exc}."
        ) from exc
    database = folder / DB_FILENAME
    if not _can_write(folder) or (database.exists() and not os.access(database, os.R_OK | os.W_OK)):
        raise WorkspaceError(
            f"Le dossier de l'espace de travail « {folder} » n'est pas accessible en écriture. "
            "Choisissez un autre dossier (--workspace) ou corrigez ses droits ; "
            "rien n'a été modifié."
        )


def _can_write(folder: Path) -> bool:
    """Really try: `os.access` says yes to root even on an immutable folder."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def check_integrity(engine: Engine, location: WorkspaceLocation) -> None:
    """`PRAGMA quick_check` on SQLite: a damaged file gets a French way out, not a crash."""
    if engine.dialect.name != "sqlite":
        return
    from sqlalchemy import text

    with engine.connect() as connection:
        rows = [str(row[0]) for row in connection.execute(text("PRAGMA quick_check"))]
    if rows != ["ok"]:
        raise WorkspaceError(
            f"L'espace de travail « {location.label} » est endommagé (vérification d'intégrité : "
            f"{'; '.join(rows[:3])}). Rien n'a été modifié. Restaurez la dernière sauvegarde "
            "avec « permanence restore FICHIER » (les sauvegardes automatiques sont dans le "
            "dossier « sauvegardes » de l'espace de travail)."
        )


def _check_schema_readable(engine: Engine) -> None:
    from permanence.core.db.migrate import HEAD_REVISION, current_revision

    if current_revision(engine) != HEAD_REVISION:
        raise WorkspaceError(
            "Cet espace de travail doit être mis à jour avant de pouvoir être lu ; "
            "ouvrez-le d'abord normalement (pas en lecture seule)."
        )


def _unreadable_message(location: WorkspaceLocation, encrypted: bool, exc: Exception) -> str:
    detail = getattr(exc, "orig", None) or exc
    if encrypted:
        return (
            f"L'espace de travail « {location.label} » ne peut pas être ouvert : la base ne "
            "correspond pas à ses clés ou elle est endommagée. Rien n'a été modifié. "
            "Restaurez une sauvegarde (permanence restore FICHIER). "
            f"(Détail : {detail})"
        )
    return (
        f"L'espace de travail « {location.label} » ne peut pas être ouvert : le fichier "
        "est endommagé ou n'est pas une base Permanence. Rien n'a été modifié. "
        f"(Détail : {detail})"
    )


class Workspace:
    """An open workspace. Use as a context manager or call `close()`."""

    def __init__(
        self,
        engine: Engine,
        location: WorkspaceLocation,
        *,
        key: bytes | None = None,
        read_only: bool = False,
        lock: WorkspaceLock | None = None,
    ) -> None:
        self.engine = engine
        self.location = location
        self.read_only = read_only
        self._key = key
        self._lock = lock
        self.sessions: sessionmaker[Session] = sessionmaker(engine, expire_on_commit=False)
        #: Who is logged in; a workspace without accounts has one local user with all rights.
        self.user: AccountInfo = LOCAL_USER
        self._audit_context = AuditContext(read_only=read_only)
        install_capture(self.sessions, self._audit_context)
        self.audit = AuditLog(self.sessions, self._audit_context)
        self.accounts = AccountsService(
            self.sessions, location.directory, lambda: self._key, lambda: self.user
        )
        self.practices = PracticesService(self.sessions, self.scope_practitioner_id)
        self.consignes = ConsignesService(self.sessions)
        self.callers = CallersService(self.sessions)
        self.agenda = AgendaStore(self.sessions)
        self.bookings = AgendaBookings(self.sessions, on_change=self._appointment_changed)
        # This running copy of the app: it owns its call drafts while the workspace is open.
        self.instance_id = new_instance_id()
        self.instances = InstanceRegistry.for_workspace(self.instance_id, location.directory)
        self.calls = CallsService(self.sessions, self.instance_id, instances=self.instances)
        self.followups = FollowUpsService(self.sessions)

    @classmethod
    def open(
        cls,
        directory: Path | None = None,
        *,
        url: str | None = None,
        is_demo: bool = False,
        key: bytes | None = None,
        read_only: bool = False,
        exclusive: bool = False,
    ) -> Workspace:
        """Open (creating if needed) and migrate to the current schema.

        An encrypted workspace (a folder with key slots) needs its database `key`: use
        `unlock` with a user name and password. `exclusive` takes the workspace's writer
        lock (the GUI does): a second app on the same workspace gets WorkspaceBusyError
        and may then open it `read_only`.
        """
        location = resolve_location(directory, url)
        if is_demo:
            location = WorkspaceLocation(location.url, location.directory, is_demo=True)
        folder = location.directory
        if folder is not None:
            _prepare_folder(folder)
            if key is None and KeySlots.exists_in(folder):
                raise WorkspaceLockedError(
                    f"L'espace de travail « {folder} » est chiffré : identifiez-vous pour l'ouvrir."
                )
        lock = None
        if exclusive and not read_only and folder is not None:
            lock = WorkspaceLock.acquire(folder)
        engine = make_engine(location.url, key=key, read_only=read_only)
        try:
            check_integrity(engine, location)
            if read_only:
                _check_schema_readable(engine)
            else:
                prepare_schema(engine)
        except WorkspaceError:
            engine.dispose()
            if lock is not None:
                lock.release()
            raise
        except (DatabaseError, OperationalError) as exc:
            engine.dispose()
            if lock is not None:
                lock.release()
            raise WorkspaceError(_unreadable_message(location, key is not None, exc)) from exc
        return cls(engine, location, key=key, read_only=read_only, lock=lock)

    @classmethod
    def unlock(
        cls,
        directory: Path,
        username: str,
        password: str,
        *,
        read_only: bool = False,
        exclusive: bool = False,
        guard: LoginGuard | None = None,
    ) -> Workspace:
        """Open an encrypted workspace as `username` (WrongPasswordError, TooManyAttempts)."""
        guard = guard or LoginGuard(directory)
        guard.check()
        slots = KeySlots.load(directory)
        try:
            key = slots.unwrap(username, password)
        except WrongPasswordError:
            guard.failed()
            raise
        workspace = cls.open(directory, key=key, read_only=read_only, exclusive=exclusive)
        account = workspace.accounts.get(username)
        if account is None or not account.active:
            workspace.close()
            guard.failed()
            raise WrongPasswordError("Ce compte est désactivé ou inconnu.")
        guard.succeeded()
        workspace._log_in(account)
        return workspace

    @classmethod
    def create_encrypted(
        cls,
        directory: Path,
        username: str,
        password: str,
        *,
        display_name: str = "",
        exclusive: bool = False,
    ) -> Workspace:
        """A new encrypted workspace in an empty folder, with its first (admin) account."""
        from permanence.core.db.models import Account
        from permanence.core.security.accounts import ADMIN, validate_new_account

        name = validate_new_account(username, ADMIN, password)
        _prepare_folder(directory)
        if (directory / DB_FILENAME).exists() or KeySlots.exists_in(directory):
            raise WorkspaceError(
                f"Le dossier « {directory} » contient déjà un espace de travail ; "
                "rien n'a été modifié."
            )
        key = new_database_key()
        slots = KeySlots.new().with_slot(name, password, key)
        slots.save(directory)
        try:
            workspace = cls.open(directory, key=key, exclusive=exclusive)
        except BaseException:
            KeySlots.path_in(directory).unlink(missing_ok=True)
            raise
        workspace.set_setting("workspace.id", slots.workspace_id)
        with workspace.sessions.begin() as session:
            session.add(Account(username=name, display_name=display_name.strip(), role=ADMIN))
        account = workspace.accounts.get(name)
        assert account is not None
        workspace._log_in(account)
        return workspace

    def _log_in(self, account: AccountInfo) -> None:
        self.user = account
        self._audit_context.actor = account.username
        if not self.read_only:
            self.audit.record(LOGIN, "compte", account.id)

    def scope_practitioner_id(self) -> int | None:
        """The one practitioner a practitioner account may see (None: no restriction)."""
        if not self.user.is_practitioner:
            return None
        return self.user.practitioner_id if self.user.practitioner_id is not None else -1

    def _appointment_changed(self, appointment_id: int, practitioner_id: int, action: str) -> None:
        """Queue the change for each CalDAV calendar of the practitioner (sent at next sync)."""
        from permanence.core.db.models import CalendarSource

        with self.sessions() as session:
            sources = list(
                session.scalars(
                    select(CalendarSource.id).where(
                        CalendarSource.practitioner_id == practitioner_id,
                        CalendarSource.kind == "caldav",
                        CalendarSource.enabled.is_(True),
                    )
                )
            )
        for source_id in sources:  # most practitioners have none: no CalDAV import then
            # The appointment is already saved: a failure to queue must not undo it.
            with contextlib.suppress(PermanenceError):
                self.caldav.queue_appointment(appointment_id, source_id, action)

    @property
    def encrypted(self) -> bool:
        return self._key is not None

    def verify_password(self, password: str) -> bool:
        """Whether `password` is the logged-in user's (to unlock the screen)."""
        folder = self.location.directory
        if folder is None or self._key is None:
            return True
        guard = LoginGuard(folder)
        guard.check()
        try:
            good = KeySlots.load(folder).unwrap(self.user.username, password) == self._key
        except WrongPasswordError:
            good = False
        if good:
            guard.succeeded()
        else:
            guard.failed()
            if not self.read_only:
                self.audit.record(LOGIN_FAILED, "compte", self.user.id)
        return good

    @cached_property
    def workspace_id(self) -> str:
        """A stable id of this workspace (key slots, backups, keyring entries); read once,
        not at every backup rotation or secret lookup."""
        folder = self.location.directory
        if folder is not None and KeySlots.exists_in(folder):
            return KeySlots.load(folder).workspace_id
        existing = self.setting("workspace.id")
        if existing or self.read_only:
            return existing
        import uuid

        created = uuid.uuid4().hex
        self.set_setting("workspace.id", created)
        return created

    # -- services needed after start-up: imported on first use (icalendar & co. are slow) --
    @cached_property
    def messages(self) -> MessagesService:
        from permanence.core.messages.service import MessagesService

        return MessagesService(self.sessions, self.followups, scope=self.scope_practitioner_id)

    @cached_property
    def calendars(self) -> CalendarSourcesService:
        from permanence.core.calendars.sources import CalendarSourcesService

        return CalendarSourcesService(self.sessions)

    @cached_property
    def caldav(self) -> CalDavService:
        from permanence.core.calendars.caldav_sync import CalDavService

        return CalDavService(self.sessions)

    @cached_property
    def secrets(self) -> SecretStore:
        from permanence.core.security.secrets import SecretStore

        return SecretStore(self.sessions, self.workspace_id, encrypted=self.encrypted)

    @cached_property
    def backups(self) -> BackupService:
        """Backups of this workspace (`run_due()` is safe from a worker thread)."""
        from permanence.core.security.backup import BackupService

        return BackupService(self, lambda: self._key)

    @cached_property
    def waitlist(self) -> WaitlistService:
        from permanence.core.agenda.waitlist import WaitlistService

        return WaitlistService(self.sessions)

    @cached_property
    def agenda_settings(self) -> AgendaSettingsService:
        from permanence.core.agenda.settings import AgendaSettingsService

        return AgendaSettingsService(self.sessions)

    def prewarm(self) -> None:
        """Build the caller indexes and import what the first call and the evening views
        need (run off the GUI thread, once the window shows the workspace)."""
        if not self.callers.index.built:
            self.callers.warm_up()
        _ = self.messages, self.calendars, self.waitlist, self.agenda_settings
        from permanence.core.triage import default_catalog

        default_catalog()

    # -- settings ----------------------------------------------------------------------
    def setting(self, key: str, default: str = "") -> str:
        with self.sessions() as session:
            value = session.scalar(select(Setting.value).where(Setting.key == key))
        return default if value is None else value

    def set_setting(self, key: str, value: str) -> None:
        with self.sessions.begin() as session:
            session.merge(Setting(key=key, value=value))

    @property
    def name(self) -> str:
        return self.setting("workspace.name", "Espace de travail")

    @property
    def secretary(self) -> str:
        return self.setting("workspace.secretary", "")

    # -- lifetime ----------------------------------------------------------------------
    def close(self) -> None:
        self.instances.release()
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
