"""`ws.messages`: take a message with its readback, follow it to the practitioner.

One short session per unit of work; errors are French (ValidationError, NotFoundError) and
leave the database as it was, so the form keeps the draft.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from permanence.core.calls.followups import FollowUpsService
from permanence.core.db.models import Call, Message, MessageEvent, Practice, Practitioner
from permanence.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from permanence.core.messages.callbacks import CallbackPolicy, callback_window, state
from permanence.core.messages.changes import changes
from permanence.core.messages.rows import draft_of, event_of, info_of, write_draft
from permanence.core.messages.validation import validate
from permanence.core.messages.values import (
    STATUS_LABELS,
    STATUSES,
    CallbackInfo,
    EventInfo,
    MessageDraft,
    MessageInfo,
    initials,
)
from permanence.core.phone import parse_phone
from permanence.core.practices.service import practitioner_info

DEFAULT_TZ = "Europe/Paris"


def _now() -> datetime:
    return datetime.now(UTC)


class MessagesService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        followups: FollowUpsService | None = None,
        policy: CallbackPolicy | None = None,
        scope: Callable[[], int | None] | None = None,
    ) -> None:
        self._sessions = sessions
        self._followups = followups
        self.policy = policy or CallbackPolicy()
        # A practitioner account reads only its own messages and callbacks.
        self._scope = scope or (lambda: None)

    def _scoped(self, practitioner_id: int | None) -> int | None:
        only = self._scope()
        if only is None:
            return practitioner_id
        if practitioner_id is not None and practitioner_id != only:
            raise PermissionDeniedError("Ce compte ne peut lire que ses propres messages.")
        return only

    # -- taking a message ----------------------------------------------------------------
    def save(
        self,
        draft: MessageDraft,
        *,
        call_id: int | None = None,
        confirmed: bool,
        readback_text: str,
        unconfirmed_reason: str = "",
        by: str,
        now: datetime | None = None,
    ) -> MessageInfo:
        """Save after the readback: confirmed by the caller, or not with a reason."""
        moment = now or _now()
        _check_answer(confirmed, readback_text, unconfirmed_reason)
        with self._sessions.begin() as session:
            tz = _check_targets(session, draft)
            _raise_problems(validate(draft, moment, tz=tz))
            if call_id is not None and session.get(Call, call_id) is None:
                raise NotFoundError(f"Appel introuvable (n° {call_id}).")
            row = Message(call_id=call_id, taken_by=by.strip()[:100], created_at=moment)
            write_draft(row, draft)
            row.readback_text = readback_text.strip()
            row.confirmed = confirmed
            row.confirmed_at = moment if confirmed else None
            row.unconfirmed_reason = "" if confirmed else unconfirmed_reason.strip()
            session.add(row)
            session.flush()
            detail = _answer_detail(confirmed, row.unconfirmed_reason)
            _event(session, row.id, by, "relecture", moment, detail=detail)
            return _info(session, row)

    def correct(
        self,
        message_id: int,
        draft: MessageDraft,
        readback_text: str,
        by: str,
        *,
        now: datetime | None = None,
    ) -> MessageInfo:
        """The caller corrected what was read: record the changes; a new readback is due
        (the message stays unconfirmed until `confirm`)."""
        moment = now or _now()
        with self._sessions.begin() as session:
            row = _row(session, message_id)
            tz = _check_targets(session, draft)
            _raise_problems(validate(draft, moment, tz=tz))
            found = changes(draft_of(row), draft, names=_names(session))
            write_draft(row, draft)
            row.readback_text = readback_text.strip()
            row.confirmed, row.confirmed_at, row.unconfirmed_reason = False, None, ""
            detail = "\n".join(str(c) for c in found) or "Aucun champ modifié."
            _event(session, row.id, by, "correction", moment, detail=detail)
            return _info(session, row)

    def confirm(self, message_id: int, by: str, *, now: datetime | None = None) -> MessageInfo:
        """The caller confirmed the (new) readback."""
        moment = now or _now()
        with self._sessions.begin() as session:
            row = _row(session, message_id)
            if row.confirmed:
                raise ValidationError("Ce message est déjà confirmé par l'appelant.")
            if not row.readback_text.strip():
                raise ValidationError("Reformulez d'abord le message à l'appelant.")
            row.confirmed, row.confirmed_at, row.unconfirmed_reason = True, moment, ""
            _event(session, row.id, by, "relecture", moment, detail=_answer_detail(True, ""))
            return _info(session, row)

    def leave_unconfirmed(
        self, message_id: int, reason: str, by: str, *, now: datetime | None = None
    ) -> MessageInfo:
        """No confirmation after a correction (the caller hung up…): say why."""
        moment = now or _now()
        _check_answer(False, "-", reason)
        with self._sessions.begin() as session:
            row = _row(session, message_id)
            row.confirmed, row.confirmed_at = False, None
            row.unconfirmed_reason = reason.strip()
            detail = _answer_detail(False, row.unconfirmed_reason)
            _event(session, row.id, by, "relecture", moment, detail=detail)
            return _info(session, row)

    # -- following it ----------------------------------------------------------------------
    def set_status(
        self,
        message_id: int,
        status: str,
        *,
        by: str,
        note: str = "",
        admin: bool = False,
        now: datetime | None = None,
    ) -> MessageInfo:
        """nouveau → transmis → lu → rappelé → clos; forward only (steps may be skipped);
        back only with `admin`."""
        moment = now or _now()
        if status not in STATUSES:
            raise ValidationError(f"Statut inconnu : « {status} ».")
        with self._sessions.begin() as session:
            row = _row(session, message_id)
            before = row.status
            _check_move(before, status, admin)
            row.status = status
            _event(session, row.id, by, "statut", moment, before, status, note.strip())
            if note.strip():
                _append_note(session, row, note, by, moment)
            return _info(session, row)

    def add_note(
        self, message_id: int, note: str, by: str, *, now: datetime | None = None
    ) -> MessageInfo:
        """The practitioner's note ("rappelée, RDV donné jeudi"); notes add up, never replace."""
        if not note.strip():
            raise ValidationError("La note est vide.")
        with self._sessions.begin() as session:
            row = _row(session, message_id)
            _append_note(session, row, note, by, now or _now())
            return _info(session, row)

    # -- reading -----------------------------------------------------------------------------
    def get(self, message_id: int) -> MessageInfo:
        with self._sessions() as session:
            return _info(session, _row(session, message_id))

    def events(self, message_id: int) -> list[EventInfo]:
        """Oldest first."""
        with self._sessions() as session:
            _row(session, message_id)
            query = (
                select(MessageEvent)
                .where(MessageEvent.message_id == message_id)
                .order_by(MessageEvent.at, MessageEvent.id)
            )
            return [event_of(row) for row in session.scalars(query)]

    def for_practitioner(
        self,
        practitioner_id: int,
        *,
        day: date | None = None,
        since: datetime | None = None,
        include_copies: bool = True,
    ) -> list[MessageInfo]:
        """The practitioner view: urgent first, then oldest first. `day` is a local day of
        the practitioner; `since` an aware moment."""
        practitioner_id = self._scoped(practitioner_id) or practitioner_id
        with self._sessions() as session:
            practitioner = session.get(Practitioner, practitioner_id)
            if practitioner is None:
                raise NotFoundError(f"Praticien introuvable (n° {practitioner_id}).")
            mine = Message.practitioner_id == practitioner_id
            if include_copies:
                mine = or_(mine, Message.copy_to_practitioner_id == practitioner_id)
            query = select(Message).where(mine)
            if day is not None:
                start, end = _day_bounds(day, ZoneInfo(practitioner.timezone or DEFAULT_TZ))
                query = query.where(Message.created_at >= start, Message.created_at < end)
            if since is not None:
                query = query.where(Message.created_at >= since)
            query = query.order_by(Message.urgent.desc(), Message.created_at, Message.id)
            return _infos(session, list(session.scalars(query)))

    def open_messages(self, *, practitioner_id: int | None = None) -> list[MessageInfo]:
        """Messages still waiting for a callback (not "rappelé" nor "clos")."""
        practitioner_id = self._scoped(practitioner_id)
        query = select(Message).where(Message.status.not_in(("rappelé", "clos")))
        if practitioner_id is not None:
            query = query.where(Message.practitioner_id == practitioner_id)
        with self._sessions() as session:
            return _infos(session, list(session.scalars(query.order_by(Message.created_at))))

    def callbacks(
        self, now: datetime | None = None, *, practitioner_id: int | None = None
    ) -> list[CallbackInfo]:
        """Open callbacks, soonest due first: from messages, and the open follow-ups of the
        calls service (a follow-up tied to an open message is not listed twice)."""
        moment = now or _now()
        practitioner_id = self._scoped(practitioner_id)
        with self._sessions() as session:
            zones = {p.id: p.timezone for p in session.scalars(select(Practitioner))}
        messages = self.open_messages(practitioner_id=practitioner_id)
        result = [self._from_message(m, zones, moment) for m in messages]
        if self._followups is not None:
            listed = {m.id for m in messages}
            for item in self._followups.open(moment):
                if item.message_id in listed:
                    continue
                if practitioner_id is not None and item.practitioner_id != practitioner_id:
                    continue
                last, _, first = item.caller_name.partition(" ")
                result.append(
                    CallbackInfo(
                        source="suivi",
                        source_id=item.id,
                        practice_id=item.practice_id,
                        practitioner_id=item.practitioner_id,
                        who=item.caller_name,
                        initials=initials(first, last),
                        number="",
                        reason=item.description,
                        urgent=False,
                        window_start=None,
                        due_at=item.due_at,
                        state=state(item.due_at, moment),
                        message_id=item.message_id,
                        created_at=item.created_at,
                    )
                )
        return sorted(result, key=lambda c: (c.due_at, not c.urgent, c.source, c.source_id))

    def _from_message(
        self, message: MessageInfo, zones: dict[int, str], now: datetime
    ) -> CallbackInfo:
        d = message.draft
        zone = ZoneInfo(zones.get(d.practitioner_id or 0) or DEFAULT_TZ)
        start, due = callback_window(d, message.created_at, zone, self.policy)
        return CallbackInfo(
            source="message",
            source_id=message.id,
            practice_id=d.practice_id,
            practitioner_id=d.practitioner_id,
            who=message.caller_name,
            initials=initials(d.caller_first_name, d.caller_last_name),
            number=parse_phone(d.callback_number).display if d.callback_number else "",
            reason=d.reason or d.body,
            urgent=d.urgent,
            window_start=start,
            due_at=due,
            state=state(due, now),
            message_id=message.id,
            created_at=message.created_at,
        )


