"""The command line as a user runs it: real processes, real files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

import permanence


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "permanence", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"Permanence {permanence.__version__}"


def test_demo_screenshot(tmp_path: Path) -> None:
    target = tmp_path / "capture.png"
    result = run("--demo", "--screenshot", str(target))
    assert result.returncode == 0, result.stderr
    image = QImage(str(target))
    assert (image.width(), image.height()) == (1366, 768)


def test_screenshot_of_an_empty_workspace(tmp_path: Path) -> None:
    target = tmp_path / "vide.png"
    result = run("--workspace", str(tmp_path / "ws"), "--screenshot", str(target))
    assert result.returncode == 0, result.stderr
    assert target.exists() and (tmp_path / "ws" / "permanence.sqlite3").exists()


def test_unusable_workspace_gives_a_french_error(tmp_path: Path) -> None:
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    result = run("--workspace", str(blocker / "ws"), "--screenshot", str(tmp_path / "x.png"))
    assert result.returncode == 2
    assert "Impossible de créer le dossier" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_lists_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert "--demo" in result.stdout and "--screenshot" in result.stdout
