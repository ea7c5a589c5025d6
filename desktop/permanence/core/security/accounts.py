"""Accounts and roles.

- `secretaire`: answers for every practice she serves;
- `praticien`: sees only his or her own messages, callbacks, agenda and consignes;
- `admin`: everything, plus accounts and settings.

An account is a row in the (encrypted) database, for its role and scope, plus a key slot
in keyslots.json, for its password. Both change together, slot file first: a crash in
between leaves at worst a slot with no active account, which cannot log in.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from permanence.core.db.models import Account
from permanence.core.db.models.security import ROLES
from permanence.core.errors import (
    NotFoundError,
    PermanenceError,
    PermissionDeniedError,
    ValidationError,
)
from permanence.core.security.keyslots import (
    KeySlots,
    WrongPasswordError,
    check_password_strength,
    normalize_username,
    write_atomically,
)

ROLE_LABELS = {"secretaire": "Secrétaire", "praticien": "Praticien", "admin": "Administrateur"}
ADMIN = "admin"
SECRETARY = "secretaire"
PRACTITIONER = "praticien"


@dataclass(frozen=True, slots=True)
class AccountInfo:
    id: int
    username: str
    display_name: str
    role: str
    practitioner_id: int | None
    active: bool

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def is_practitioner(self) -> bool:
        return self.role == PRACTITIONER

    @property
    def label(self) -> str:
        return self.display_name or self.username


#: The user of a workspace without accounts (demo, or not encrypted): full access.
LOCAL_USER = AccountInfo(0, "", "", ADMIN, None, True)


def _info(row: Account) -> AccountInfo:
    return AccountInfo(
        row.id, row.username, row.display_name, row.role, row.practitioner_id, row.active
    )


def validate_new_account(username: str, role: str, password: str) -> str:
    """The normalised user name, or ValidationError in French."""
    name = normalize_username(username)
    if not name:
        raise ValidationError("Indiquez un identifiant.")
    if len(name) > 64 or any(ch.isspace() for ch in name):
        raise ValidationError(
            "L'identifiant ne doit pas contenir d'espace (64 caractères au plus)."
        )
    if role not in ROLES:
        raise ValidationError(f"Rôle inconnu : « {role} ».")
    problem = check_password_strength(password)
    if problem:
        raise ValidationError(problem)
    return name


class AccountsService:
    """Create, list, change and deactivate accounts of an encrypted workspace."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        folder: Path | None,
        database_key: Callable[[], bytes | None],
        current: Callable[[], AccountInfo],
    ) -> None:
        self._sessions = sessions
        self._folder = folder
        self._key = database_key
        self._current = current

    @property
    def enabled(self) -> bool:
        """Accounts exist only in an encrypted workspace (they hold its key)."""
        return self._folder is not None and self._key() is not None

    def list(self) -> list[AccountInfo]:
        with self._sessions() as session:
            rows = session.scalars(select(Account).order_by(Account.username))
            return [_info(row) for row in rows]

    def get(self, username: str) -> AccountInfo | None:
        with self._sessions() as session:
            row = session.scalar(
                select(Account).where(Account.username == normalize_username(username))
            )
            return None if row is None else _info(row)

    def create(
        self,
        username: str,
        password: str,
        *,
        role: str,
        display_name: str = "",
        practitioner_id: int | None = None,
    ) -> AccountInfo:
        self._require_admin()
        name = validate_new_account(username, role, password)
        if role == PRACTITIONER and practitioner_id is None:
            raise ValidationError("Un compte praticien doit être rattaché à un praticien.")
        if self.get(name) is not None:
            raise ValidationError(f"L'identifiant « {name} » existe déjà.")
        slots = self._slots()
        self._save_slots(slots.with_slot(name, password, self._database_key()))
        with self._sessions.begin() as session:
            row = Account(
                username=name,
                display_name=display_name.strip(),
                role=role,
                practitioner_id=practitioner_id if role == PRACTITIONER else None,
            )
            session.add(row)
            session.flush()
            return _info(row)

    def change_password(self, username: str, old_password: str, new_password: str) -> None:
        """The user changes his or her own password (the old one proves who it is)."""
        slots = self._slots()
        if slots.unwrap(username, old_password) != self._database_key():
            raise WrongPasswordError("Identifiant ou mot de passe incorrect.")
        self._set_password(slots, username, new_password)

    def reset_password(self, username: str, new_password: str) -> None:
        """An administrator sets a new password for someone who forgot theirs."""
        self._require_admin()
        if self.get(username) is None:
            raise NotFoundError(f"Aucun compte « {username} ».")
        self._set_password(self._slots(), username, new_password)

    def _set_password(self, slots: KeySlots, username: str, new_password: str) -> None:
        problem = check_password_strength(new_password)
        if problem:
            raise ValidationError(problem)
        self._save_slots(slots.with_slot(username, new_password, self._database_key()))
        with self._sessions.begin() as session:
            row = session.scalar(
                select(Account).where(Account.username == normalize_username(username))
            )
            if row is not None:
                row.password_changed_at = datetime.now(UTC)

    def set_role(self, username: str, role: str, practitioner_id: int | None = None) -> AccountInfo:
        self._require_admin()
        if role not in ROLES:
            raise ValidationError(f"Rôle inconnu : « {role} ».")
        if role == PRACTITIONER and practitioner_id is None:
            raise ValidationError("Un compte praticien doit être rattaché à un praticien.")
        with self._sessions.begin() as session:
            row = self._row(session, username)
            if row.role == ADMIN and role != ADMIN:
                self._keep_one_admin(session, row)
            row.role = role
            row.practitioner_id = practitioner_id if role == PRACTITIONER else None
            return _info(row)

    def deactivate(self, username: str) -> None:
        """Remove the key slot (the password no longer opens anything) and mark inactive."""
        self._require_admin()
        if normalize_username(username) == self._current().username:
            raise ValidationError("Vous ne pouvez pas désactiver votre propre compte.")
        with self._sessions.begin() as session:
            row = self._row(session, username)
            if row.role == ADMIN:
                self._keep_one_admin(session, row)
            row.active = False
        self._save_slots(self._slots().without_slot(username))

    # -- helpers ----------------------------------------------------------------------------
    def _row(self, session: Session, username: str) -> Account:
        row = session.scalar(
            select(Account).where(Account.username == normalize_username(username))
        )
        if row is None:
            raise NotFoundError(f"Aucun compte « {username} ».")
        return row

    @staticmethod
    def _keep_one_admin(session: Session, row: Account) -> None:
        admins = session.scalar(
            select(func.count())
            .select_from(Account)
            .where(Account.role == ADMIN, Account.active.is_(True), Account.id != row.id)
        )
        if not admins:
            raise ValidationError("Il doit rester au moins un compte administrateur actif.")

    def _require_admin(self) -> None:
        if not self.enabled:
            raise PermissionDeniedError(
                "Les comptes n'existent que dans un espace de travail chiffré."
            )
        if not self._current().is_admin:
            raise PermissionDeniedError("Seul un administrateur peut gérer les comptes.")

    def _database_key(self) -> bytes:
        key = self._key()
        if key is None:  # pragma: no cover - guarded by `enabled`
            raise PermissionDeniedError("Espace de travail non chiffré.")
        return key

    def _slots(self) -> KeySlots:
        assert self._folder is not None
        return KeySlots.load(self._folder)

    def _save_slots(self, slots: KeySlots) -> None:
        assert self._folder is not None
        slots.save(self._folder)


