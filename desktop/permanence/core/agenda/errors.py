"""Errors of the agenda: bad agenda data or a request that must not be booked."""

from __future__ import annotations

from permanence.core.errors import ValidationError


class AgendaError(ValidationError, ValueError):
    """An agenda value or a booking request is not acceptable; the message is French.

    It is a `ValueError` too, so callers that only know the standard library catch it.
    """


class BookingRefused(AgendaError):
    """No appointment may be booked at all (vital emergency): the message says what to do."""


VITAL_REFUSAL = "Urgence vitale : ne pas prendre de rendez-vous, faire appeler le 15."
