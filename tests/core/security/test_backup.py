"""Backups: one encrypted file, a consistent copy while the app writes, daily rotation,
a checked restore into the workspace or a new folder (faults: test_faults_*.py)."""

from __future__ import annotations

import errno
import json
import threading
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from permanence.core.db.engine import DB_FILENAME, make_engine, sqlite_url
from permanence.core.db.models import Message, MessageEvent
from permanence.core.demo import load_demo, read_demo
from permanence.core.messages import MessageDraft
from permanence.core.resources import resource_path
from permanence.core.security import backup as backup_module
from permanence.core.security.audit import EXPORTED
from permanence.core.security.backup import (
    AUTOMATIC,
    MANUAL,
    BackupError,
    BackupInfo,
    Manifest,
    read_backup,
    restore,
    select_to_keep,
)
from permanence.core.security.keyslots import KeySlots
from permanence.core.workspace import Workspace

USER, PASSWORD = "marie", "Secret-2026"
#: A name and a reason that appear nowhere else: searched for in the bytes of every file.
PATIENT_LAST, PATIENT_FIRST = "Quintard-Zébulon", "Gwenaëlle"
MOTIF = "douleur thoracique irradiant Xylophage"
TODAY = date(2026, 11, 23)


def create_encrypted(folder: Path, *, demo: bool = True) -> Workspace:
    """An encrypted workspace with the demo practices (so messages have a practitioner)."""
    ws = Workspace.create_encrypted(folder, USER, PASSWORD, display_name="Marie D.")
    if demo:
        load_demo(ws, read_demo(resource_path("demo")), today=TODAY)
    return ws


def message_draft(ws: Workspace, index: int = 0) -> MessageDraft:
    practice = ws.practices.list()[0]
    practitioner = practice.practitioners[0]
    return MessageDraft(
        practice_id=practice.id,
        practitioner_id=practitioner.id,
        caller_civility="Madame",
        caller_first_name=PATIENT_FIRST,
        caller_last_name=f"{PATIENT_LAST}{index or ''}",
        callback_number="06 12 34 56 78",
        reason=MOTIF,
        body=f"Rappelle pour la {index}e fois, souhaite un avis sur son {MOTIF}.",
    )


def save_message(ws: Workspace, index: int = 0) -> int:
    """As the call card does: a call draft, the message with its readback, the call closed."""
    call = ws.calls.start(to_number="01 23 45 67 89", from_number="06 12 34 56 78")
    ws.calls.update(call.id, reason=MOTIF)
    info = ws.messages.save(
        message_draft(ws, index),
        call_id=call.id,
        confirmed=True,
        readback_text=f"Je relis : {PATIENT_FIRST} {PATIENT_LAST}, {MOTIF}.",
        by=USER,
    )
    ws.calls.close(call.id, "message")
    return info.id


