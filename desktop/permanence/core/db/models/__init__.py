"""The workspace's tables, one module per capability; import them all here for Alembic."""

from permanence.core.db.models.agenda import (
    Absence,
    Appointment,
    AppointmentType,
    DayException,
    WaitlistEntry,
    WorkingPeriod,
)
from permanence.core.db.models.base import Base
from permanence.core.db.models.caldav import CalendarItem, CalendarOutbox
from permanence.core.db.models.calendars import BusyTime, CalendarComponent, CalendarSource
from permanence.core.db.models.callers import Caller, CallerPhone, caller_practices
from permanence.core.db.models.calls import Call, FollowUp, Message, MessageEvent
from permanence.core.db.models.practices import (
    InstructionVersion,
    Practice,
    PracticeNumber,
    Practitioner,
)
from permanence.core.db.models.security import Account, AuditEntry, StoredSecret
from permanence.core.db.models.settings import Setting

__all__ = [
    "Absence",
    "Account",
    "Appointment",
    "AppointmentType",
    "AuditEntry",
    "Base",
    "BusyTime",
    "CalendarComponent",
    "CalendarItem",
    "CalendarOutbox",
    "CalendarSource",
    "Call",
    "Caller",
    "CallerPhone",
    "DayException",
    "FollowUp",
    "InstructionVersion",
    "Message",
    "MessageEvent",
    "Practice",
    "PracticeNumber",
    "Practitioner",
    "Setting",
    "StoredSecret",
    "WaitlistEntry",
    "WorkingPeriod",
    "caller_practices",
]
