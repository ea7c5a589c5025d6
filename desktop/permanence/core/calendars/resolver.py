"""The time zones of one import: each TZID's choice, and the file's VTIMEZONEs on demand.

A VTIMEZONE is parsed only when a TZID needs it and its outcome is not cached yet, and
loaded into icalendar only when an event that uses it has to be parsed.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import icalendar
from icalendar.timezone import tzp

from permanence.core.calendars.cache import ALL_TIME, CacheEntry, ComponentCache, library_versions
from permanence.core.calendars.model import Skipped, ZoneMapping
from permanence.core.calendars.parsing import ParseCounter, short
from permanence.core.calendars.zones import (
    FileTimezone,
    ZoneChoice,
    clean_tzid,
    mapping,
    name_choice,
    offset_choice,
)

FILE_ZONE = "VTIMEZONE du fichier"


class ZoneResolver:
    def __init__(
        self,
        practitioner: ZoneInfo,
        timezones: dict[str, FileTimezone],
        cache: ComponentCache,
        counter: ParseCounter,
    ) -> None:
        self._practitioner = practitioner
        self._timezones = timezones
        self._by_synthetic = {zone.synthetic: zone for zone in timezones.values()}
        self._cache = cache
        self._counter = counter
        self._choices: dict[str, ZoneChoice] = {}
        self.mappings: dict[str, ZoneMapping] = {}
        self.skipped: list[Skipped] = []
        self.warnings: list[str] = []
        self.cache_keys: set[str] = set()

    def choice(self, raw: str) -> ZoneChoice:
        """What the TZID parameter value `raw` means (memoised)."""
        known = self._choices.get(raw)
        if known is not None:
            return known
        name = clean_tzid(raw)
        found = name_choice(name) if name else None
        if found is None and name in self._timezones:
            found = self._file_choice(self._timezones[name])
        if found is None:
            found = offset_choice(name, self._practitioner)
            if found is not None and found.key != self._practitioner.key:
                self.warnings.append(
                    f"Fuseau horaire « {name} » lu comme {found.key} : décalage fixe, "
                    "sans heure d'été."
                )
        if found is None:
            found = self._unknown(name)
        self._choices[raw] = found
        self.mappings.setdefault(mapping(raw, found).tzid, mapping(raw, found))
        return found

    def signature(self, raw: str) -> str:
        """What the digest of an event using `raw` must change with."""
        found = self.choice(raw)
        return f"{found.how}:{found.key}"

    def rewrite(self, raw: str) -> str:
        """The TZID to write instead of `raw`: loads the file's VTIMEZONE when needed."""
        found = self.choice(raw)
        zone = self._by_synthetic.get(found.key)
        if zone is not None and tzp.timezone(zone.synthetic) is None:
            self._load(zone)
        return found.key

    def x_wr_timezone(self, value: str | None) -> ZoneInfo | None:
        """The zone X-WR-TIMEZONE names, None (with a warning) when it names none."""
        if not value:
            return None
        found = name_choice(clean_tzid(value))
        if found is None:
            self.warnings.append(f"X-WR-TIMEZONE « {value} » inconnu : ignoré.")
            return None
        self.mappings.setdefault(value, ZoneMapping(value, found.key, "x-wr-timezone"))
        return ZoneInfo(found.key)

    def _unknown(self, name: str) -> ZoneChoice:
        key = self._practitioner.key
        self.warnings.append(
            f"Fuseau horaire « {name or '(vide)'} » inconnu : heures lues dans le fuseau "
            f"du praticien ({key})."
        )
        return ZoneChoice(key, "unknown", key)

    def _file_choice(self, zone: FileTimezone) -> ZoneChoice:
        key = "VTIMEZONE:" + zone.synthetic
        self.cache_keys.add(key)
        digest = f"{zone.synthetic}|{library_versions()}"
        entry = self._cache.get(key)
        if entry is None or entry.digest != digest:
            problem = self._load(zone)
            skipped: tuple[Skipped, ...] = ()
            if problem:
                reason = (
                    f"Définition du fuseau « {zone.tzid} » illisible ({problem}) : heures lues "
                    f"dans le fuseau du praticien ({self._practitioner.key})."
                )
                skipped = (Skipped(zone.tzid, reason, "VTIMEZONE"),)
            entry = CacheEntry(zone.tzid, zone.text, digest, ALL_TIME, (), 0, skipped)
            self._cache.put(key, entry)
        if entry.skipped:
            self.skipped.extend(item for item in entry.skipped if item not in self.skipped)
            return ZoneChoice(self._practitioner.key, "unknown", self._practitioner.key)
        return ZoneChoice(zone.synthetic, "vtimezone", FILE_ZONE)

    def _load(self, zone: FileTimezone) -> str | None:
        """Parse the renamed VTIMEZONE (icalendar then knows its TZID); the problem or None."""
        if tzp.timezone(zone.synthetic) is not None:
            return None
        self._counter.parses += 1
        try:
            icalendar.Timezone.from_ical(zone.text)
        except Exception as error:
            return short(error)
        if tzp.timezone(zone.synthetic) is None:
            return "définition inutilisable"
        return None
