"""Calendar sources of the practitioners (ICS file, ICS subscription) and their sync.

`ws.calendars` adds, lists and removes sources; `sync(source_id)` reads the file or
downloads the feed (If-None-Match / If-Modified-Since: an unchanged feed is not
downloaded again), imports it through the source's component cache and replaces the
source's busy time in one transaction. A failed sync keeps the previous busy time and
records the French reason on the source.
"""

from __future__ import annotations

import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from permanence.core.calendars.busy import replace_busy_times
from permanence.core.calendars.model import (
    CalendarImportError,
    ImportResult,
    ImportStats,
    Skipped,
)
from permanence.core.db.models import CalendarSource, Practitioner
from permanence.core.errors import NotFoundError, ValidationError

KINDS = ("ics_file", "ics_url", "caldav")
#: Seconds to wait for a subscription's server.
TIMEOUT = 20.0
#: A feed larger than this is refused rather than filling the memory.
MAX_BYTES = 64 * 1024 * 1024
USER_AGENT = "Permanence (abonnement iCalendar)"


class SyncFailed(Exception):
    """A sync that could not get or use the calendar; the message is French."""


@dataclass(frozen=True, slots=True)
class CalendarSourceInfo:
    id: int
    practitioner_id: int
    kind: str
    label: str
    location: str
    username: str
    enabled: bool
    last_sync_at: datetime | None
    last_status: str
    last_message: str
    privacy: str = "initials"  # what a CalDAV calendar receives: full, initials, minimal


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What a sync did. `ok` False: nothing changed in the agenda, `message` says why.

    `unchanged`: the server answered 304, nothing was downloaded or imported.
    """

    source_id: int
    ok: bool
    message: str
    synced_at: datetime
    unchanged: bool = False
    events: int = 0
    busy: int = 0
    skipped: tuple[Skipped, ...] = ()
    warnings: tuple[str, ...] = ()
    stats: ImportStats | None = None


@dataclass(frozen=True, slots=True)
class _Fetched:
    data: bytes | None  # None: not modified (304)
    etag: str = ""
    last_modified: str = ""


class CalendarSourcesService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    # -- sources -----------------------------------------------------------------------
    def add_file_source(
        self, practitioner_id: int, path: Path | str, *, label: str = ""
    ) -> CalendarSourceInfo:
        """An ICS file; the same file already set up for this practitioner is reused."""
        if not str(path).strip():
            raise ValidationError("Indiquez le fichier agenda (.ics) à importer.")
        location = str(Path(path).expanduser().resolve())
        return self._add(practitioner_id, "ics_file", location, label or Path(location).name)

    def add_url_source(
        self, practitioner_id: int, url: str, *, label: str = ""
    ) -> CalendarSourceInfo:
        """An ICS subscription (http, https; webcal is https); an existing one is reused."""
        location = check_url(url)
        return self._add(practitioner_id, "ics_url", location, label or urlsplit(location).netloc)

    def all(self, *, enabled_only: bool = True) -> list[CalendarSourceInfo]:
        """Every practitioner's sources (the scheduled refresh goes through them)."""
        query = select(CalendarSource).order_by(CalendarSource.id)
        if enabled_only:
            query = query.where(CalendarSource.enabled.is_(True))
        with self._sessions() as session:
            return [_info(row) for row in session.scalars(query)]

    def list(self, practitioner_id: int) -> list[CalendarSourceInfo]:
        query = (
            select(CalendarSource)
            .where(CalendarSource.practitioner_id == practitioner_id)
            .order_by(CalendarSource.id)
        )
        with self._sessions() as session:
            return [_info(row) for row in session.scalars(query)]

    def get(self, source_id: int) -> CalendarSourceInfo:
        with self._sessions() as session:
            return _info(_source(session, source_id))

    def remove(self, source_id: int) -> None:
        """Remove a source with its cache and its busy time."""
        with self._sessions.begin() as session:
            _source(session, source_id)
            session.execute(delete(CalendarSource).where(CalendarSource.id == source_id))

    def _add(
        self, practitioner_id: int, kind: str, location: str, label: str
    ) -> CalendarSourceInfo:
        with self._sessions.begin() as session:
            if session.get(Practitioner, practitioner_id) is None:
                raise NotFoundError("Ce praticien n'existe plus : agenda non ajouté.")
            existing = session.scalars(
                select(CalendarSource).where(
                    CalendarSource.practitioner_id == practitioner_id,
                    CalendarSource.kind == kind,
                    CalendarSource.location == location,
                )
            ).first()
            if existing is not None:
                return _info(existing)
            row = CalendarSource(
                practitioner_id=practitioner_id, kind=kind, location=location, label=label[:200]
            )
            session.add(row)
            session.flush()
            return _info(row)

    # -- sync --------------------------------------------------------------------------
    def sync(self, source_id: int, *, now: datetime | None = None) -> SyncReport:
        """Read or download the calendar and replace the source's busy time."""
        moment = (now or datetime.now(UTC)).astimezone(UTC)
        with self._sessions() as session:
            source = _info(_source(session, source_id))
            etag, modified = _validators(session, source_id)
            zone_name = session.scalar(
                select(Practitioner.timezone).where(Practitioner.id == source.practitioner_id)
            )
        try:
            fetched = _fetch(source, etag, modified)
            if fetched.data is None:
                return self._unchanged(source_id, moment)
            return self._import(source, fetched, _zone(zone_name), moment)
        except (SyncFailed, CalendarImportError) as error:
            return self._failed(source_id, str(error), moment)

    def _import(
        self, source: CalendarSourceInfo, fetched: _Fetched, zone: ZoneInfo, moment: datetime
    ) -> SyncReport:
        data = fetched.data or b""
        with self._sessions.begin() as session:
            # Raises CalendarImportError before anything is written: the old busy time stays.
            result = replace_busy_times(
                session,
                source_id=source.id,
                practitioner_id=source.practitioner_id,
                data=data,
                zone=zone,
                moment=moment,
            )
            message = summary(result)
            row = _source(session, source.id)
            row.last_sync_at, row.last_status, row.last_message = moment, "ok", message
            if source.kind == "ics_url":
                row.etag, row.last_modified = fetched.etag[:500], fetched.last_modified[:100]
        return SyncReport(
            source.id,
            True,
            message,
            moment,
            events=result.events,
            busy=result.occurrences,
            skipped=result.skipped,
            warnings=result.warnings,
            stats=result.stats,
        )

    def _unchanged(self, source_id: int, moment: datetime) -> SyncReport:
        message = "Agenda inchangé depuis la dernière synchronisation : rien n'a été téléchargé."
        self._record(source_id, moment, "ok", message)
        return SyncReport(source_id, True, message, moment, unchanged=True)

    def _failed(self, source_id: int, reason: str, moment: datetime) -> SyncReport:
        message = " ".join(f"{reason} L'ancien temps occupé est conservé.".split())
        self._record(source_id, moment, "erreur", message)
        return SyncReport(source_id, False, message, moment)

    def _record(self, source_id: int, moment: datetime, status: str, message: str) -> None:
        with self._sessions.begin() as session:
            row = _source(session, source_id)
            row.last_sync_at, row.last_status, row.last_message = moment, status, message


