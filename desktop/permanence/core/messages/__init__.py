"""Messages: the form's draft, the readback read to the caller, the lifecycle to the
practitioner, callbacks with a due time, the evening digest and the calendar export."""

from permanence.core.messages.callbacks import CallbackPolicy
from permanence.core.messages.changes import FIELD_LABELS, changes
from permanence.core.messages.digest import Digest, DigestEntry, build_digest, counts_label
from permanence.core.messages.ics import export_callbacks_ics
from permanence.core.messages.lookup import find_practitioner
from permanence.core.messages.mail import MailError, send_digest_email
from permanence.core.messages.readback import readback_text
from permanence.core.messages.service import MessagesService
from permanence.core.messages.validation import validate
from permanence.core.messages.values import (
    STATUS_LABELS,
    STATUSES,
    CallbackInfo,
    EventInfo,
    FieldChange,
    MessageDraft,
    MessageInfo,
)

__all__ = [
    "FIELD_LABELS",
    "STATUSES",
    "STATUS_LABELS",
    "CallbackInfo",
    "CallbackPolicy",
    "Digest",
    "DigestEntry",
    "EventInfo",
    "FieldChange",
    "MailError",
    "MessageDraft",
    "MessageInfo",
    "MessagesService",
    "build_digest",
    "changes",
    "counts_label",
    "export_callbacks_ics",
    "find_practitioner",
    "readback_text",
    "send_digest_email",
    "validate",
]
