"""Practitioners' calendar sources, their per-event cache and the busy time they give."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from permanence.core.db.models.base import Base, utcnow


class CalendarSource(Base):
    """Where a practitioner's calendar comes from: "ics_file", "ics_url" or "caldav"."""

    __tablename__ = "calendar_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(
        ForeignKey("practitioners.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(200), default="")
    location: Mapped[str] = mapped_column(Text)  # a file path or a URL
    username: Mapped[str] = mapped_column(String(200), default="")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    last_sync_at: Mapped[datetime | None] = mapped_column(default=None)
    last_status: Mapped[str] = mapped_column(String(20), default="")  # "ok" / "erreur"
    last_message: Mapped[str] = mapped_column(Text, default="")  # French, for the user
    # HTTP validators of the last download (If-None-Match / If-Modified-Since next time).
    etag: Mapped[str] = mapped_column(String(500), default="")
    last_modified: Mapped[str] = mapped_column(String(100), default="")
    # CalDAV (`location` is the calendar's URL): its validators at the last pull.
    ctag: Mapped[str] = mapped_column(String(500), default="")
    sync_token: Mapped[str] = mapped_column(Text, default="")
    # What the calendar receives about patients: "full", "initials" or "minimal".
    privacy: Mapped[str] = mapped_column(String(10), default="initials", server_default="initials")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarComponent(Base):
    """One cache entry of a source (khal-style): raw text, digest, expanded occurrences."""

    __tablename__ = "calendar_components"
    __table_args__ = (UniqueConstraint("source_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("calendar_sources.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(Text)
    uid: Mapped[str | None] = mapped_column(Text, default=None)
    raw_text: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(128))
    window_start: Mapped[datetime]
    window_end: Mapped[datetime]
    payload: Mapped[str] = mapped_column(Text)  # JSON: occurrences, counts, skipped, warnings


class BusyTime(Base):
    """A busy occurrence imported from a source, in UTC."""

    __tablename__ = "busy_times"
    __table_args__ = (Index("ix_busy_times_practitioner", "practitioner_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("calendar_sources.id", ondelete="CASCADE"), index=True
    )
    practitioner_id: Mapped[int] = mapped_column(Integer)
    uid: Mapped[str | None] = mapped_column(Text, default=None)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    summary: Mapped[str] = mapped_column(Text, default="")
