"""Reading and editing consignes; an edit adds a version and never loses the previous one."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, sessionmaker

from permanence.core.consignes.sections import MAX_SECTION_LENGTH, SECTIONS, section_label
from permanence.core.consignes.values import Consignes, SectionText, SectionVersion
from permanence.core.db.models import InstructionVersion, Practitioner
from permanence.core.errors import NotFoundError, ValidationError


def _owner_filter(practice_id: int, practitioner_id: int | None) -> list[ColumnElement[bool]]:
    return [
        InstructionVersion.practice_id == practice_id,
        InstructionVersion.practitioner_id.is_(None)
        if practitioner_id is None
        else InstructionVersion.practitioner_id == practitioner_id,
    ]


def _latest(
    session: Session, practice_id: int, practitioner_id: int | None
) -> dict[str, InstructionVersion]:
    rows = session.scalars(
        select(InstructionVersion)
        .where(*_owner_filter(practice_id, practitioner_id))
        .order_by(InstructionVersion.section, InstructionVersion.version)
    )
    latest: dict[str, InstructionVersion] = {}
    for row in rows:
        latest[row.section] = row  # ordered by version: the last one wins
    return latest


class ConsignesService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def current(self, practice_id: int, practitioner_id: int | None = None) -> Consignes:
        """Every section, the practitioner's own text first, else the practice-wide one."""
        with self._sessions() as session:
            own = _latest(session, practice_id, practitioner_id) if practitioner_id else {}
            shared = _latest(session, practice_id, None)
        sections = []
        for key in SECTIONS:
            row = own.get(key)
            from_practice = False
            missing = row is None or not row.body.strip()
            if missing and key in shared and shared[key].body.strip():
                row, from_practice = shared[key], practitioner_id is not None
            sections.append(
                SectionText(
                    section=key,
                    body=row.body if row else "",
                    version=row.version if row else 0,
                    updated_at=row.created_at if row else None,
                    author=row.author if row else "",
                    from_practice=from_practice,
                )
            )
        return Consignes(practice_id, practitioner_id, tuple(sections))

    def history(
        self, practice_id: int, practitioner_id: int | None, section: str
    ) -> list[SectionVersion]:
        """All versions of one section, newest first."""
        _check_section(section)
        with self._sessions() as session:
            rows = session.scalars(
                select(InstructionVersion)
                .where(
                    *_owner_filter(practice_id, practitioner_id),
                    InstructionVersion.section == section,
                )
                .order_by(InstructionVersion.version.desc())
            )
            return [
                SectionVersion(r.section, r.version, r.body, r.author, r.created_at) for r in rows
            ]

    def update(
        self,
        practice_id: int,
        practitioner_id: int | None,
        section: str,
        body: str,
        *,
        author: str = "",
    ) -> SectionVersion:
        """Save a new version of a section (nothing is written when the text is unchanged)."""
        _check_section(section)
        text = body.replace("\r\n", "\n").rstrip()
        if len(text) > MAX_SECTION_LENGTH:
            raise ValidationError(
                f"La section « {section_label(section)} » est trop longue "
                f"({len(text)} caractères, {MAX_SECTION_LENGTH} au plus)."
            )
        with self._sessions.begin() as session:
            if practitioner_id is not None:
                owner = session.get(Practitioner, practitioner_id)
                if owner is None or owner.practice_id != practice_id:
                    raise NotFoundError(
                        "Ce praticien n'existe plus : les consignes n'ont pas été enregistrées."
                    )
            filters = [
                *_owner_filter(practice_id, practitioner_id),
                InstructionVersion.section == section,
            ]
            last = session.scalars(
                select(InstructionVersion)
                .where(*filters)
                .order_by(InstructionVersion.version.desc())
                .limit(1)
            ).first()
            if last is not None and last.body == text:
                return SectionVersion(
                    last.section, last.version, last.body, last.author, last.created_at
                )
            number = (
                session.scalar(select(func.max(InstructionVersion.version)).where(*filters)) or 0
            ) + 1
            row = InstructionVersion(
                practice_id=practice_id,
                practitioner_id=practitioner_id,
                section=section,
                version=number,
                body=text,
                author=author,
            )
            session.add(row)
            session.flush()
            return SectionVersion(row.section, row.version, row.body, row.author, row.created_at)


def _check_section(section: str) -> None:
    if section not in SECTIONS:
        raise ValidationError(f"Section de consignes inconnue : « {section} ».")
