"""CalDAV sync state: one row per item seen on the server, and the outbox of pushes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from permanence.core.db.models.base import Base, utcnow


class CalendarItem(Base):
    """An item of a CalDAV calendar (vdirsyncer-style status): href, etag, digest, raw text.

    `appointment_id` is set when the item is an appointment pushed by Permanence.
    """

    __tablename__ = "calendar_items"
    __table_args__ = (UniqueConstraint("source_id", "href"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("calendar_sources.id", ondelete="CASCADE"))
    href: Mapped[str] = mapped_column(Text)
    etag: Mapped[str] = mapped_column(String(500), default="")
    uid: Mapped[str | None] = mapped_column(Text, default=None)
    digest: Mapped[str] = mapped_column(String(128), default="")
    raw_text: Mapped[str] = mapped_column(Text, default="")
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointments.id", ondelete="SET NULL"), default=None, index=True
    )
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarOutbox(Base):
    """A push waiting for the server, sent in `id` order; a conflict keeps both versions.

    `action`: "create", "update" or "delete"; `state`: "pending", "sent" or "conflict".
    """

    __tablename__ = "calendar_outbox"
    __table_args__ = (Index("ix_calendar_outbox_pending", "source_id", "state", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("calendar_sources.id", ondelete="CASCADE"))
    appointment_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10))
    payload: Mapped[str] = mapped_column(Text, default="")  # the ICS text to send
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")  # French, for the user
    state: Mapped[str] = mapped_column(String(10), default="pending")
    remote_etag: Mapped[str] = mapped_column(String(500), default="")
    remote_text: Mapped[str] = mapped_column(Text, default="")  # the server's version
