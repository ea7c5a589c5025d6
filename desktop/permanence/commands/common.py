"""What every subcommand shares: one-line French errors, exit codes, the workspace."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from permanence.core.errors import PermanenceError

if TYPE_CHECKING:
    from permanence.core.workspace import Workspace


class UsageError(Exception):
    """A bad option value; the message is French and fits on one line."""


def fail(message: str, code: int = 2) -> int:
    """Print one line on stderr and return the exit code."""
    print(" ".join(message.split()), file=sys.stderr)
    return code


def guarded(
    func: Callable[[argparse.Namespace], int],
    args: argparse.Namespace,
    what: str,
    *,
    interrupted: str = "Interrompu.",
) -> int:
    """Run a command body: French one-line errors (exit 2), never a traceback."""
    try:
        return int(func(args))
    except (UsageError, PermanenceError) as error:
        return fail(str(error))
    except KeyboardInterrupt:
        return fail(interrupted, 130)
    except Exception as error:
        return fail(f"Erreur inattendue pendant {what} : {type(error).__name__} : {error}")


def open_workspace(args: argparse.Namespace) -> Workspace:
    """The workspace the global options name: --demo (a fresh copy) or --workspace DIR."""
    if getattr(args, "demo", False):
        from permanence.core.demo import create_demo_workspace

        return create_demo_workspace()
    from permanence.core.workspace import Workspace

    return Workspace.open(getattr(args, "workspace", None))
