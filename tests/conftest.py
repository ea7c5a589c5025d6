"""Test-wide settings: offscreen Qt, an isolated user data directory, shared/ lookup."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Must be set before any QApplication exists; Qt-free tests never read it.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_ACCESSIBILITY", "0")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Never read or write the real user's workspace, settings or cache."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(home / "run"))
    (home / "run").mkdir(mode=0o700)
    monkeypatch.delenv("PERMANENCE_DB_URL", raising=False)
    yield


#: Argon2id at its real cost takes ~0.25 s per password; tests that are not about the cost
#: use this cheap setting (the slot records it, so opening still follows the same path).
FAST_KDF_PARAMS = {"time_cost": 1, "memory_cost_kib": 256, "parallelism": 1}


@pytest.fixture(autouse=True)
def _fast_kdf_and_no_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Cheap key derivation, and no system keyring (this machine is headless)."""
    import keyring
    from keyring.backends import null

    from permanence.core.security import keyslots

    monkeypatch.setattr(keyslots, "DEFAULT_KDF", keyslots.KdfParams(**FAST_KDF_PARAMS))
    previous = keyring.get_keyring()
    keyring.set_keyring(null.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def shared_dir() -> Path:
    """The team's shared folder (`../shared`), which is not part of the repository."""
    if not SHARED.is_dir():
        pytest.skip(f"../shared est absent ({SHARED}) : ce test lit les données partagées")
    return SHARED


@pytest.fixture
def real_calendars(shared_dir: Path) -> Path:
    path = shared_dir / "calendars" / "real"
    if not path.is_dir():
        pytest.skip(f"corpus de calendriers absent : {path}")
    return path
