"""The one place that knows which database engine is used and how it is tuned."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

DB_FILENAME = "permanence.sqlite3"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def make_engine(url: str) -> Engine:
    """Engine for a workspace URL; SQLite gets WAL, full sync and foreign keys."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        in_memory = url in ("sqlite://", "sqlite:///:memory:")
        event.listen(engine, "connect", _sqlite_pragmas(in_memory))
    return engine


def _sqlite_pragmas(in_memory: bool) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA busy_timeout = 5000")
            if not in_memory:
                # WAL + FULL: a power cut never loses a committed call or message.
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    return on_connect
