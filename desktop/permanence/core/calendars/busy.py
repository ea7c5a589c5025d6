"""A source's calendar text becomes its busy time: one place for file, URL and CalDAV."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete
from sqlalchemy.orm import Session

from permanence.core.calendars.importer import import_calendar
from permanence.core.calendars.model import ImportResult, default_window
from permanence.core.calendars.sqlcache import SqlComponentCache
from permanence.core.db.models import BusyTime


def replace_busy_times(
    session: Session,
    *,
    source_id: int,
    practitioner_id: int,
    data: bytes,
    zone: ZoneInfo,
    moment: datetime,
) -> ImportResult:
    """Import through the source's SQLite cache and replace its busy time, in `session`.

    Raises CalendarImportError before anything is written, so the old busy time stays.
    """
    cache = SqlComponentCache.load(session, source_id)
    result = import_calendar(data, tz=zone, window=default_window(moment), cache=cache)
    cache.save(session)
    session.execute(delete(BusyTime).where(BusyTime.source_id == source_id))
    session.add_all(
        BusyTime(
            source_id=source_id,
            practitioner_id=practitioner_id,
            uid=item.uid,
            starts_at=item.start,
            ends_at=item.end,
            summary=item.summary,
        )
        for item in result.busy
    )
    return result
