"""French names and forms of dates and times, hard-coded: never the system locale.

Times as "10 h 30" and "9 h", dates as "mardi 14" or "lundi 5 janvier", the 1st as "1er".
"""

from __future__ import annotations

from datetime import date, time

from permanence.core.french import MONTH_NAMES, WEEKDAY_NAMES

__all__ = ["MONTH_NAMES", "WEEKDAY_NAMES"]


def format_time(moment: time) -> str:
    """ "9 h", "10 h 30", "12 h 05": the written and spoken form of a time."""
    if moment.minute == 0:
        return f"{moment.hour} h"
    return f"{moment.hour} h {moment.minute:02d}"


def format_day_number(day: date) -> str:
    return "1er" if day.day == 1 else str(day.day)


def format_date(day: date, *, month: bool = True, year: bool = False) -> str:
    """ "mardi 14 janvier" (`month`), "mardi 14" (without), "… 2027" (`year`)."""
    text = f"{WEEKDAY_NAMES[day.weekday()]} {format_day_number(day)}"
    if month or year:
        text += f" {MONTH_NAMES[day.month - 1]}"
    if year:
        text += f" {day.year}"
    return text
