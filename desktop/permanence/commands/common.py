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


def open_workspace(args: argparse.Namespace, *, exclusive: bool = False) -> Workspace:
    """The workspace the global options name: --demo (a fresh copy) or --workspace DIR.

    An encrypted workspace is opened as --user (or PERMANENCE_USER) with the password of
    PERMANENCE_PASSWORD, else asked on the terminal (never echoed, never an argument:
    arguments are visible to every user of the machine).
    """
    if getattr(args, "demo", False):
        from permanence.core.demo import create_demo_workspace

        return create_demo_workspace()
    from permanence.core.workspace import Workspace, WorkspaceLockedError, resolve_location

    directory = getattr(args, "workspace", None)
    try:
        return Workspace.open(directory, exclusive=exclusive)
    except WorkspaceLockedError:
        folder = resolve_location(directory).directory
        assert folder is not None  # only a folder can hold key slots
        username, password = ask_credentials(args)
        return Workspace.unlock(folder, username, password, exclusive=exclusive)


def ask_credentials(args: argparse.Namespace, prompt: str = "Mot de passe") -> tuple[str, str]:
    """User name and password for the CLI, from options, environment or the terminal."""
    import getpass
    import os

    username = getattr(args, "user", None) or os.environ.get("PERMANENCE_USER", "")
    password = os.environ.get("PERMANENCE_PASSWORD")
    interactive = sys.stdin.isatty()
    if not username:
        if not interactive:
            raise UsageError(
                "Cet espace de travail est chiffré : indiquez le compte avec --user "
                "(ou PERMANENCE_USER) et le mot de passe dans PERMANENCE_PASSWORD."
            )
        username = input("Identifiant : ").strip()
    if password is None:
        if not interactive:
            raise UsageError(
                "Cet espace de travail est chiffré : le mot de passe est lu dans "
                "PERMANENCE_PASSWORD quand la commande ne tourne pas dans un terminal."
            )
        password = getpass.getpass(f"{prompt} de {username} : ")
    return username, password
