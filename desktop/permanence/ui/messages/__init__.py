"""Messages in the UI: the form with its readback step, and the practitioner's view."""

from permanence.ui.messages.form import MessageForm
from permanence.ui.messages.practitioner_view import PractitionerMessagesView

__all__ = ["MessageForm", "PractitionerMessagesView"]