def check_url(url: str) -> str:
    """The subscription address, checked; ValidationError (French) otherwise."""
    text = url.strip()
    if text.lower().startswith("webcal://"):
        text = "https://" + text[len("webcal://") :]
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https"):
        raise ValidationError(
            f"Adresse d'abonnement refusée : « {url} ». Elle doit commencer par https:// "
            "(ou http://, webcal://)."
        )
    if not parts.hostname:
        raise ValidationError(f"Adresse d'abonnement incomplète : « {url} » (serveur manquant).")
    return text


def summary(result: ImportResult) -> str:
    """The French one-paragraph summary of a successful import."""
    parts = [
        f"{result.events} événement(s) lu(s)",
        f"{result.occurrences} créneau(x) occupé(s) dans l'agenda",
    ]
    if result.skipped:
        reasons = "; ".join(
            f"{item.uid or 'sans UID'} : {item.reason}" for item in result.skipped[:5]
        )
        more = f" (et {len(result.skipped) - 5} autre(s))" if len(result.skipped) > 5 else ""
        parts.append(f"{len(result.skipped)} élément(s) ignoré(s) — {reasons}{more}")
    stats = result.stats
    if stats.reused_groups:
        parts.append(f"{stats.reused_groups} événement(s) inchangé(s) repris du cache")
    return ", ".join(parts) + "."


