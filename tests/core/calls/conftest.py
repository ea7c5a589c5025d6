"""Fixtures of the calls tests: a small real workspace and the demo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from calls_setup import TODAY, Setup, add_practices

from permanence.core.demo import create_demo_workspace
from permanence.core.workspace import Workspace


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    ws = Workspace.open(tmp_path / "ws")
    try:
        yield add_practices(ws)
    finally:
        ws.close()


@pytest.fixture
def ws(setup: Setup) -> Workspace:
    return setup.ws


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    # Module fixtures start before the per-test isolation: keep the demo template out of
    # the real user's cache.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        workspace = create_demo_workspace(tmp_path_factory.mktemp("demo"), today=TODAY)
    yield workspace
    workspace.close()
