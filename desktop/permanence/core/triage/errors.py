"""Errors of the triage catalog, worded in French for the person who edits the files."""

from __future__ import annotations

from pathlib import Path


class CatalogError(ValueError):
    """A catalog file is missing, unreadable or wrong; the message names file and entry."""

    def __init__(self, file: Path | str, message: str, entry: str | None = None) -> None:
        self.file = str(file)
        self.entry = entry
        where = f"{self.file}" if entry is None else f"{self.file}, entrée « {entry} »"
        super().__init__(f"Catalogue de tri invalide ({where}) : {message}")
