"""Calls (the "cahier d'appels") and the messages taken during them."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column

from permanence.core.db.models.base import Base, utcnow


class Call(Base):
    __tablename__ = "calls"
    __table_args__ = (Index("ix_calls_practice_started", "practice_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int | None] = mapped_column(ForeignKey("practices.id", ondelete="CASCADE"))
    practitioner_id: Mapped[int | None] = mapped_column(
        ForeignKey("practitioners.id", ondelete="SET NULL")
    )
    caller_id: Mapped[int | None] = mapped_column(
        ForeignKey("callers.id", ondelete="SET NULL"), index=True
    )
    from_number: Mapped[str] = mapped_column(String(64), default="")
    from_e164: Mapped[str] = mapped_column(String(32), default="", index=True)
    to_number: Mapped[str] = mapped_column(String(64), default="")
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    # draft while the call is in progress, closed once an outcome is chosen.
    status: Mapped[str] = mapped_column(String(20), default="draft")
    outcome: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    billable: Mapped[bool | None] = mapped_column(Boolean)
    # Why the call is (not) billed, in French ("démarchage", "rappel dans les 10 minutes"…).
    billing_reason: Mapped[str] = mapped_column(String(200), default="")
    # The caller was upset: the de-escalation aid was used (the practitioner is told).
    tension: Mapped[bool] = mapped_column(Boolean, default=False)
    # Triage of the motif: computed level and rule, and the secretary's override if any.
    triage_level: Mapped[str | None] = mapped_column(String(20))
    triage_rule: Mapped[str] = mapped_column(String(100), default="")
    triage_override_level: Mapped[str | None] = mapped_column(String(20))
    triage_override_reason: Mapped[str] = mapped_column(Text, default="")
    # Which running instance owns this draft (two instances never write the same draft).
    draft_owner: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class FollowUp(Base):
    """A promise made to a caller ("on vous rappelle avant 18 h"), tracked until done."""

    __tablename__ = "follow_ups"
    __table_args__ = (Index("ix_follow_ups_open_due", "done_at", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="SET NULL"))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    practice_id: Mapped[int | None] = mapped_column(ForeignKey("practices.id", ondelete="CASCADE"))
    practitioner_id: Mapped[int | None] = mapped_column(
        ForeignKey("practitioners.id", ondelete="SET NULL")
    )
    caller_id: Mapped[int | None] = mapped_column(ForeignKey("callers.id", ondelete="SET NULL"))
    # "rappel" (call back), "promesse" (made while calming a caller), "tache".
    kind: Mapped[str] = mapped_column(String(20), default="rappel")
    description: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    done_by: Mapped[str] = mapped_column(String(100), default="")
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_practitioner_created", "practitioner_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="SET NULL"))
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id", ondelete="CASCADE"))
    practitioner_id: Mapped[int | None] = mapped_column(
        ForeignKey("practitioners.id", ondelete="SET NULL")
    )
    caller_id: Mapped[int | None] = mapped_column(
        ForeignKey("callers.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    callback_number: Mapped[str] = mapped_column(String(32), default="")
    status: Mapped[str] = mapped_column(String(20), default="nouveau")
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    # Who calls, as said on the phone (the caller may be a third party for the patient).
    caller_civility: Mapped[str] = mapped_column(String(20), default="")
    caller_last_name: Mapped[str] = mapped_column(String(100), default="")
    caller_first_name: Mapped[str] = mapped_column(String(100), default="")
    patient_last_name: Mapped[str] = mapped_column(String(100), default="")
    patient_first_name: Mapped[str] = mapped_column(String(100), default="")
    relation: Mapped[str] = mapped_column(String(60), default="")  # "sa fille", "l'EHPAD"…
    callback_number2: Mapped[str] = mapped_column(String(32), default="")
    # Callback wish: a day (None = as soon as possible) and a local time window.
    callback_day: Mapped[date | None] = mapped_column(Date)
    callback_after: Mapped[time | None] = mapped_column(Time)
    callback_before: Mapped[time | None] = mapped_column(Time)
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    copy_to_practitioner_id: Mapped[int | None] = mapped_column(
        ForeignKey("practitioners.id", ondelete="SET NULL")
    )
    triage_level: Mapped[str | None] = mapped_column(String(20))
    # The text read back to the caller and her answer; unconfirmed needs a reason.
    readback_text: Mapped[str] = mapped_column(Text, default="")
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    unconfirmed_reason: Mapped[str] = mapped_column(Text, default="")
    practitioner_note: Mapped[str] = mapped_column(Text, default="")
    taken_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class MessageEvent(Base):
    """What happened to a message and who did it: status changes, notes, readbacks."""

    __tablename__ = "message_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by: Mapped[str] = mapped_column(String(100), default="")
    # "statut", "note", "relecture", "correction"
    kind: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str] = mapped_column(String(20), default="")
    to_status: Mapped[str] = mapped_column(String(20), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
