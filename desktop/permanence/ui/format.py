"""Dates and times in French form for display ("mardi 14 janvier", "10 h 30")."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from permanence.core.french import MONTH_NAMES, WEEKDAY_NAMES

DAYS = WEEKDAY_NAMES
MONTHS = MONTH_NAMES
PARIS = ZoneInfo("Europe/Paris")


def format_time(moment: datetime) -> str:
    """ "10 h 30", "9 h"."""
    return f"{moment.hour} h" if moment.minute == 0 else f"{moment.hour} h {moment.minute:02d}"


def format_day(day: date, *, with_year: bool = False) -> str:
    """ "mardi 14 janvier" (1er for the first of the month)."""
    number = "1er" if day.day == 1 else str(day.day)
    text = f"{DAYS[day.weekday()]} {number} {MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if with_year else text


def format_day_time(moment: datetime, zone: ZoneInfo = PARIS) -> str:
    local = moment.astimezone(zone)
    return f"{format_day(local.date(), with_year=True)} à {format_time(local)}"
