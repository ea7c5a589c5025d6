"""The agenda: availability, slot proposals that leave no holes, urgency and phone phrasing.

Pure functions of plain values (no Qt, no database): the services build the values from
the stored agenda and hand the results to the UI.

- `propose_slots` works on plain `(start, end)` intervals; `free_intervals` and
  `stranded_minutes` describe an agenda's holes.
- `Agenda` and its parts (`WeeklyTemplate`, `DayException`, `Absence`, `AppointmentType`,
  `Booking`) describe a practitioner; `availability` turns them into intervals.
- `propose_for_request` is the booking door: triage level, motif, caller's `Preferences`
  (typed or `parse_preferences`), and returns `Proposal`s.
- `phrase_proposals` / `phrase_slot` give the sentence to say on the phone.
"""

from permanence.core.agenda.availability import (
    Availability,
    availability,
    busy_intervals,
    open_periods,
    working_periods,
)
from permanence.core.agenda.errors import VITAL_REFUSAL, AgendaError, BookingRefused
from permanence.core.agenda.french import MONTH_NAMES, WEEKDAY_NAMES, format_date, format_time
from permanence.core.agenda.model import (
    ALL_WEEKDAYS,
    WORKING_WEEKDAYS,
    Absence,
    Agenda,
    AppointmentType,
    Booking,
    DayException,
    WeeklyPeriod,
    WeeklyTemplate,
)
from permanence.core.agenda.parsing import parse_preferences
from permanence.core.agenda.phrasing import NO_SLOT, phrase_choices, phrase_proposals, phrase_slot
from permanence.core.agenda.preferences import PartOfDay, Preferences
from permanence.core.agenda.request import Proposal, propose_for_request
from permanence.core.agenda.slots import (
    DEFAULT_STEP,
    POLICIES,
    Policy,
    Slot,
    free_intervals,
    propose_slots,
    stranded_minutes,
)
from permanence.core.agenda.urgency import (
    DEFAULT_HORIZON,
    LEVELS,
    SOON_DELAY,
    Level,
    latest_for_level,
)

__all__ = [
    "ALL_WEEKDAYS",
    "DEFAULT_HORIZON",
    "DEFAULT_STEP",
    "LEVELS",
    "MONTH_NAMES",
    "NO_SLOT",
    "POLICIES",
    "SOON_DELAY",
    "VITAL_REFUSAL",
    "WEEKDAY_NAMES",
    "WORKING_WEEKDAYS",
    "Absence",
    "Agenda",
    "AgendaError",
    "AppointmentType",
    "Availability",
    "Booking",
    "BookingRefused",
    "DayException",
    "Level",
    "PartOfDay",
    "Policy",
    "Preferences",
    "Proposal",
    "Slot",
    "WeeklyPeriod",
    "WeeklyTemplate",
    "availability",
    "busy_intervals",
    "format_date",
    "format_time",
    "free_intervals",
    "latest_for_level",
    "open_periods",
    "parse_preferences",
    "phrase_choices",
    "phrase_proposals",
    "phrase_slot",
    "propose_for_request",
    "propose_slots",
    "stranded_minutes",
    "working_periods",
]
