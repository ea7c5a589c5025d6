"""Fixtures for widget tests: a demo workspace per module (it is read-mostly)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from permanence.core.demo import create_demo_workspace
from permanence.core.workspace import Workspace


@pytest.fixture
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    workspace = create_demo_workspace(tmp_path_factory.mktemp("demo-ui"), today=date.today())
    yield workspace
    workspace.close()
