"""The workspace opens, migrates, refuses what it must, and never hands out ORM objects."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from permanence.core.db.engine import DB_FILENAME, make_engine, sqlite_url
from permanence.core.db.migrate import (
    HEAD_REVISION,
    current_revision,
    head_revision,
    upgrade_to_head,
)
from permanence.core.db.models import Base
from permanence.core.errors import WorkspaceError
from permanence.core.workspace import Workspace, resolve_location


def test_fresh_database_matches_the_models(tmp_path: Path) -> None:
    """The equivalent of `alembic check`: migrations and models describe the same schema."""
    with Workspace.open(tmp_path) as ws, ws.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        assert context.get_current_revision() == head_revision()


def test_migrations_build_the_same_schema_as_the_models(tmp_path: Path) -> None:
    """New workspaces are created from the models; the Alembic path must give the same."""
    engine = make_engine(sqlite_url(tmp_path / "migrated.sqlite3"))
    upgrade_to_head(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    assert current_revision(engine) == HEAD_REVISION == head_revision()
    engine.dispose()


def test_sqlite_is_tuned_for_safety(tmp_path: Path) -> None:
    with Workspace.open(tmp_path) as ws, ws.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_reopening_keeps_the_data(tmp_path: Path) -> None:
    with Workspace.open(tmp_path) as ws:
        ws.set_setting("workspace.name", "Cabinet test")
    with Workspace.open(tmp_path) as ws:
        assert ws.name == "Cabinet test"


def test_location_choice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERMANENCE_DB_URL", "sqlite:///" + str(tmp_path / "env.db"))
    assert resolve_location().url.endswith("env.db")
    assert resolve_location(tmp_path / "explicit").directory == tmp_path / "explicit"
    monkeypatch.delenv("PERMANENCE_DB_URL")
    default = resolve_location()
    assert default.directory is not None and "permanence" in str(default.directory)
    assert str(default.directory).startswith(os.environ["XDG_DATA_HOME"])


def test_url_label_hides_credentials() -> None:
    location = resolve_location(url="postgresql+psycopg://sophie:secret@db.local/perm")
    assert "secret" not in location.label and "db.local" in location.label


def test_newer_database_is_refused_untouched(tmp_path: Path) -> None:
    with Workspace.open(tmp_path):
        pass
    database = tmp_path / DB_FILENAME
    with sqlite3.connect(database) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before = database.read_bytes()
    with pytest.raises(WorkspaceError, match="version plus récente"):
        Workspace.open(tmp_path)
    assert database.read_bytes() == before


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """chmod for normal users; root ignores it, so root makes the folder immutable."""
    if os.geteuid() != 0:
        folder.chmod(0o500)
        try:
            yield
        finally:
            folder.chmod(0o700)
        return
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("chattr indisponible ici : dossier en lecture seule impossible pour root")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_read_only_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    with read_only(folder), pytest.raises(WorkspaceError, match="pas accessible en écriture"):
        Workspace.open(folder)
    assert list(folder.iterdir()) == []


def test_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "fichier"
    blocker.write_text("pas un dossier")
    with pytest.raises(WorkspaceError, match="Impossible de créer le dossier"):
        Workspace.open(blocker / "espace")


def test_garbage_file_is_refused_and_kept(tmp_path: Path) -> None:
    database = tmp_path / DB_FILENAME
    database.write_bytes(b"ceci n'est pas une base SQLite" * 100)
    before = database.read_bytes()
    with pytest.raises(WorkspaceError, match="endommagé"):
        Workspace.open(tmp_path)
    assert database.read_bytes() == before


def test_timestamps_come_back_aware_utc(tmp_path: Path) -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from permanence.core.db.models import Practice

    with Workspace.open(tmp_path) as ws:
        paris = datetime(2026, 7, 1, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
        with ws.sessions.begin() as session:
            session.add(Practice(key="p", name="P", kind="autre", created_at=paris))
        with ws.sessions() as session:
            stored = session.query(Practice).one().created_at
        assert stored.tzinfo is UTC and stored == paris
        with sqlite3.connect(tmp_path / DB_FILENAME) as raw:
            assert (
                raw.execute("SELECT created_at FROM practices")
                .fetchone()[0]
                .startswith("2026-07-01 07:00:00")
            )


def test_upgrade_from_the_baseline_keeps_the_data(tmp_path: Path) -> None:
    """A workspace written by the first release opens in this one with its data."""
    from alembic import command

    from permanence.core.db.migrate import alembic_config

    engine = make_engine(sqlite_url(tmp_path / DB_FILENAME))
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001_baseline")
        connection.exec_driver_sql(
            "INSERT INTO practices (key, name, kind, greeting, address, email, active, position,"
            " created_at) VALUES ('p', 'Cabinet', 'dentiste', 'Bonjour', '', '', 1, 0,"
            " '2026-01-01 08:00:00')"
        )
    engine.dispose()
    with Workspace.open(tmp_path) as ws:
        assert [p.name for p in ws.practices.list()] == ["Cabinet"]
        assert current_revision(ws.engine) == HEAD_REVISION
