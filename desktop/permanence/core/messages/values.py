"""Immutable values handed out by the messages service (the form works on a `MessageDraft`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from permanence.core.phone import parse_phone

#: The lifecycle, in order; a message only moves forward (except by an administrator).
STATUSES: tuple[str, ...] = ("nouveau", "transmis", "lu", "rappelé", "clos")
STATUS_LABELS: dict[str, str] = {
    "nouveau": "Nouveau",
    "transmis": "Transmis",
    "lu": "Lu",
    "rappelé": "Rappelé",
    "clos": "Clos",
}
#: Statuses after which no callback is expected any more.
DONE_STATUSES = frozenset({"rappelé", "clos"})

CIVILITIES: dict[str, str] = {
    "madame": "Madame",
    "mme": "Madame",
    "monsieur": "Monsieur",
    "m.": "Monsieur",
    "m": "Monsieur",
}


def civility(text: str) -> str:
    """ "Madame", "Monsieur" or "" (unknown): what the form may hold, normalised."""
    return CIVILITIES.get(text.strip().casefold(), "")


@dataclass(frozen=True, slots=True)
class MessageDraft:
    """Every field of the message form; the caller is who is on the phone, the patient is
    whom the call is about when it is someone else (a third party calls on their behalf)."""

    practice_id: int
    practitioner_id: int | None = None  # None: for the practice ("le cabinet")
    caller_id: int | None = None
    caller_civility: str = ""  # "Madame" | "Monsieur" | "" (also "Mme", "M.")
    caller_last_name: str = ""
    caller_first_name: str = ""
    patient_last_name: str = ""  # empty: the caller is the patient
    patient_first_name: str = ""
    relation: str = ""  # the caller to the patient: "sa fille", "l'EHPAD"…
    callback_number: str = ""  # as typed; stored in E.164 when it parses
    callback_number2: str = ""
    reason: str = ""
    body: str = ""
    callback_day: date | None = None  # None: as soon as possible (today with a window)
    callback_after: time | None = None  # local time of the practitioner
    callback_before: time | None = None
    urgent: bool = False
    private: bool = False
    copy_to_practitioner_id: int | None = None
    triage_level: str | None = None

    @property
    def is_third_party(self) -> bool:
        return bool(self.patient_last_name.strip() or self.patient_first_name.strip())


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One correction against what was read back: « Numéro de rappel : 06… → 07… »."""

    field: str
    label: str  # French
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.label} : {self.before or '(vide)'} → {self.after or '(vide)'}"


@dataclass(frozen=True, slots=True)
class MessageInfo:
    id: int
    draft: MessageDraft  # the fields as saved (numbers in E.164 when they parse)
    call_id: int | None
    practice_name: str
    practitioner_name: str  # "Dr Claire Martin"; empty for the practice
    copy_to_name: str
    status: str
    readback_text: str
    confirmed: bool
    confirmed_at: datetime | None  # aware, UTC
    unconfirmed_reason: str
    practitioner_note: str
    taken_by: str
    created_at: datetime  # aware, UTC
    updated_at: datetime

    @property
    def practice_id(self) -> int:
        return self.draft.practice_id

    @property
    def practitioner_id(self) -> int | None:
        return self.draft.practitioner_id

    @property
    def urgent(self) -> bool:
        return self.draft.urgent

    @property
    def private(self) -> bool:
        return self.draft.private

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def is_open(self) -> bool:
        """A callback is still expected."""
        return self.status not in DONE_STATUSES

    @property
    def caller_name(self) -> str:
        """ "Madame Marie DUPONT"."""
        d = self.draft
        return person_name(d.caller_civility, d.caller_first_name, d.caller_last_name)

    @property
    def patient_name(self) -> str:
        """The patient when a third party called, else the caller."""
        d = self.draft
        if not d.is_third_party:
            return self.caller_name
        return person_name("", d.patient_first_name, d.patient_last_name)

    @property
    def callback_display(self) -> str:
        return parse_phone(self.draft.callback_number).display if self.draft.callback_number else ""


@dataclass(frozen=True, slots=True)
class EventInfo:
    """One line of a message's history: « Lu, par Dr Martin le … »."""

    id: int
    message_id: int
    at: datetime  # aware, UTC
    by: str
    kind: str  # "statut" | "note" | "relecture" | "correction"
    from_status: str
    to_status: str
    detail: str


@dataclass(frozen=True, slots=True)
class CallbackInfo:
    """An open promise to call back: from a message, or a follow-up of the calls service."""

    source: str  # "message" | "suivi"
    source_id: int
    practice_id: int | None
    practitioner_id: int | None
    who: str  # "Madame Marie DUPONT" (may be empty for a follow-up)
    initials: str  # "M. D."
    number: str  # for display: "06 12 34 56 78"
    reason: str
    urgent: bool
    window_start: datetime | None  # aware, UTC: not before (callback window)
    due_at: datetime  # aware, UTC
    state: str  # "à faire" | "en retard"
    message_id: int | None
    created_at: datetime  # aware, UTC: when the promise was made

    @property
    def uid(self) -> str:
        """Stable across exports, so a calendar updates instead of duplicating."""
        kind = "message" if self.source == "message" else "followup"
        return f"{kind}-{self.source_id}@permanence"

    @property
    def overdue(self) -> bool:
        return self.state == "en retard"


def person_name(civility_text: str, first_name: str, last_name: str) -> str:
    """ "Madame Marie DUPONT": the surname in capitals, as written on a message."""
    parts = (civility(civility_text), first_name.strip(), upper_name(last_name))
    return " ".join(part for part in parts if part)


def upper_name(last_name: str) -> str:
    """ "de La Fontaine" → "DE LA FONTAINE", "N'Diaye" → "N'DIAYE"; spaces tidied."""
    return " ".join(last_name.split()).upper()


def initials(first_name: str, last_name: str) -> str:
    """ "Marie", "Le Goff-Martin" → "M. L." (one letter per name, for discreet labels)."""
    letters = [name.strip()[0].upper() + "." for name in (first_name, last_name) if name.strip()]
    return " ".join(letters)
