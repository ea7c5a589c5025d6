"""The agenda view: day and week of the practitioners, moving, cancelling, waiting list."""

from permanence.ui.agenda.view import AgendaView

__all__ = ["AgendaView"]
