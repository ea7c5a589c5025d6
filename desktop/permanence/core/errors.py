"""Errors the core raises for the user to read: every message is in French."""

from __future__ import annotations


class PermanenceError(Exception):
    """Base of the errors that carry a French message meant for the user."""

    @property
    def message(self) -> str:
        return str(self)


class WorkspaceError(PermanenceError):
    """The workspace cannot be opened or created (folder, version, integrity)."""


class DataFileError(PermanenceError):
    """A data file under resources/ (demo, catalog…) has a mistake: names the file and entry."""

    def __init__(self, file: str, entry: str, problem: str) -> None:
        self.file = file
        self.entry = entry
        self.problem = problem
        super().__init__(f"{file} — {entry} : {problem}")


class NotFoundError(PermanenceError):
    """The thing asked for does not exist (or no longer exists)."""


class ValidationError(PermanenceError):
    """A value typed by the user is not acceptable; nothing was saved."""


class PermissionDeniedError(PermanenceError):
    """The logged-in account may not do this (its role or scope forbids it)."""
