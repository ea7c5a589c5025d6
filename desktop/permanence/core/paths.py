"""Where workspaces live on disk (platformdirs), and how one is chosen."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_path, user_data_path

APP_NAME = "permanence"
ENV_DB_URL = "PERMANENCE_DB_URL"


def default_workspace_dir() -> Path:
    """The user's own workspace: e.g. ~/.local/share/permanence/espace on Linux."""
    return user_data_path(APP_NAME, appauthor=False) / "espace"


def demo_root() -> Path:
    """Fresh demo copies go to the cache: never next to the user's real data."""
    return user_cache_path(APP_NAME, appauthor=False) / "demo"


def runtime_dir() -> Path:
    """Per-user folder for sockets and locks."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    return Path(base) / APP_NAME if base else user_cache_path(APP_NAME, appauthor=False) / "run"


def env_db_url() -> str | None:
    value = os.environ.get(ENV_DB_URL, "").strip()
    return value or None
