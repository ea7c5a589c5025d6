"""The calendar sources of a practitioner (ICS files and subscriptions), in a dialog."""

from permanence.ui.calendars.sources_dialog import CalendarSourcesDialog

__all__ = ["CalendarSourcesDialog"]