# -- helpers ---------------------------------------------------------------------------------
def _check_answer(confirmed: bool, readback_text: str, reason: str) -> None:
    if confirmed and not readback_text.strip():
        raise ValidationError("Un message confirmé doit avoir été reformulé à l'appelant.")
    if not confirmed and not reason.strip():
        raise ValidationError(
            "Un message non confirmé doit indiquer pourquoi (l'appelant a raccroché…)."
        )


def _answer_detail(confirmed: bool, reason: str) -> str:
    return "Confirmé par l'appelant." if confirmed else f"Non confirmé : {reason}"


def _raise_problems(problems: list[str]) -> None:
    if problems:
        raise ValidationError("\n".join(problems))


def _check_targets(session: Session, draft: MessageDraft) -> str:
    """The practice and practitioners still exist; returns the practitioner's time zone."""
    if session.get(Practice, draft.practice_id) is None:
        raise NotFoundError(
            f"Le cabinet (n° {draft.practice_id}) n'existe plus ; le message n'est pas perdu : "
            "choisissez un autre cabinet."
        )
    tz = DEFAULT_TZ
    for key in (draft.practitioner_id, draft.copy_to_practitioner_id):
        if key is None:
            continue
        row = session.get(Practitioner, key)
        if row is None:
            raise NotFoundError(
                f"Le praticien choisi (n° {key}) n'existe plus ; le message n'est pas perdu : "
                "choisissez un autre praticien ou le cabinet."
            )
        if key == draft.practitioner_id:
            if row.practice_id != draft.practice_id:
                raise ValidationError("Ce praticien n'exerce pas dans ce cabinet.")
            tz = row.timezone or DEFAULT_TZ
    return tz


