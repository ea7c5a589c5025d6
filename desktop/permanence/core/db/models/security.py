"""Accounts, the append-only audit log and secrets kept inside the (encrypted) workspace."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, Boolean, ForeignKey, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from permanence.core.db.models.base import Base, utcnow

ROLES = ("secretaire", "praticien", "admin")


class Account(Base):
    """Who may open the workspace. The password lives only in the key slot file, as the
    key that unwraps the database key; here are the name, the role and the scope."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(20))
    # A practitioner account sees only this practitioner's messages, callbacks and agenda.
    practitioner_id: Mapped[int | None] = mapped_column(
        ForeignKey("practitioners.id", ondelete="SET NULL")
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """One thing someone did. Rows are only ever inserted: triggers refuse the rest."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_kind_object", "kind", "object_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[str] = mapped_column(String(40), default="")
    summary: Mapped[str] = mapped_column(Text, default="")


class StoredSecret(Base):
    """A password (CalDAV, SMTP) when the system has no keyring: safe only because the
    workspace itself is encrypted."""

    __tablename__ = "stored_secrets"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


#: SQLite triggers that make the audit log append-only, for create_all and the migration.
AUDIT_TRIGGERS_SQLITE = (
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
)

for _statement in AUDIT_TRIGGERS_SQLITE:
    _ddl = DDL(_statement)  # type: ignore[no-untyped-call]
    event.listen(AuditEntry.__table__, "after_create", _ddl.execute_if(dialect="sqlite"))
