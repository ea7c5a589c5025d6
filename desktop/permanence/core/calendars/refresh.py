"""Refreshing calendar sources, whatever their kind (Qt-free; the UI runs it off its thread).

`sync_source` syncs one source: a file or subscription through `ws.calendars.sync`, a
CalDAV calendar through `ws.caldav.sync` with its password from `password_for` (the secret
store, or what the user typed this session). `refresh_all` goes through every enabled
source: the start-up refresh and the periodic one. One failing source never stops the
others; every result carries a French message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from permanence.core.calendars.caldav_sync import CalDavService, secret_name
from permanence.core.calendars.sources import CalendarSourceInfo, CalendarSourcesService
from permanence.core.errors import PermanenceError

#: Minutes between two scheduled refreshes.
REFRESH_MINUTES = 15

PasswordLookup = Callable[[int], str | None]


class SecretReader(Protocol):
    def get(self, name: str) -> str | None: ...


@dataclass(frozen=True, slots=True)
class SourceRefresh:
    """The outcome of one source's sync, for the sources list and the notices."""

    source_id: int
    practitioner_id: int
    kind: str
    label: str
    ok: bool
    message: str
    synced_at: datetime
    offline: bool = False
    notices: tuple[str, ...] = ()  # appointments freed or moved on the server, conflicts
    conflicts: int = 0
    pending: int = 0


def stored_password(secrets: SecretReader | None) -> PasswordLookup:
    """Look a CalDAV source's password up in the secret store (None when absent)."""

    def lookup(source_id: int) -> str | None:
        if secrets is None:
            return None
        try:
            return secrets.get(secret_name(source_id))
        except Exception:  # a broken keyring must not stop the other sources
            return None

    return lookup


def sync_source(
    calendars: CalendarSourcesService,
    caldav: CalDavService,
    source: CalendarSourceInfo,
    password_for: PasswordLookup,
    *,
    now: datetime | None = None,
) -> SourceRefresh:
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    if source.kind != "caldav":
        report = calendars.sync(source.id, now=moment)
        return SourceRefresh(
            source.id,
            source.practitioner_id,
            source.kind,
            source.label,
            report.ok,
            report.message,
            report.synced_at,
        )
    password = password_for(source.id)
    if password is None and source.username:
        message = (
            f"Mot de passe de l'agenda « {source.label} » inconnu : saisissez-le de nouveau "
            "dans Agendas externes (Ctrl+I). Rien n'a été échangé."
        )
        caldav_state = caldav.state(source.id)
        return SourceRefresh(
            source.id,
            source.practitioner_id,
            source.kind,
            source.label,
            False,
            message,
            moment,
            conflicts=caldav_state.conflicts,
            pending=caldav_state.pending,
        )
    result = caldav.sync(source.id, password or "", now=moment)
    return SourceRefresh(
        source.id,
        source.practitioner_id,
        source.kind,
        source.label,
        result.ok,
        result.message,
        result.synced_at,
        offline=result.offline,
        notices=result.notices,
        conflicts=result.conflicts,
        pending=result.pending,
    )


def refresh_all(
    calendars: CalendarSourcesService,
    caldav: CalDavService,
    password_for: PasswordLookup,
    *,
    now: datetime | None = None,
) -> list[SourceRefresh]:
    """Sync every enabled source, one after the other; a failure is reported, not raised."""
    results: list[SourceRefresh] = []
    for source in calendars.all():
        try:
            results.append(sync_source(calendars, caldav, source, password_for, now=now))
        except PermanenceError as error:  # removed meanwhile, not a CalDAV source anymore…
            results.append(
                SourceRefresh(
                    source.id,
                    source.practitioner_id,
                    source.kind,
                    source.label,
                    False,
                    error.message,
                    datetime.now(UTC),
                )
            )
    return results


__all__ = [
    "REFRESH_MINUTES",
    "PasswordLookup",
    "SecretReader",
    "SourceRefresh",
    "refresh_all",
    "stored_password",
    "sync_source",
]
