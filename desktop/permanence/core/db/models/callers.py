"""People who call: patients, third parties, colleagues, labs, pharmacies, suppliers…"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from permanence.core.db.models.base import Base, utcnow

caller_practices = Table(
    "caller_practices",
    Base.metadata,
    Column("caller_id", ForeignKey("callers.id", ondelete="CASCADE"), primary_key=True),
    Column("practice_id", ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True),
)


class Caller(Base):
    __tablename__ = "callers"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100), default="")
    kind: Mapped[str] = mapped_column(String(20), default="patient")
    notes: Mapped[str] = mapped_column(Text, default="")
    # Lower-case, accent-free "last first" for search; kept in step by the service.
    search_key: Mapped[str] = mapped_column(String(220), default="", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    phones: Mapped[list[CallerPhone]] = relationship(
        back_populates="caller", cascade="all, delete-orphan", order_by="CallerPhone.id"
    )


class CallerPhone(Base):
    """A number of a caller: E.164 when it parses, else kept exactly as typed."""

    __tablename__ = "caller_phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    caller_id: Mapped[int] = mapped_column(ForeignKey("callers.id", ondelete="CASCADE"), index=True)
    e164: Mapped[str] = mapped_column(String(32), index=True)
    raw: Mapped[str] = mapped_column(String(64), default="")
    label: Mapped[str] = mapped_column(String(50), default="")

    caller: Mapped[Caller] = relationship(back_populates="phones")
