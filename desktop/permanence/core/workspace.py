"""The Workspace: the one door to the engine (like Anki's Collection).

The UI and the CLI call its services (`ws.practices`, `ws.consignes`, `ws.callers`, …).
Services open a short session per unit of work and hand out immutable values.
"""

from __future__ import annotations

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
from permanence.core.errors import WorkspaceError
from permanence.core.paths import default_workspace_dir, env_db_url
from permanence.core.practices.service import PracticesService

if TYPE_CHECKING:
    from permanence.core.agenda.settings import AgendaSettingsService
    from permanence.core.agenda.waitlist import WaitlistService
    from permanence.core.calendars.caldav_sync import CalDavService
    from permanence.core.calendars.sources import CalendarSourcesService
    from permanence.core.messages.service import MessagesService


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


class Workspace:
    """An open workspace. Use as a context manager or call `close()`."""

    def __init__(self, engine: Engine, location: WorkspaceLocation) -> None:
        self.engine = engine
        self.location = location
        self.sessions: sessionmaker[Session] = sessionmaker(engine, expire_on_commit=False)
        self.practices = PracticesService(self.sessions)
        self.consignes = ConsignesService(self.sessions)
        self.callers = CallersService(self.sessions)
        self.agenda = AgendaStore(self.sessions)
        self.bookings = AgendaBookings(self.sessions)
        # This running copy of the app: it owns its call drafts while the workspace is open.
        self.instance_id = new_instance_id()
        self.instances = InstanceRegistry.for_workspace(self.instance_id, location.directory)
        self.calls = CallsService(self.sessions, self.instance_id, instances=self.instances)
        self.followups = FollowUpsService(self.sessions)

    @classmethod
    def open(
        cls, directory: Path | None = None, *, url: str | None = None, is_demo: bool = False
    ) -> Workspace:
        """Open (creating if needed) and migrate to the current schema."""
        location = resolve_location(directory, url)
        if is_demo:
            location = WorkspaceLocation(location.url, location.directory, is_demo=True)
        if location.directory is not None:
            _prepare_folder(location.directory)
        engine = make_engine(location.url)
        try:
            prepare_schema(engine)
        except WorkspaceError:
            engine.dispose()
            raise
        except (DatabaseError, OperationalError) as exc:
            engine.dispose()
            raise WorkspaceError(
                f"L'espace de travail « {location.label} » ne peut pas être ouvert : le fichier "
                "est endommagé ou n'est pas une base Permanence. Rien n'a été modifié. "
                f"(Détail : {exc.orig if exc.orig is not None else exc})"
            ) from exc
        return cls(engine, location)

    # -- services needed after start-up: imported on first use (icalendar & co. are slow) --
    @cached_property
    def messages(self) -> MessagesService:
        from permanence.core.messages.service import MessagesService

        return MessagesService(self.sessions, self.followups)

    @cached_property
    def calendars(self) -> CalendarSourcesService:
        from permanence.core.calendars.sources import CalendarSourcesService

        return CalendarSourcesService(self.sessions)

    @cached_property
    def caldav(self) -> CalDavService:
        from permanence.core.calendars.caldav_sync import CalDavService

        return CalDavService(self.sessions)

    @cached_property
    def waitlist(self) -> WaitlistService:
        from permanence.core.agenda.waitlist import WaitlistService

        return WaitlistService(self.sessions)

    @cached_property
    def agenda_settings(self) -> AgendaSettingsService:
        from permanence.core.agenda.settings import AgendaSettingsService

        return AgendaSettingsService(self.sessions)

    def prewarm(self) -> None:
        """Import what the first call and the evening views need (run off the GUI thread)."""
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

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
