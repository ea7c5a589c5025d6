"""Typed access to TOML tables with French errors that name the file and the entry."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any, TypeVar

from permanence.core.errors import DataFileError

T = TypeVar("T")
_PERIOD = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def load_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise DataFileError(path.name, "fichier", "introuvable") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(path.name, "syntaxe TOML", str(exc)) from exc


@dataclass(frozen=True)
class Entry:
    """A table of a data file, with where it comes from for error messages."""

    file: str
    where: str
    data: dict[str, Any]

    def fail(self, problem: str) -> DataFileError:
        return DataFileError(self.file, self.where, problem)

    def get(self, key: str, kind: type[T], default: T | None = None) -> T:
        if key not in self.data:
            if default is None:
                raise self.fail(f"le champ « {key} » est obligatoire")
            return default
        value = self.data[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(f"le champ « {key} » doit être de type {_kind_name(kind)}")
        return value

    def text(self, key: str, default: str | None = None) -> str:
        value = self.get(key, str, default)
        if default is None and not value.strip():
            raise self.fail(f"le champ « {key} » est vide")
        return value.strip()

    def texts(self, key: str, *, required: bool = False) -> list[str]:
        values = self.get(key, list, None if required else [])
        if not all(isinstance(v, str) for v in values):
            raise self.fail(f"le champ « {key} » doit être une liste de textes")
        return [str(v) for v in values]

    def tables(self, key: str) -> list[Entry]:
        values = self.get(key, list, [])
        entries = []
        for index, value in enumerate(values, start=1):
            if not isinstance(value, dict):
                raise self.fail(f"« {key} » n° {index} doit être une table")
            label = value.get("key") or value.get("name") or value.get("last_name") or index
            entries.append(Entry(self.file, f"{self.where} › {key} « {label} »", value))
        return entries

    def table(self, key: str) -> Entry:
        value = self.get(key, dict, {})
        return Entry(self.file, f"{self.where} › {key}", value)


def parse_period(entry: Entry, text: str) -> tuple[time, time]:
    match = _PERIOD.match(text)
    if not match:
        raise entry.fail(f"plage horaire « {text} » illisible (attendu « 08:30-12:00 »)")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    try:
        start, end = time(h1, m1), time(h2, m2)
    except ValueError as exc:
        raise entry.fail(f"plage horaire « {text} » impossible") from exc
    if end <= start:
        raise entry.fail(f"plage horaire « {text} » : la fin doit suivre le début")
    return start, end


def parse_weekday(entry: Entry, name: str) -> int:
    folded = name.strip().lower()
    if folded not in WEEKDAYS:
        raise entry.fail(f"jour « {name} » inconnu (lundi … dimanche)")
    return WEEKDAYS.index(folded)


def _kind_name(kind: type[Any]) -> str:
    return {
        str: "texte",
        int: "nombre entier",
        float: "nombre",
        bool: "booléen (true/false)",
        list: "liste",
        dict: "table",
    }.get(kind, kind.__name__)