def _check_move(before: str, after: str, admin: bool) -> None:
    if before == after:
        raise ValidationError(f"Le message est déjà « {STATUS_LABELS[after]} ».")
    going_back = before in STATUSES and STATUSES.index(after) < STATUSES.index(before)
    if going_back and not admin:
        raise ValidationError(
            f"Un message « {STATUS_LABELS.get(before, before)} » ne peut pas revenir à "
            f"« {STATUS_LABELS[after]} » (seul un administrateur le peut)."
        )


def _append_note(session: Session, row: Message, note: str, by: str, moment: datetime) -> None:
    text = note.strip()
    row.practitioner_note = f"{row.practitioner_note}\n{text}" if row.practitioner_note else text
    _event(session, row.id, by, "note", moment, detail=text)


def _event(
    session: Session,
    message_id: int,
    by: str,
    kind: str,
    at: datetime,
    from_status: str = "",
    to_status: str = "",
    detail: str = "",
) -> None:
    session.add(
        MessageEvent(
            message_id=message_id,
            at=at,
            by=by.strip()[:100],
            kind=kind,
            from_status=from_status,
            to_status=to_status,
            detail=detail,
        )
    )


def _row(session: Session, message_id: int) -> Message:
    row = session.get(Message, message_id)
    if row is None:
        raise NotFoundError(f"Message introuvable (n° {message_id}).")
    return row


def _names(session: Session) -> dict[int, str]:
    return {
        row.id: practitioner_info(row).display_name for row in session.scalars(select(Practitioner))
    }


def _info(session: Session, row: Message) -> MessageInfo:
    return _infos(session, [row])[0]


def _infos(session: Session, rows: list[Message]) -> list[MessageInfo]:
    names = _names(session)
    practices = {key: name for key, name in session.execute(select(Practice.id, Practice.name))}
    return [info_of(row, practices.get(row.practice_id, ""), names) for row in rows]


def _day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)