def _fetch(source: CalendarSourceInfo, etag: str, modified: str) -> _Fetched:
    if source.kind == "ics_file":
        return _Fetched(_read_file(Path(source.location)))
    if source.kind == "ics_url":
        return _download(source.location, etag, modified)
    raise SyncFailed("La synchronisation CalDAV n'est pas encore disponible.")


def _read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise SyncFailed(f"Fichier agenda introuvable : {path}.") from None
    except PermissionError:
        raise SyncFailed(f"Fichier agenda illisible (accès refusé) : {path}.") from None
    except OSError as error:
        raise SyncFailed(f"Fichier agenda illisible : {path} ({error.strerror}).") from None


def _download(url: str, etag: str, modified: str) -> _Fetched:
    headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    request = urllib.request.Request(url, headers=headers)
    host = urlsplit(url).netloc
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            data = response.read(MAX_BYTES + 1)
            new_etag = response.headers.get("ETag", "")
            new_modified = response.headers.get("Last-Modified", "")
            kind = response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return _Fetched(None)
        raise SyncFailed(_http_problem(error.code, host)) from None
    except urllib.error.URLError as error:
        raise SyncFailed(_network_problem(error.reason, host)) from None
    except (TimeoutError, ssl.SSLError, OSError) as error:
        raise SyncFailed(_network_problem(error, host)) from None
    if len(data) > MAX_BYTES:
        raise SyncFailed(f"Agenda trop volumineux sur « {host} » (plus de 64 Mo) : refusé.")
    if b"BEGIN:VCALENDAR" not in data[:4096].upper():
        raise SyncFailed(
            f"L'adresse ne renvoie pas un agenda iCalendar (contenu reçu : {kind}). "
            "Vérifiez le lien d'abonnement (il se termine souvent par .ics)."
        )
    return _Fetched(data, new_etag, new_modified)


def _http_problem(code: int, host: str) -> str:
    if code in (401, 403):
        return f"Accès refusé par « {host} » (HTTP {code}) : le lien est privé ou a expiré."
    if code in (404, 410):
        return (
            f"Agenda introuvable sur « {host} » (HTTP {code}) : le lien a changé ou a été supprimé."
        )
    if code >= 500:
        return f"Le serveur « {host} » est en panne (HTTP {code}) : réessayez plus tard."
    return f"Le serveur « {host} » a refusé la demande (HTTP {code})."


def _network_problem(reason: object, host: str) -> str:
    if isinstance(reason, ssl.SSLCertVerificationError) or (
        isinstance(reason, ssl.SSLError) and "CERTIFICATE" in str(reason).upper()
    ):
        return (
            f"Problème de certificat de sécurité avec « {host} » : la connexion n'est pas sûre, "
            "rien n'a été téléchargé."
        )
    if isinstance(reason, ssl.SSLError):
        return f"Connexion sécurisée impossible avec « {host} » ({reason})."
    if isinstance(reason, TimeoutError):
        return f"Le serveur « {host} » ne répond pas (délai dépassé)."
    return f"Serveur « {host} » injoignable : vérifiez l'adresse et la connexion Internet."


def _validators(session: Session, source_id: int) -> tuple[str, str]:
    row = session.execute(
        select(CalendarSource.etag, CalendarSource.last_modified).where(
            CalendarSource.id == source_id
        )
    ).one()
    return row[0] or "", row[1] or ""


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "Europe/Paris")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Paris")


def _source(session: Session, source_id: int) -> CalendarSource:
    row = session.get(CalendarSource, source_id)
    if row is None:
        raise NotFoundError("Cet agenda n'existe plus.")
    return row


def _info(row: CalendarSource) -> CalendarSourceInfo:
    return CalendarSourceInfo(
        row.id,
        row.practitioner_id,
        row.kind,
        row.label,
        row.location,
        row.username,
        row.enabled,
        row.last_sync_at,
        row.last_status,
        row.last_message,
        row.privacy,
    )
