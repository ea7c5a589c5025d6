"""The component cache of one calendar source, kept in the `calendar_components` table.

All the entries of a source are read in one query before an import (decoded only when
asked for) and the changed ones written back in the import's own transaction, so a
re-import of an unchanged calendar costs one SELECT and no parse.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from permanence.core.calendars.cache import CachedOccurrence, CacheEntry
from permanence.core.calendars.model import Skipped
from permanence.core.db.models import CalendarComponent

#: Keys per DELETE … IN (…): well under SQLite's limit on bound parameters.
_CHUNK = 500

_Row = tuple[str | None, str, str, datetime, datetime, str]


class SqlComponentCache:
    """A `ComponentCache` over one source's rows; `save(session)` writes what changed."""

    def __init__(self, source_id: int, rows: dict[str, _Row]) -> None:
        self.source_id = source_id
        self._rows = rows  # key → (uid, raw_text, digest, window_start, window_end, payload)
        self._entries: dict[str, CacheEntry] = {}
        self._changed: set[str] = set()
        self._removed: set[str] = set()

    @classmethod
    def load(cls, session: Session, source_id: int) -> SqlComponentCache:
        """Every entry of the source, in one query."""
        query = select(
            CalendarComponent.key,
            CalendarComponent.uid,
            CalendarComponent.raw_text,
            CalendarComponent.digest,
            CalendarComponent.window_start,
            CalendarComponent.window_end,
            CalendarComponent.payload,
        ).where(CalendarComponent.source_id == source_id)
        rows = {
            key: (uid, raw, digest, first, last, payload)
            for key, uid, raw, digest, first, last, payload in session.execute(query)
        }
        return cls(source_id, rows)

    # -- ComponentCache ----------------------------------------------------------------
    def get(self, key: str) -> CacheEntry | None:
        entry = self._entries.get(key)
        if entry is None and key in self._rows and key not in self._removed:
            entry = _decode(self._rows[key])
            if entry is not None:
                self._entries[key] = entry
        return entry

    def put(self, key: str, entry: CacheEntry) -> None:
        self._entries[key] = entry
        self._changed.add(key)
        self._removed.discard(key)

    def keys(self) -> Iterable[str]:
        return list({*self._rows, *self._entries} - self._removed)

    def remove(self, key: str) -> None:
        self._entries.pop(key, None)
        self._changed.discard(key)
        if key in self._rows:
            self._removed.add(key)

    def __len__(self) -> int:
        return len(list(self.keys()))

    # -- writing -----------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return bool(self._changed or self._removed)

    def save(self, session: Session) -> None:
        """Write the changed entries and drop the removed ones (in the caller's transaction)."""
        stale = sorted(self._removed | (self._changed & self._rows.keys()))
        for chunk in _chunks(stale):
            session.execute(
                delete(CalendarComponent).where(
                    CalendarComponent.source_id == self.source_id,
                    CalendarComponent.key.in_(chunk),
                )
            )
        session.add_all(
            _row(self.source_id, key, self._entries[key]) for key in sorted(self._changed)
        )
        session.flush()
        for key in self._removed:
            self._rows.pop(key, None)
        self._removed.clear()
        self._changed.clear()


def _chunks(keys: list[str]) -> Iterator[list[str]]:
    for index in range(0, len(keys), _CHUNK):
        yield keys[index : index + _CHUNK]


def _row(source_id: int, key: str, entry: CacheEntry) -> CalendarComponent:
    return CalendarComponent(
        source_id=source_id,
        key=key,
        uid=entry.uid,
        raw_text=entry.raw_text,
        digest=entry.digest,
        window_start=entry.window[0],
        window_end=entry.window[1],
        payload=json.dumps(_payload(entry), ensure_ascii=False, separators=(",", ":")),
    )


def _payload(entry: CacheEntry) -> dict[str, Any]:
    return {
        "occurrences": [
            [
                o.start.isoformat(),
                o.end.isoformat(),
                o.summary,
                o.recurrence_id.isoformat() if o.recurrence_id else None,
                o.busy,
            ]
            for o in entry.occurrences
        ],
        "events": entry.events,
        "skipped": [[s.uid, s.reason, s.component] for s in entry.skipped],
        "warnings": list(entry.warnings),
        "floating": entry.floating,
    }


def _decode(row: _Row) -> CacheEntry | None:
    """The entry of a row; None (parsed again) when its payload cannot be read."""
    uid, raw_text, digest, first, last, text = row
    try:
        data = json.loads(text)
        occurrences = tuple(
            CachedOccurrence(
                datetime.fromisoformat(start),
                datetime.fromisoformat(end),
                str(summary),
                datetime.fromisoformat(recurrence) if recurrence else None,
                bool(busy),
            )
            for start, end, summary, recurrence, busy in data["occurrences"]
        )
        skipped = tuple(
            Skipped(s_uid, reason, component) for s_uid, reason, component in data["skipped"]
        )
        return CacheEntry(
            uid=uid,
            raw_text=raw_text,
            digest=digest,
            window=(first, last),
            occurrences=occurrences,
            events=int(data["events"]),
            skipped=skipped,
            warnings=tuple(str(w) for w in data["warnings"]),
            floating=bool(data["floating"]),
        )
    except (ValueError, KeyError, TypeError):
        return None