def file_bytes(folder: Path) -> dict[str, bytes]:
    """Every file of a workspace folder except the lock files (their content is metadata)."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.suffix != ".lock"
    }


def workspace_bytes(folder: Path) -> tuple[bytes, bytes]:
    database = folder / DB_FILENAME
    slots = KeySlots.path_in(folder)
    return database.read_bytes(), slots.read_bytes() if slots.exists() else b""


# -- the backup file ------------------------------------------------------------------------
def test_a_backup_is_one_stored_zip_with_an_encrypted_copy_and_a_manifest(tmp_path: Path) -> None:
    with create_encrypted(tmp_path / "ws") as ws:
        save_message(ws)
        info = ws.backups.create(tmp_path / "copie.pmbackup")
        workspace_id = ws.workspace_id
        entries = ws.audit.entries(kind="sauvegarde")
    assert info.path == tmp_path / "copie.pmbackup"
    with zipfile.ZipFile(info.path) as zf:
        assert zf.namelist() == ["manifest.json", DB_FILENAME, "keyslots.json"]
        assert {item.compress_type for item in zf.infolist()} == {zipfile.ZIP_STORED}
        manifest = json.loads(zf.read("manifest.json"))
        copy = zf.read(DB_FILENAME)
        slots = zf.read("keyslots.json")
    assert manifest["format"] == "permanence-backup" and manifest["format_version"] == 1
    assert manifest["workspace_id"] == workspace_id
    assert manifest["encrypted"] is True and manifest["kind"] == MANUAL
    assert manifest["schema_revision"].startswith("00")
    assert manifest["created_utc"].endswith("+00:00")
    assert manifest["database"]["size"] == len(copy)
    assert not copy.startswith(b"SQLite format 3")  # encrypted from the first page
    assert KeySlots.from_json(slots.decode()).workspace_id == workspace_id
    assert [(e.action, e.object_id) for e in entries] == [(EXPORTED, "copie.pmbackup")]
    # The copy opens with the workspace's key and holds the message.
    key = KeySlots.from_json(slots.decode()).unwrap(USER, PASSWORD)
    extracted = tmp_path / "extrait.sqlite3"
    extracted.write_bytes(copy)
    engine = make_engine(sqlite_url(extracted), key=key)
    with engine.connect() as connection:
        found = select(Message.reason).where(Message.caller_last_name == PATIENT_LAST)
        assert connection.scalar(found) == MOTIF
    engine.dispose()


def test_the_demo_workspace_backup_is_plain_and_says_so(tmp_path: Path) -> None:
    from permanence.core.demo import create_demo_workspace

    with create_demo_workspace(tmp_path / "demo", today=TODAY) as ws:
        info = ws.backups.create()
        assert ws.workspace_id and info.manifest.workspace_id == ws.workspace_id
    assert info.path.parent == tmp_path / "demo" / "sauvegardes"
    assert info.path.name.startswith("permanence-") and info.path.suffix == ".pmbackup"
    assert not info.manifest.encrypted and "non chiffrée" in info.label
    with zipfile.ZipFile(info.path) as zf:
        assert "keyslots.json" not in zf.namelist()
        assert zf.read(DB_FILENAME).startswith(b"SQLite format 3")
    assert read_backup(info.path).manifest == info.manifest


def test_the_copy_is_consistent_while_the_app_writes(tmp_path: Path) -> None:
    """Another thread commits pairs of settings all along; the copy never holds half a pair."""
    with create_encrypted(tmp_path / "ws", demo=False) as ws:
        for index in range(300):  # a database of a few hundred pages
            ws.set_setting(f"remplissage.{index}", "x" * 2000)
        stop = threading.Event()
        commits = [0]

        def writer() -> None:
            from permanence.core.db.models import Setting

            while not stop.is_set():
                commits[0] += 1
                with ws.sessions.begin() as session:
                    session.merge(Setting(key="paire.a", value=str(commits[0])))
                    session.merge(Setting(key="paire.b", value=str(commits[0])))

        thread = threading.Thread(target=writer)
        thread.start()
        try:
            infos = [ws.backups.create(tmp_path / f"b{n}.pmbackup") for n in range(5)]
        finally:
            stop.set()
            thread.join()
        key = ws._key
    assert commits[0] > 5  # the writer was never blocked by the copies
    for info in infos:
        extracted = tmp_path / "extrait.sqlite3"
        with zipfile.ZipFile(info.path) as zf:
            extracted.write_bytes(zf.read(DB_FILENAME))
        engine = make_engine(sqlite_url(extracted), key=key)
        with engine.connect() as connection:
            rows = dict(
                connection.exec_driver_sql(
                    "SELECT key, value FROM settings WHERE key LIKE 'paire.%'"
                ).all()
            )
            assert connection.exec_driver_sql("PRAGMA quick_check").scalar() == "ok"
        engine.dispose()
        extracted.unlink()
        assert rows.get("paire.a") == rows.get("paire.b")


def test_a_failed_write_leaves_no_partial_file_and_earlier_backups_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with create_encrypted(tmp_path / "ws", demo=False) as ws:
        first = ws.backups.create()
        before = first.path.read_bytes()
        real_write = zipfile.ZipFile.write

        def disk_full(self: zipfile.ZipFile, *args: object, **kwargs: object) -> None:
            real_write(self, *args, **kwargs)  # type: ignore[arg-type]
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(zipfile.ZipFile, "write", disk_full)
        with pytest.raises(BackupError, match="le disque est plein") as caught:
            ws.backups.create(now=datetime.now(UTC) + timedelta(minutes=5))
        assert "sauvegardes précédentes sont intactes" in str(caught.value)
    folder = first.path.parent
    assert [p.name for p in folder.iterdir()] == [first.path.name]
    assert first.path.read_bytes() == before


def test_a_missing_target_folder_is_a_french_error(tmp_path: Path) -> None:
    with (
        create_encrypted(tmp_path / "ws", demo=False) as ws,
        pytest.raises(BackupError, match="n'existe pas"),
    ):
        ws.backups.create(tmp_path / "cle-usb" / "copie.pmbackup")


# -- daily backups and rotation -------------------------------------------------------------
def test_run_due_makes_at_most_one_automatic_backup_a_day(tmp_path: Path) -> None:
    start = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
    with create_encrypted(tmp_path / "ws", demo=False) as ws:
        first = ws.backups.run_due(start)
        assert first is not None and first.automatic
        assert first.path.name == f"permanence-{start.astimezone():%Y-%m-%d-%H%M}.pmbackup"
        assert ws.backups.run_due(start + timedelta(hours=23, minutes=59)) is None
        # A manual backup does not count as the daily one.
        ws.backups.create(now=start + timedelta(hours=23, minutes=59, seconds=30))
        second = ws.backups.run_due(start + timedelta(hours=24))
        assert second is not None and second.path != first.path
        # A backup dated in the future (the clock was wrong) does not block the next ones.
        assert ws.backups.run_due(start - timedelta(days=3)) is not None


def test_run_due_from_worker_threads_makes_one_backup(tmp_path: Path) -> None:
    """The GUI calls run_due on a worker thread; two at once still make one backup."""
    results: list[BackupInfo | None] = []
    errors: list[BaseException] = []
    with create_encrypted(tmp_path / "ws", demo=False) as ws:

        def work() -> None:
            try:
                results.append(ws.backups.run_due())
            except BaseException as exc:  # reported below, not lost in the thread
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert len([r for r in results if r is not None]) == 1
        assert len(ws.backups.automatic_backups()) == 1


def test_the_setting_chooses_the_folder(tmp_path: Path) -> None:
    with create_encrypted(tmp_path / "ws", demo=False) as ws:
        ws.set_setting("backup.folder", str(tmp_path / "ailleurs"))
        info = ws.backups.run_due()
    assert info is not None and info.path.parent == tmp_path / "ailleurs"


def test_rotation_keeps_7_daily_and_4_weekly_and_never_manual_ones(tmp_path: Path) -> None:
    first_day = datetime(2026, 9, 7, 11, 0, tzinfo=UTC)  # a Monday
    with create_encrypted(tmp_path / "ws", demo=False) as ws:
        manual = ws.backups.create(now=first_day - timedelta(days=10))
        # Another workspace's automatic backups in the same folder are not ours to delete.
        with create_encrypted(tmp_path / "autre", demo=False) as other:
            other.set_setting("backup.folder", str(ws.backups.folder))
            foreign = other.backups.run_due(first_day - timedelta(days=30))
        for day in range(40):
            assert ws.backups.run_due(first_day + timedelta(days=day)) is not None
        kept = {info.manifest.created.date() for info in ws.backups.automatic_backups()}
        folder = ws.backups.folder
    days = [date(2026, 10, d) for d in range(10, 17)]  # the last 7 days (to Fri 16 Oct)
    weekly = [date(2026, 10, 4), date(2026, 9, 27)]  # Sundays: newest of the 2 weeks before
    assert kept == {*days, *weekly}
    assert manual.path.exists() and foreign is not None and foreign.path.exists()
    assert len(list(folder.glob("*.pmbackup"))) == len(kept) + 2


def test_select_to_keep_takes_the_newest_of_each_recent_day_and_iso_week() -> None:
    def made(moment: datetime) -> BackupInfo:
        manifest = Manifest("ws", "rev", moment, True, "0", "", 0, kind=AUTOMATIC)
        return BackupInfo(Path(moment.isoformat()), manifest, 0)

    noon = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    backups = [made(noon - timedelta(hours=hours)) for hours in range(0, 24 * 60, 5)]
    by_day: dict[object, Path] = {}
    by_week: dict[object, Path] = {}
    for info in sorted(backups, key=lambda b: b.manifest.created):  # the newest wins
        local = info.manifest.created.astimezone()
        by_day[local.date()] = info.path
        by_week[local.isocalendar()[:2]] = info.path
    expected = {by_day[d] for d in sorted(by_day)[-7:]} | {by_week[w] for w in sorted(by_week)[-4:]}
    assert select_to_keep(reversed(backups), daily=7, weekly=4) == expected
    assert 7 <= len(expected) <= 11
    assert select_to_keep([], daily=7, weekly=4) == set()


# -- restore --------------------------------------------------------------------------------
def test_restore_into_an_empty_folder_on_a_new_laptop(tmp_path: Path) -> None:
    with create_encrypted(tmp_path / "ws") as ws:
        message_id = save_message(ws)
        info = ws.backups.create()
    result = restore(info.path, tmp_path / "neuf", USER, PASSWORD)
    assert result.previous is None
    names = {p.name for p in (tmp_path / "neuf").iterdir() if p.suffix != ".lock"}
    assert names == {DB_FILENAME, "keyslots.json"}
    with Workspace.unlock(tmp_path / "neuf", USER, PASSWORD) as restored:
        assert restored.messages.get(message_id).draft.reason == MOTIF
        assert restored.workspace_id == info.manifest.workspace_id


def test_restore_replaces_the_workspace_and_keeps_the_previous_files(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    with create_encrypted(folder) as ws:
        kept_id = save_message(ws, 1)
        info = ws.backups.create(tmp_path / "hier.pmbackup")
        lost_id = save_message(ws, 2)  # after the backup: not in it
    before = workspace_bytes(folder)
    result = restore(info.path, folder, USER, PASSWORD)
    assert result.previous is not None and result.previous.parent == folder
    assert result.previous.name.startswith("avant-restauration-")
    assert workspace_bytes(result.previous) == before
    with Workspace.unlock(folder, USER, PASSWORD) as ws:
        ids = [m.id for m in ws.messages.open_messages()]
        assert kept_id in ids and lost_id not in ids
        ws.set_setting("apres", "ok")  # the restored workspace is writable as usual


def test_restore_of_an_older_schema_brings_it_to_the_current_one(tmp_path: Path) -> None:
    """A backup made by an older version (schema 0008) is migrated before the swap."""
    from alembic import command

    from permanence.core.db.migrate import HEAD_REVISION, alembic_config, current_revision

    with Workspace.open(tmp_path / "ancien") as ws:
        ws.set_setting("workspace.name", "Ancienne version")
        workspace_id = ws.workspace_id
        with ws.engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0008_security")
    info = backup_module.write_backup(
        tmp_path / "ancien" / DB_FILENAME,
        tmp_path / "ancien.pmbackup",
        key=None,
        workspace_id=workspace_id,
    )
    assert info.manifest.schema_revision == "0008_security"
    restore(info.path, tmp_path / "neuf", "", "")
    engine = make_engine(sqlite_url(tmp_path / "neuf" / DB_FILENAME))
    assert current_revision(engine) == HEAD_REVISION
    engine.dispose()
    with Workspace.open(tmp_path / "neuf") as ws:
        assert ws.name == "Ancienne version"


def test_a_workspace_given_by_url_is_not_backed_up_here(tmp_path: Path) -> None:
    with Workspace.open(url=sqlite_url(tmp_path / "base.sqlite3")) as ws:
        assert not ws.backups.available
        assert ws.backups.run_due() is None
        with pytest.raises(BackupError, match="PostgreSQL"):
            ws.backups.create()


def test_messages_survive_a_backup_restore_round_trip_with_their_events(tmp_path: Path) -> None:
    with create_encrypted(tmp_path / "ws") as ws:
        ids = [save_message(ws, n) for n in range(1, 4)]
        info = ws.backups.create()
    restore(info.path, tmp_path / "neuf", USER, PASSWORD)
    with Workspace.unlock(tmp_path / "neuf", USER, PASSWORD) as ws, ws.sessions() as session:
        events = session.scalars(
            select(MessageEvent.message_id).where(MessageEvent.kind == "relecture")
        ).all()
        assert sorted(events) == ids
