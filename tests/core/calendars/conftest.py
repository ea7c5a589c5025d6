"""Fixtures of the calendar import tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from ics_helpers import cli_parser


@pytest.fixture
def run_cli(
    capsys: pytest.CaptureFixture[str],
) -> Callable[..., tuple[int, str, str]]:
    """Run `permanence import-ics ARGS…` in process: (exit code, stdout, stderr)."""

    def run(*arguments: str) -> tuple[int, str, str]:
        args = cli_parser().parse_args(["import-ics", *arguments])
        code = args.func(args)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