# -- throttling of wrong passwords -----------------------------------------------------------
ATTEMPTS_FILENAME = "login-attempts.json"
FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 60.0


class TooManyAttemptsError(PermanenceError):
    def __init__(self, wait_seconds: float) -> None:
        self.wait_seconds = wait_seconds
        seconds = max(1, round(wait_seconds))
        super().__init__(f"Trop d'essais infructueux : patientez {seconds} s avant de réessayer.")


class LoginGuard:
    """After 3 wrong passwords in a row, each new attempt waits longer (2 s, 4 s, … 60 s).

    The count is kept in a file beside the key slots, so restarting the app does not
    reset it; a correct password resets it.
    """

    def __init__(self, folder: Path, clock: Callable[[], float] = time.time) -> None:
        self._path = folder / ATTEMPTS_FILENAME
        self._clock = clock

    def _state(self) -> tuple[int, float]:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
            return int(data["failures"]), float(data["last"])
        except (OSError, ValueError, KeyError, TypeError):
            return 0, 0.0

    @staticmethod
    def delay_after(failures: int) -> float:
        if failures < FREE_ATTEMPTS:
            return 0.0
        return min(MAX_DELAY_SECONDS, 2.0 ** (failures - FREE_ATTEMPTS + 1))

    def wait_needed(self) -> float:
        failures, last = self._state()
        return max(0.0, last + self.delay_after(failures) - self._clock())

    def check(self) -> None:
        wait = self.wait_needed()
        if wait > 0:
            raise TooManyAttemptsError(wait)

    def failed(self) -> None:
        failures, _last = self._state()
        payload = {"failures": failures + 1, "last": self._clock()}
        # A read-only folder: the delay then lasts only this session.
        with contextlib.suppress(OSError):
            write_atomically(self._path, json.dumps(payload).encode())

    def succeeded(self) -> None:
        self._path.unlink(missing_ok=True)
