"""Drafts survive a crash, and two running instances never write the same draft."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from calls_setup import add_practices
from sqlalchemy import update

from permanence.core.calls.instances import STALE_AFTER, InstanceRegistry
from permanence.core.calls.service import OTHER_WINDOW, CallsService
from permanence.core.db.models import Call
from permanence.core.errors import ValidationError
from permanence.core.workspace import Workspace


def test_a_draft_survives_the_app_going_away(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    practices = add_practices(ws)
    call = ws.calls.start(to_number="04 78 60 12 34", from_number="06 12 34 56 78")
    ws.calls.update(call.id, reason="Douleur dentaire depuis hier", tension=True)
    ws.engine.dispose()  # gone without closing the call…
    ws.instances.release()  # …and the system drops the lock of a dead process

    with Workspace.open(tmp_path) as again:
        assert again.calls.drafts() == []  # a new instance owns nothing yet
        [draft] = again.calls.drafts_to_recover()
        assert draft.id == call.id and draft.reason == "Douleur dentaire depuis hier"
        assert draft.practice_id == practices.martin and draft.tension
        claimed = again.calls.claim(call.id)
        assert claimed.draft_owner == again.instance_id
        assert again.calls.drafts_to_recover() == []
        assert again.calls.close(call.id, "rdv").status == "closed"


def test_a_real_crash_loses_nothing(tmp_path: Path) -> None:
    """A child process starts a call, saves a change, and dies without any cleanup."""
    with Workspace.open(tmp_path) as ws:
        add_practices(ws)
    script = textwrap.dedent(
        f"""
        import os
        from pathlib import Path
        from permanence.core.workspace import Workspace
        ws = Workspace.open(Path({str(tmp_path)!r}))
        call = ws.calls.start(to_number="0478601234", from_number="0612345678")
        ws.calls.update(call.id, reason="Fièvre à 39 depuis ce matin")
        print(call.id, ws.instance_id, flush=True)
        os._exit(9)
        """
    )
    child = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert child.returncode == 9, child.stderr
    call_id, owner = child.stdout.split()
    assert (tmp_path / "instances" / f"{owner}.lock").exists()  # left behind by the crash

    with Workspace.open(tmp_path) as ws:
        [draft] = ws.calls.drafts_to_recover()
        assert draft.id == int(call_id) and draft.draft_owner == owner
        assert draft.reason == "Fièvre à 39 depuis ce matin"
        ws.calls.claim(draft.id)
    assert not (tmp_path / "instances" / f"{owner}.lock").exists()  # tidied up


def test_two_instances_never_write_the_same_draft(tmp_path: Path) -> None:
    first = Workspace.open(tmp_path)
    add_practices(first)
    second = Workspace.open(tmp_path)
    try:
        call = first.calls.start(to_number="0478601234")
        for attempt in (
            lambda: second.calls.update(call.id, notes="moi aussi"),
            lambda: second.calls.close(call.id, "rdv"),
            lambda: second.calls.claim(call.id),
            lambda: second.calls.discard(call.id),
        ):
            with pytest.raises(ValidationError) as error:
                attempt()
            assert str(error.value) == OTHER_WINDOW
        assert second.calls.drafts_to_recover() == []
        assert first.calls.get(call.id).notes == ""
        first.calls.update(call.id, notes="le premier écrit")

        first.close()  # the first window goes away: the draft is orphaned
        [orphan] = second.calls.drafts_to_recover()
        assert orphan.notes == "le premier écrit"
        with Workspace.open(tmp_path) as third:
            assert third.calls.drafts_to_recover() == [orphan]
            second.calls.claim(call.id)
            with pytest.raises(ValidationError, match="autre fenêtre"):
                third.calls.update(call.id, notes="trop tard")
            assert third.calls.drafts_to_recover() == []
        assert second.calls.update(call.id, notes="repris").notes == "repris"
    finally:
        first.close()
        second.close()


def test_an_orphan_is_recovered_by_exactly_one_instance(tmp_path: Path) -> None:
    with Workspace.open(tmp_path) as ws:
        add_practices(ws)
        call = ws.calls.start(to_number="0478601234")
    rivals = [Workspace.open(tmp_path) for _ in range(4)]
    barrier = threading.Barrier(len(rivals))
    winners: list[str] = []
    losers: list[str] = []

    def recover(workspace: Workspace) -> None:
        barrier.wait()
        try:
            winners.append(workspace.calls.claim(call.id).draft_owner)
        except ValidationError as error:
            losers.append(str(error))

    threads = [threading.Thread(target=recover, args=(w,)) for w in rivals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert len(winners) == 1 and losers == [OTHER_WINDOW] * 3
        owner = next(w for w in rivals if w.instance_id == winners[0])
        assert owner.calls.get(call.id).draft_owner == owner.instance_id
    finally:
        for workspace in rivals:
            workspace.close()


def test_without_a_folder_a_draft_is_orphaned_once_stale(tmp_path: Path) -> None:
    """PostgreSQL-like workspaces have no lock folder: another instance's draft counts as
    alive until it has not been saved for STALE_AFTER."""
    with Workspace.open(tmp_path) as ws:
        add_practices(ws)
        here = CallsService(ws.sessions, "a" * 32, instances=InstanceRegistry("a" * 32, None))
        there = CallsService(ws.sessions, "b" * 32)
        call = there.start(to_number="0478601234")
        assert here.drafts_to_recover() == []
        with pytest.raises(ValidationError, match="autre fenêtre"):
            here.update(call.id, notes="non")
        old = datetime.now(UTC) - STALE_AFTER - timedelta(minutes=1)
        with ws.sessions.begin() as session:
            session.execute(update(Call).where(Call.id == call.id).values(updated_at=old))
        assert [c.id for c in here.drafts_to_recover()] == [call.id]
        assert here.update(call.id, notes="repris").draft_owner == "a" * 32


def test_lock_files_come_and_go_with_the_workspace(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    lock = tmp_path / "instances" / f"{ws.instance_id}.lock"
    assert lock.exists() and ws.instances.uses_locks
    assert ws.instances.is_live(ws.instance_id)
    ws.close()
    ws.close()  # twice is harmless
    assert not lock.exists()
    with Workspace.open(tmp_path) as other:
        assert not other.instances.is_live(ws.instance_id)
        assert not other.instances.is_live("../../etc/passwd")
        assert not other.instances.is_live("")
