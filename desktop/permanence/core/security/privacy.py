"""RGPD: what the workspace holds about one person, as a readable file, and erasing it.

A person is a caller's file (`Caller`) and everything linked to it: phones, practices,
calls, messages (with their history), callbacks and promises, waiting-list entries,
appointments, and the audit entries about any of these.

- `holdings` counts what is held (for the confirmation the user reads before erasing);
- `person_report` is the right of access (RGPD art. 15): one HTML page in French that a
  practitioner opens in a browser and prints;
- `export_person` writes that page to a file and records the export in the audit log;
- `erase_person` is the right to erasure (art. 17), in one transaction: the caller, phones,
  calls, messages, events, follow-ups, waiting-list entries and future appointments are
  deleted; past appointments keep their slot (the practitioner's agenda and billing) but
  lose the person: no caller any more, notes replaced by "Personne effacée". One audit
  entry ("suppression", kind "appelant") records the erasure with counts only; earlier
  audit entries hold identifiers, never names, and stay (the log is append-only).

Not covered: messages taken without a link to the caller's file (names typed freely in a
message for someone else) and copies already sent outside the workspace (PDF digests,
e-mails, .ics files, CalDAV calendars): `ErasureReport.calendar_items` counts the
appointments a CalDAV calendar received, to be deleted there too.

Rights: a practitioner account may do neither (it sees only its own data); exporting is
open to secretaries and administrators, erasing to administrators.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from permanence.core.agenda.french import format_date, format_time
from permanence.core.callers.values import CallerInfo, caller_kind_label
from permanence.core.calls.outcomes import outcome_label
from permanence.core.db.models import (
    Appointment,
    AppointmentType,
    AuditEntry,
    CalendarItem,
    CalendarOutbox,
    Call,
    Caller,
    CallerPhone,
    FollowUp,
    Message,
    MessageEvent,
    Practice,
    Practitioner,
    WaitlistEntry,
    caller_practices,
)
from permanence.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from permanence.core.phone import format_for_display
from permanence.core.security.audit import DELETED, EXPORTED
from permanence.core.text import fold

if TYPE_CHECKING:
    from permanence.core.workspace import Workspace

ERASED_LABEL = "Personne effacée"
PARIS = ZoneInfo("Europe/Paris")
TRIAGE_WORDS = {"vital": "vital", "urgent": "urgent", "soon": "sous 48 h", "routine": "programmé"}
MESSAGE_STATUS_WORDS = {
    "nouveau": "nouveau",
    "transmis": "transmis",
    "lu": "lu",
    "rappelé": "rappelé",
    "rappele": "rappelé",
    "clos": "clos",
}
APPOINTMENT_STATUS_WORDS = {"booked": "réservé", "cancelled": "annulé", "no_show": "non honoré"}
FOLLOW_UP_WORDS = {"rappel": "Rappel", "promesse": "Promesse", "tache": "Tâche"}
WAITLIST_WORDS = {"en_attente": "en attente", "servi": "servi", "retire": "retiré"}


@dataclass(frozen=True, slots=True)
class PersonHoldings:
    """How much the workspace holds about one caller."""

    caller: CallerInfo
    practices: tuple[str, ...]
    calls: int
    open_calls: int
    messages: int
    followups: int
    waitlist: int
    future_appointments: int
    past_appointments: int
    audit_entries: int

    def lines(self) -> list[str]:
        """French lines: what an erasure deletes, and what it keeps."""
        phones = len(self.caller.phones)
        return [
            f"{phones} numéro(s) de téléphone",
            f"{self.calls} appel(s) au cahier d'appels",
            f"{self.messages} message(s), avec leur historique",
            f"{self.followups} rappel(s) ou promesse(s)",
            f"{self.waitlist} inscription(s) en liste d'attente",
            f"{self.future_appointments} rendez-vous à venir",
            f"{self.past_appointments} rendez-vous passé(s) : le créneau reste, "
            f"le nom devient « {ERASED_LABEL} »",
        ]


@dataclass(frozen=True, slots=True)
class ErasureReport:
    caller_id: int
    phones: int
    calls: int
    messages: int
    events: int
    followups: int
    waitlist: int
    future_appointments: int
    past_appointments: int
    #: appointments of this person that a CalDAV calendar received: delete them there too.
    calendar_items: int

    @property
    def summary(self) -> str:
        """French, counts only (it goes to the audit log as is)."""
        text = (
            f"Effacement RGPD de l'appelant n° {self.caller_id} : {self.phones} numéro(s), "
            f"{self.calls} appel(s), {self.messages} message(s), "
            f"{self.events} événement(s) de message, {self.followups} rappel(s), "
            f"{self.waitlist} inscription(s) en liste d'attente, "
            f"{self.future_appointments} rendez-vous à venir supprimé(s) ; "
            f"{self.past_appointments} rendez-vous passé(s) anonymisé(s)."
        )
        if self.calendar_items:
            text += (
                f" {self.calendar_items} rendez-vous figurai(en)t dans un agenda CalDAV : "
                "supprimez-les aussi dans cet agenda."
            )
        return text


# -- rights --------------------------------------------------------------------------------
def _check_may_read(ws: Workspace) -> None:
    if ws.user.is_practitioner:
        raise PermissionDeniedError(
            "Un compte praticien ne peut pas exporter les données d'une personne : "
            "demandez-le au secrétariat."
        )


def _check_may_erase(ws: Workspace) -> None:
    if not ws.user.is_admin:
        raise PermissionDeniedError("Seul un administrateur peut effacer une personne.")


# -- what is linked to a caller --------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Links:
    calls: list[int]
    open_calls: list[int]
    messages: list[int]
    followups: list[int]
    waitlist: list[int]
    future_appointments: list[int]
    past_appointments: list[int]


def _links(session: Session, caller_id: int, now: datetime) -> _Links:
    calls = list(session.scalars(select(Call.id).where(Call.caller_id == caller_id)))
    open_calls = list(
        session.scalars(select(Call.id).where(Call.caller_id == caller_id, Call.status == "draft"))
    )
    messages = list(session.scalars(select(Message.id).where(Message.caller_id == caller_id)))
    followups = list(
        session.scalars(
            select(FollowUp.id).where(
                or_(
                    FollowUp.caller_id == caller_id,
                    FollowUp.call_id.in_(calls),
                    FollowUp.message_id.in_(messages),
                )
            )
        )
    )
    waitlist = list(
        session.scalars(select(WaitlistEntry.id).where(WaitlistEntry.caller_id == caller_id))
    )
    appointments = session.execute(
        select(Appointment.id, Appointment.starts_at).where(Appointment.caller_id == caller_id)
    ).all()
    return _Links(
        calls=calls,
        open_calls=open_calls,
        messages=messages,
        followups=followups,
        waitlist=waitlist,
        future_appointments=[a for a, start in appointments if start >= now],
        past_appointments=[a for a, start in appointments if start < now],
    )


def _audit_filter(caller_id: int, links: _Links) -> Any:
    pairs: list[tuple[str, Sequence[int]]] = [
        ("appelant", [caller_id]),
        ("appel", links.calls),
        ("message", links.messages),
        ("rappel", links.followups),
        ("rendez-vous", links.future_appointments + links.past_appointments),
    ]
    return or_(
        *(
            and_(AuditEntry.kind == kind, AuditEntry.object_id.in_([str(i) for i in ids]))
            for kind, ids in pairs
            if ids
        )
    )


def _caller(ws: Workspace, caller_id: int) -> CallerInfo:
    try:
        return ws.callers.get(caller_id)
    except NotFoundError:
        raise NotFoundError(f"Aucun appelant n° {caller_id} dans cet espace de travail.") from None


def holdings(ws: Workspace, caller_id: int, now: datetime | None = None) -> PersonHoldings:
    """Counts of what is held about the caller (NotFoundError when there is no such caller)."""
    _check_may_read(ws)
    caller = _caller(ws, caller_id)
    moment = now or datetime.now(UTC)
    with ws.sessions() as session:
        links = _links(session, caller_id, moment)
        audit = session.scalar(
            select(func.count()).select_from(AuditEntry).where(_audit_filter(caller_id, links))
        )
        practices = tuple(_practice_names(session, caller.practice_ids))
    return PersonHoldings(
        caller=caller,
        practices=practices,
        calls=len(links.calls),
        open_calls=len(links.open_calls),
        messages=len(links.messages),
        followups=len(links.followups),
        waitlist=len(links.waitlist),
        future_appointments=len(links.future_appointments),
        past_appointments=len(links.past_appointments),
        audit_entries=int(audit or 0),
    )


def _practice_names(session: Session, ids: Iterable[int]) -> list[str]:
    wanted = list(ids)
    if not wanted:
        return []
    return list(session.scalars(select(Practice.name).where(Practice.id.in_(wanted))))


# -- the report (right of access) --------------------------------------------------------------
def person_report(ws: Workspace, caller_id: int, now: datetime | None = None) -> str:
    """Everything held about the caller, as one printable HTML page in French."""
    _check_may_read(ws)
    caller = _caller(ws, caller_id)
    moment = now or datetime.now(UTC)
    with ws.sessions() as session:
        links = _links(session, caller_id, moment)
        row = session.get(Caller, caller_id)
        assert row is not None
        phones = list(
            session.scalars(
                select(CallerPhone)
                .where(CallerPhone.caller_id == caller_id)
                .order_by(CallerPhone.id)
            )
        )
        sections = [
            _identity(row, caller, _practice_names(session, caller.practice_ids), phones),
            _calls(session, links.calls),
            _messages(session, links.messages),
            _followups(session, links.followups),
            _waitlist(session, links.waitlist),
            _appointments(session, caller_id),
            _audit(session, _audit_filter(caller_id, links)),
        ]
    title = f"Données détenues sur {caller.display_name}"
    return _page(title, ws.name, moment, sections)


def export_person(ws: Workspace, caller_id: int, path: Path, now: datetime | None = None) -> Path:
    """Write `person_report` to `path` (UTF-8, replaced at once) and audit the export."""
    html = person_report(ws, caller_id, now)
    target = Path(path)
    try:
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=".permanence-", suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(html.encode("utf-8"))
            Path(temporary).replace(target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise ValidationError(
            f"Impossible d'écrire « {target} » : {error.strerror or error}. Rien n'a été exporté."
        ) from None
    ws.audit.record(
        EXPORTED, "appelant", caller_id, "Export RGPD des données de la personne (HTML)."
    )
    return target


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    local = moment.astimezone(PARIS)
    return f"{format_date(local.date(), year=True)} à {format_time(local.time())}"


def _text(value: object) -> str:
    """Escaped, line breaks kept; "—" for nothing."""
    text = "" if value is None else str(value).strip()
    return escape(text).replace("\n", "<br>") if text else "—"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], empty: str) -> str:
    if not rows:
        return f"<p class='empty'>{escape(empty)}</p>"
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _fields(pairs: Sequence[tuple[str, str]]) -> str:
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in pairs)
    return f"<table class='fields'>{rows}</table>"


def _section(title: str, body: str, count: int | None = None) -> str:
    suffix = f" ({count})" if count is not None else ""
    return f"<section><h2>{escape(title)}{suffix}</h2>{body}</section>"


def _identity(
    row: Caller, caller: CallerInfo, practices: list[str], phones: list[CallerPhone]
) -> str:
    identity = _fields(
        [
            ("Nom", _text(row.last_name)),
            ("Prénom", _text(row.first_name)),
            ("Type d'appelant", _text(caller_kind_label(row.kind))),
            ("Notes", _text(row.notes)),
            ("Fiche créée le", _when(row.created_at)),
            ("Dernière modification", _when(row.updated_at)),
            ("Identifiant interne", str(row.id)),
        ]
    )
    numbers = _table(
        ("Numéro", "Tel que saisi", "Libellé"),
        [
            (
                _text(format_for_display(p.e164) if p.e164.startswith("+") else p.e164),
                _text(p.raw),
                _text(p.label),
            )
            for p in phones
        ],
        "Aucun numéro.",
    )
    cabinets = (
        "<ul>" + "".join(f"<li>{escape(name)}</li>" for name in practices) + "</ul>"
        if practices
        else "<p class='empty'>Aucun cabinet.</p>"
    )
    return (
        _section("Identité", identity)
        + _section("Téléphones", numbers, len(phones))
        + _section("Cabinets", cabinets, len(practices))
    )


def _practitioners(session: Session) -> dict[int, str]:
    rows = session.execute(
        select(Practitioner.id, Practitioner.title, Practitioner.first_name, Practitioner.last_name)
    )
    return {pid: " ".join(p for p in (t, f, last) if p) for pid, t, f, last in rows}


def _practices(session: Session) -> dict[int, str]:
    return {pid: name for pid, name in session.execute(select(Practice.id, Practice.name))}


def _calls(session: Session, ids: list[int]) -> str:
    rows = list(
        session.scalars(select(Call).where(Call.id.in_(ids)).order_by(Call.started_at.desc()))
    )
    practices, doctors = _practices(session), _practitioners(session)
    cells = []
    for call in rows:
        outcome = outcome_label(call.outcome) or ("en cours" if call.status == "draft" else "—")
        level = call.triage_override_level or call.triage_level
        cells.append(
            (
                _when(call.started_at),
                _text(practices.get(call.practice_id or -1, "")),
                _text(doctors.get(call.practitioner_id or -1, "")),
                _text(call.from_number),
                _text(outcome),
                _text(call.reason),
                _text(TRIAGE_WORDS.get(level or "", level or "")),
                _text(call.notes),
            )
        )
    table = _table(
        ("Date", "Cabinet", "Praticien", "Numéro", "Issue", "Motif", "Urgence", "Notes"),
        cells,
        "Aucun appel.",
    )
    return _section("Appels", table, len(rows))


def _messages(session: Session, ids: list[int]) -> str:
    rows = list(
        session.scalars(
            select(Message).where(Message.id.in_(ids)).order_by(Message.created_at.desc())
        )
    )
    practices, doctors = _practices(session), _practitioners(session)
    events: dict[int, list[MessageEvent]] = {}
    for event in session.scalars(
        select(MessageEvent).where(MessageEvent.message_id.in_(ids)).order_by(MessageEvent.at)
    ):
        events.setdefault(event.message_id, []).append(event)
    blocks = []
    for m in rows:
        window = ""
        if m.callback_day or m.callback_after or m.callback_before:
            parts = [
                format_date(m.callback_day, year=True) if m.callback_day else "dès que possible"
            ]
            if m.callback_after:
                parts.append(f"après {format_time(m.callback_after)}")
            if m.callback_before:
                parts.append(f"avant {format_time(m.callback_before)}")
            window = " ".join(parts)
        fields = _fields(
            [
                ("Pris le", _when(m.created_at)),
                ("Pris par", _text(m.taken_by)),
                ("Cabinet", _text(practices.get(m.practice_id, ""))),
                ("Pour", _text(doctors.get(m.practitioner_id or -1, ""))),
                ("Copie à", _text(doctors.get(m.copy_to_practitioner_id or -1, ""))),
                (
                    "Appelant",
                    _text(
                        " ".join(
                            p
                            for p in (m.caller_civility, m.caller_first_name, m.caller_last_name)
                            if p
                        )
                    ),
                ),
                ("Lien avec le patient", _text(m.relation)),
                (
                    "Patient",
                    _text(" ".join(p for p in (m.patient_first_name, m.patient_last_name) if p)),
                ),
                ("Motif", _text(m.reason)),
                ("Message", _text(m.body)),
                ("Numéro de rappel", _text(m.callback_number)),
                ("Autre numéro", _text(m.callback_number2)),
                ("Rappel souhaité", _text(window)),
                ("Urgent", "oui" if m.urgent else "non"),
                (
                    "Urgence (tri)",
                    _text(TRIAGE_WORDS.get(m.triage_level or "", m.triage_level or "")),
                ),
                ("Confidentiel", "oui" if m.private else "non"),
                ("Texte relu à l'appelant", _text(m.readback_text)),
                (
                    "Confirmé par l'appelant",
                    f"oui, le {_when(m.confirmed_at)}" if m.confirmed else "non",
                ),
                ("Raison de la non-confirmation", _text(m.unconfirmed_reason)),
                ("Statut", _text(MESSAGE_STATUS_WORDS.get(m.status, m.status))),
                ("Note du praticien", _text(m.practitioner_note)),
                ("Dernière modification", _when(m.updated_at)),
            ]
        )
        history = _table(
            ("Date", "Par", "Quoi", "Détail"),
            [
                (
                    _when(e.at),
                    _text(e.by),
                    _text(e.kind),
                    _text(
                        " → ".join(p for p in (e.from_status, e.to_status) if p)
                        + (" — " if (e.from_status or e.to_status) and e.detail else "")
                        + e.detail
                    ),
                )
                for e in events.get(m.id, [])
            ],
            "Aucun événement.",
        )
        blocks.append(f"<h3>Message n° {m.id}</h3>{fields}<h4>Historique</h4>{history}")
    body = "".join(blocks) or "<p class='empty'>Aucun message.</p>"
    return _section("Messages", body, len(rows))


def _followups(session: Session, ids: list[int]) -> str:
    rows = list(
        session.scalars(select(FollowUp).where(FollowUp.id.in_(ids)).order_by(FollowUp.due_at))
    )
    table = _table(
        ("Promis le", "Type", "À faire", "Échéance", "Fait le", "Par"),
        [
            (
                _when(f.created_at),
                _text(FOLLOW_UP_WORDS.get(f.kind, f.kind)),
                _text(f.description),
                _when(f.due_at),
                _when(f.done_at) if f.done_at else "pas encore",
                _text(f.done_by or f.created_by),
            )
            for f in rows
        ],
        "Aucun rappel.",
    )
    return _section("Rappels et promesses", table, len(rows))


def _waitlist(session: Session, ids: list[int]) -> str:
    rows = list(
        session.scalars(
            select(WaitlistEntry)
            .where(WaitlistEntry.id.in_(ids))
            .order_by(WaitlistEntry.created_at)
        )
    )
    doctors = _practitioners(session)
    table = _table(
        ("Inscrit le", "Praticien", "Préférences", "Notes", "État"),
        [
            (
                _when(w.created_at),
                _text(doctors.get(w.practitioner_id, "")),
                _text(w.preferences),
                _text(w.notes),
                _text(WAITLIST_WORDS.get(w.status, w.status)),
            )
            for w in rows
        ],
        "Aucune inscription.",
    )
    return _section("Liste d'attente", table, len(rows))


def _appointments(session: Session, caller_id: int) -> str:
    rows = session.execute(
        select(Appointment, AppointmentType.name)
        .outerjoin(AppointmentType, AppointmentType.id == Appointment.appointment_type_id)
        .where(Appointment.caller_id == caller_id)
        .order_by(Appointment.starts_at.desc())
    ).all()
    doctors = _practitioners(session)
    table = _table(
        ("Date", "Praticien", "Motif", "Durée", "Statut", "Notes"),
        [
            (
                _when(a.starts_at),
                _text(doctors.get(a.practitioner_id, "")),
                _text(type_name or "Rendez-vous"),
                f"{int((a.ends_at - a.starts_at).total_seconds() // 60)} min",
                _text(APPOINTMENT_STATUS_WORDS.get(a.status, a.status)),
                _text(a.notes),
            )
            for a, type_name in rows
        ],
        "Aucun rendez-vous.",
    )
    return _section("Rendez-vous", table, len(rows))


def _audit(session: Session, condition: Any) -> str:
    rows = list(session.scalars(select(AuditEntry).where(condition).order_by(AuditEntry.id)))
    table = _table(
        ("Date", "Utilisateur", "Action", "Objet", "Détail"),
        [
            (
                _when(e.at),
                _text(e.actor or "utilisateur local"),
                _text(e.action),
                _text(f"{e.kind} n° {e.object_id}" if e.object_id else e.kind),
                _text(e.summary),
            )
            for e in rows
        ],
        "Aucune entrée.",
    )
    return _section("Journal d'audit (qui a consulté ou modifié ces données)", table, len(rows))


STYLE = """
body { font-family: "Segoe UI", "Noto Sans", Arial, sans-serif; font-size: 11pt;
       color: #1d1d1f; margin: 2em auto; max-width: 60em; line-height: 1.35; }
h1 { font-size: 18pt; margin-bottom: 0.2em; }
h2 { font-size: 13pt; border-bottom: 2px solid #2b5797; padding-bottom: 0.15em;
     margin-top: 1.6em; }
h3 { font-size: 11.5pt; margin: 1.2em 0 0.3em; }
h4 { font-size: 10.5pt; margin: 0.6em 0 0.2em; color: #444; }
p.meta { color: #555; margin-top: 0; }
p.empty { color: #666; font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: 0.3em 0; }
th, td { border: 1px solid #c8c8cc; padding: 0.25em 0.45em; text-align: left;
         vertical-align: top; }
thead th { background: #eef2f8; }
table.fields th { width: 14em; background: #f6f6f8; font-weight: 600; }
@media print { body { margin: 0; max-width: none; } section { break-inside: auto; }
               h2, h3 { break-after: avoid; } }
"""


def _page(title: str, workspace_name: str, moment: datetime, sections: list[str]) -> str:
    return (
        "<!DOCTYPE html>\n<html lang='fr'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f"<p class='meta'>Document établi le {_when(moment)} par Permanence "
        f"(espace de travail « {escape(workspace_name)} »), au titre du droit d'accès "
        "(RGPD, article 15). Il rassemble tout ce que l'espace de travail contient sur "
        "cette personne. Document confidentiel : secret médical.</p>"
        + "".join(sections)
        + "</body></html>\n"
    )


# -- erasure (right to erasure) ----------------------------------------------------------------
def confirms_erasure(caller: CallerInfo, typed: str) -> bool:
    """Whether `typed` is the person's last name (case, accents and spaces ignored)."""
    wanted = fold(caller.last_name)
    return bool(wanted) and fold(typed) == wanted


def erase_person(ws: Workspace, caller_id: int, now: datetime | None = None) -> ErasureReport:
    """Delete the caller and what is linked to them, in one transaction (see the module).

    Refused while a call in progress (a draft) is linked to the person: close it first.
    """
    _check_may_erase(ws)
    _caller(ws, caller_id)
    moment = now or datetime.now(UTC)
    with ws.sessions.begin() as session:
        links = _links(session, caller_id, moment)
        if links.open_calls:
            raise ValidationError(
                "Un appel en cours concerne cette personne : closez-le avant de l'effacer. "
                "Rien n'a été effacé."
            )
        appointments = links.future_appointments + links.past_appointments
        calendar_items = int(
            session.scalar(
                select(func.count(func.distinct(CalendarItem.appointment_id))).where(
                    CalendarItem.appointment_id.in_(appointments)
                )
            )
            or 0
        )
        phones = int(
            session.scalar(
                select(func.count())
                .select_from(CallerPhone)
                .where(CallerPhone.caller_id == caller_id)
            )
            or 0
        )
        events = int(
            session.scalar(
                select(func.count())
                .select_from(MessageEvent)
                .where(MessageEvent.message_id.in_(links.messages))
            )
            or 0
        )
        report = ErasureReport(
            caller_id=caller_id,
            phones=phones,
            calls=len(links.calls),
            messages=len(links.messages),
            events=events,
            followups=len(links.followups),
            waitlist=len(links.waitlist),
            future_appointments=len(links.future_appointments),
            past_appointments=len(links.past_appointments),
            calendar_items=calendar_items,
        )
        # Bulk statements: the per-row audit capture does not see them, so the log gets
        # one entry for the erasure (below), not one per row.
        plain = {"synchronize_session": False}
        session.execute(
            delete(FollowUp).where(FollowUp.id.in_(links.followups)), execution_options=plain
        )
        session.execute(
            delete(MessageEvent).where(MessageEvent.message_id.in_(links.messages)),
            execution_options=plain,
        )
        # Pushes (sent or not) carry the name in their payload: they go. What a CalDAV
        # calendar already received is counted above, to be deleted there.
        session.execute(
            delete(CalendarOutbox).where(
                CalendarOutbox.appointment_id.in_(appointments), CalendarOutbox.action != "delete"
            ),
            execution_options=plain,
        )
        session.execute(
            update(WaitlistEntry)
            .where(WaitlistEntry.appointment_id.in_(links.future_appointments))
            .values(appointment_id=None),
            execution_options=plain,
        )
        session.execute(
            delete(WaitlistEntry).where(WaitlistEntry.id.in_(links.waitlist)),
            execution_options=plain,
        )
        session.execute(
            update(CalendarItem)
            .where(CalendarItem.appointment_id.in_(links.future_appointments))
            .values(appointment_id=None),
            execution_options=plain,
        )
        session.execute(
            delete(Appointment).where(Appointment.id.in_(links.future_appointments)),
            execution_options=plain,
        )
        session.execute(
            update(Appointment)
            .where(Appointment.id.in_(links.past_appointments))
            .values(caller_id=None, call_id=None, notes=ERASED_LABEL),
            execution_options=plain,
        )
        # What stays but pointed at a deleted call or message loses the link.
        for model in (Appointment, Message):
            session.execute(
                update(model).where(model.call_id.in_(links.calls)).values(call_id=None),
                execution_options=plain,
            )
        session.execute(
            delete(Message).where(Message.id.in_(links.messages)), execution_options=plain
        )
        session.execute(delete(Call).where(Call.id.in_(links.calls)), execution_options=plain)
        session.execute(
            delete(caller_practices).where(caller_practices.c.caller_id == caller_id),
            execution_options=plain,
        )
        session.execute(
            delete(CallerPhone).where(CallerPhone.caller_id == caller_id), execution_options=plain
        )
        session.execute(delete(Caller).where(Caller.id == caller_id), execution_options=plain)
        session.add(
            AuditEntry(
                actor=ws.user.username,
                action=DELETED,
                kind="appelant",
                object_id=str(caller_id),
                summary=report.summary,
            )
        )
    ws.callers.index.discard(caller_id)
    ws.callers.phones.invalidate()
    return report
