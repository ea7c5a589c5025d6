"""Helpers of the calendar import tests: our fixtures, zones, windows, the CLI parser."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from permanence.commands import import_ics
from permanence.core.calendars import ImportResult, Window, import_calendar

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ics"
PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
YEAR_2027: Window = (datetime(2027, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def import_fixture(name: str, tz: ZoneInfo = PARIS, window: Window = YEAR_2027) -> ImportResult:
    return import_calendar(fixture_bytes(name), tz=tz, window=window)


def starts(result: ImportResult, uid: str) -> list[datetime]:
    """Busy starts of one UID, in order."""
    return [item.start for item in result.busy if item.uid == uid]


def cli_parser() -> argparse.ArgumentParser:
    """A parser holding only the import-ics subcommand, as the application's CLI builds it."""
    parser = argparse.ArgumentParser(prog="permanence")
    import_ics.register(parser.add_subparsers(dest="command"))
    return parser
